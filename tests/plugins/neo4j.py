"""Fixtures that need a real Neo4j: the server the suite starts itself, the corpus loaded
into it, and the API served over it; and the same for the test family of documents
(``tests/data/family``: a three-document series), in a server of its own so the corpus graph
the other tests read is left as it is.

The server is a managed Neo4j in its own state folder on free ports picked at start
(:meth:`core.settings.Settings.isolated`), so the suite never touches a user's database
(nor another run's), and it is stopped at the end. When Java or the jars are missing the
fixtures fail with the reason; they never skip.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
import uvicorn

from core.errors import PolicyKGError
from core.settings import Settings
from graph import server
from graph.connection import open_driver
from graph.store import LoadResult
from policykg.pipeline import Build, build, load

FAMILY_DATA = Path(__file__).resolve().parents[1] / "data" / "family"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def managed(settings: Settings, what: str) -> Iterator[server.ManagedServer]:
    """A managed Neo4j started with ``settings`` for the block, stopped at its end."""
    failure: str | None = None
    try:
        status = server.start_server(settings)
        connection = server.connection_for(settings)
    except PolicyKGError as e:
        failure = str(e)
    if failure is not None or status.pid is None:
        server.stop_server(settings)  # a server that started but never answered
        pytest.fail(
            f"{what} could not be started: {failure or status.message}",
            pytrace=False,
        )
    try:
        yield server.ManagedServer(settings=settings, connection=connection, pid=status.pid)
    finally:
        server.stop_server(settings)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.ManagedServer]:
    """A managed Neo4j for the whole test session, stopped at the end."""
    settings = Settings.isolated(tmp_path_factory.mktemp("neo4j-state"), free_port(), free_port())
    with managed(settings, "The test Neo4j server") as started:
        yield started


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: server.ManagedServer) -> Iterator[neo4j.Driver]:
    with open_driver(neo4j_server.connection) as driver:
        yield driver


@pytest.fixture(scope="session")
def loaded(
    neo4j_driver: neo4j.Driver, neo4j_server: server.ManagedServer, built: Build
) -> LoadResult:
    """The corpus graph, loaded into the test server by the pipeline."""
    return load(neo4j_driver, neo4j_server.database, built)


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free port, in a thread, for the block's duration."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the API server did not start", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def api_url(neo4j_server: server.ManagedServer, loaded: LoadResult) -> Iterator[str]:
    """The API (and explorer) served by uvicorn over the loaded test graph."""
    from api.main import create_app

    with serve(create_app(neo4j_server.settings)) as url:
        yield url


@pytest.fixture(scope="session")
def family_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings reading the test family's corpus, with a Neo4j state folder of its own."""
    settings = Settings.isolated(tmp_path_factory.mktemp("family-neo4j"), free_port(), free_port())
    return settings.model_copy(update={"data_dir": FAMILY_DATA})


@pytest.fixture(scope="session")
def family_built(family_settings: Settings) -> Build:
    """The test family through the pipeline: its series aligned pair by pair, built."""
    return build(family_settings)


@pytest.fixture(scope="session")
def family_server(family_settings: Settings) -> Iterator[server.ManagedServer]:
    with managed(family_settings, "The test family's Neo4j server") as started:
        yield started


@pytest.fixture(scope="session")
def family_driver(family_server: server.ManagedServer) -> Iterator[neo4j.Driver]:
    with open_driver(family_server.connection) as driver:
        yield driver


@pytest.fixture(scope="session")
def family_loaded(
    family_driver: neo4j.Driver, family_server: server.ManagedServer, family_built: Build
) -> LoadResult:
    return load(family_driver, family_server.database, family_built)


@pytest.fixture(scope="session")
def family_api_url(family_server: server.ManagedServer, family_loaded: LoadResult) -> Iterator[str]:
    """The API (and explorer) over the test family's graph."""
    from api.main import create_app

    with serve(create_app(family_server.settings)) as url:
        yield url
