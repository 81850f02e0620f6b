"""Fixtures shared by every kind of test.

Pure fixtures (the repository's corpus, vocabularies, alignment and RDF graph) need nothing
but Python. The Neo4j fixtures start a managed Neo4j in its own state folder on free ports
picked at start, so the suite never touches a user's database (nor another run's), and stop
it at the end; when Java or the jars are missing they fail with the reason, never skip.
``loaded``
puts the corpus graph into that server, and ``api_url`` serves the API over it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
import uvicorn
from rdflib import Graph

from align.records import Alignment
from graph import server
from graph.store import LoadResult, load_graph, open_driver
from loaders.corpus import load_corpus
from loaders.lexicon import Lexicon
from loaders.records import Corpus
from loaders.vocabulary import read_vocabularies
from policykg.errors import PolicyKGError
from policykg.pipeline import Inputs, align_all, build, read_inputs
from policykg.settings import Settings

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def repo_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def lexicon(repo_settings: Settings) -> Lexicon:
    return Lexicon(read_vocabularies(repo_settings.vocab_dir))


@pytest.fixture(scope="session")
def corpus(repo_settings: Settings) -> Corpus:
    return load_corpus(repo_settings.corpus_manifest, repo_settings.vocab_dir)


@pytest.fixture(scope="session")
def inputs(repo_settings: Settings) -> Inputs:
    return read_inputs(repo_settings)


@pytest.fixture(scope="session")
def alignments(inputs: Inputs) -> list[Alignment]:
    return align_all(inputs)


@pytest.fixture(scope="session")
def graph(repo_settings: Settings, inputs: Inputs, alignments: list[Alignment]) -> Graph:
    return build(repo_settings, inputs, alignments)


MakeSettings = Callable[[Path, int, int], Settings]


def _managed_settings(state_dir: Path, bolt_port: int, http_port: int) -> Settings:
    # Every Neo4j value explicit, so the environment can neither point the suite at a user's
    # server (NEO4J_URI) nor change the test server's size.
    return Settings(
        state_dir=state_dir,
        neo4j_uri=None,
        neo4j_user="neo4j",
        neo4j_password=None,
        neo4j_database="neo4j",
        neo4j_bolt_port=bolt_port,
        neo4j_http_port=http_port,
        neo4j_heap="1g",
        neo4j_pagecache="512m",
        neo4j_tx_timeout="120s",
    )


@pytest.fixture(scope="session")
def make_managed_settings() -> MakeSettings:
    """Settings for another managed test server: ``make(state_dir, bolt_port, http_port)``."""
    return _managed_settings


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.ManagedServer]:
    """A managed Neo4j for the whole test session, stopped at the end."""
    settings = _managed_settings(tmp_path_factory.mktemp("neo4j-state"), free_port(), free_port())
    failure: str | None = None
    try:
        status = server.start_server(settings)
        connection = server.connection_for(settings)
    except PolicyKGError as e:
        failure = str(e)
    if failure is not None or status.pid is None:
        server.stop_server(settings)  # a server that started but never answered
        pytest.fail(
            f"The test Neo4j server could not be started: {failure or status.message}",
            pytrace=False,
        )
    try:
        yield server.ManagedServer(settings=settings, connection=connection, pid=status.pid)
    finally:
        server.stop_server(settings)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: server.ManagedServer) -> Iterator[neo4j.Driver]:
    driver = open_driver(neo4j_server.connection)
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def loaded(
    neo4j_driver: neo4j.Driver, neo4j_server: server.ManagedServer, graph: Graph
) -> LoadResult:
    """The corpus graph, loaded into the test server."""
    return load_graph(neo4j_driver, neo4j_server.database, graph)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


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
    from api.app import create_app

    with serve(create_app(neo4j_server.settings)) as url:
        yield url
