"""Neo4j stopped mid-run: the API answers 503 with Retry-After, then recovers by itself."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from api.main import create_app
from core.settings import Settings
from graph import server
from policykg.pipeline import Build, managed_graph
from tests.plugins.neo4j import free_port, serve

pytestmark = pytest.mark.integration


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory, built: Build) -> Iterator[Settings]:
    """A Neo4j of this test's own, with the corpus loaded, that the test may stop."""
    settings = Settings.isolated(tmp_path_factory.mktemp("recovery"), free_port(), free_port())
    with managed_graph(settings, built):
        yield settings


@pytest.fixture
def own_api(own_server: Settings) -> Iterator[str]:
    with serve(create_app(own_server)) as url:
        yield url


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
