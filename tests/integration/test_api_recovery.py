"""Neo4j stopped mid-run: the API answers 503 with Retry-After, then recovers by itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from rdflib import Graph

from api.app import create_app
from graph import server
from graph.store import load_graph, open_driver
from policykg.settings import Settings
from tests.conftest import free_port

pytestmark = pytest.mark.integration

MakeSettings = Callable[[Path, int, int], Settings]


@pytest.fixture
def own_server(
    tmp_path_factory: pytest.TempPathFactory, make_managed_settings: MakeSettings, graph: Graph
) -> Iterator[Settings]:
    """A Neo4j of this test's own, with the corpus loaded, that the test may stop."""
    settings = make_managed_settings(tmp_path_factory.mktemp("recovery"), free_port(), free_port())
    try:
        server.start_server(settings)
        driver = open_driver(server.connection_for(settings))
        try:
            load_graph(driver, settings.neo4j_database, graph)
        finally:
            driver.close()
        yield settings
    finally:
        server.stop_server(settings)


@pytest.fixture
def own_api(own_server: Settings) -> Iterator[str]:
    port = free_port()
    uv = uvicorn.Server(
        uvicorn.Config(create_app(own_server), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


def test_neo4j_stopped_gives_503_then_the_api_recovers(own_server: Settings, own_api: str) -> None:
    with httpx.Client(base_url=own_api, timeout=30) as http:
        assert http.get("/health").status_code == 200
        assert http.get("/tasks/gd2025-t01").status_code == 200

        assert server.stop_server(own_server) is True
        health = http.get("/health")
        assert health.status_code == 503
        assert health.json()["neo4j"] == "down"
        assert int(health.headers["retry-after"]) > 0
        time.sleep(1.5)  # past the cached graph version
        detail = http.get("/tasks/gd2025-t02")
        assert detail.status_code == 503
        assert detail.headers["content-type"].startswith("application/problem+json")
        assert detail.headers["retry-after"]
        cypher = http.post("/cypher", json={"query": "RETURN 1 AS one"})
        assert cypher.status_code == 503

        server.start_server(own_server)
        deadline = time.monotonic() + 60
        while http.get("/health").status_code != 200:
            assert time.monotonic() < deadline, "the API did not recover within 60 s"
            time.sleep(1)
        assert http.get("/tasks/gd2025-t02").json()["id"] == "gd2025-t02"
        assert http.post("/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [[1]]
