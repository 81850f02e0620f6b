"""``POST /cypher`` results are kept per graph version: asked again, a complete result is
answered from memory; a new load of the graph renews them. (Last of the integration
modules: it loads the graph again, so the version the others saw changes.)"""

from __future__ import annotations

import time
from typing import Any

import httpx
import neo4j
import pytest

from graph.store import LoadResult
from policykg.pipeline import Build, load

pytestmark = pytest.mark.integration

QUERY = "MATCH (t:Task)-[:IS_PART_OF]->(:Part {id: $part}) RETURN t.id AS id ORDER BY id"


def ask(http: httpx.Client, query: str, **parameters: Any) -> httpx.Response:
    response = http.post("/cypher", json={"query": query, "parameters": parameters})
    assert response.status_code == 200, response.text
    return response


@pytest.fixture(autouse=True)
def current_version(http: httpx.Client) -> None:
    """The API has read the graph version now loaded (earlier modules load the graph again,
    and the API would otherwise see that only on its next background read)."""
    assert http.get("/health").status_code == 200


def test_a_query_asked_again_is_answered_from_the_cache(http: httpx.Client) -> None:
    part = "gd2025-p02"
    first = ask(http, QUERY, part=part)
    second = ask(http, QUERY, part=part)
    assert "x-cache" not in first.headers
    assert second.headers["x-cache"] == "hit"
    assert second.content == first.content
    assert len(first.json()["rows"]) > 1
    other = ask(http, QUERY, part="gd2025-p03")  # other parameters: another result
    assert "x-cache" not in other.headers
    assert other.json()["rows"] != first.json()["rows"]


def test_truncated_and_changing_results_are_not_kept(http: httpx.Client) -> None:
    for query in ("UNWIND range(1, 5000) AS x RETURN x", "RETURN rand() AS r"):
        ask(http, query)
        again = ask(http, query)
        assert "x-cache" not in again.headers, query
    assert ask(http, "UNWIND range(1, 5000) AS x RETURN x").json()["truncated"] is True


def test_errors_are_not_kept(http: httpx.Client) -> None:
    for _ in range(2):
        response = http.post("/cypher", json={"query": "MATCH (n RETURN n"})
        assert response.status_code == 400
        assert "x-cache" not in response.headers


def test_a_new_load_renews_the_results(
    http: httpx.Client, neo4j_driver: neo4j.Driver, neo4j_server: Any, built: Build,
    loaded: LoadResult,
) -> None:  # fmt: skip
    query = "MATCH (d:PolicyDocument) RETURN d.id AS id ORDER BY id"
    ask(http, query)
    assert ask(http, query).headers["x-cache"] == "hit"
    again = load(neo4j_driver, neo4j_server.database, built)
    deadline = time.monotonic() + 15
    while http.get("/health").json()["graph_version"] != again.version:
        assert time.monotonic() < deadline, "the API never saw the new graph version"
        time.sleep(0.2)
    renewed = ask(http, query)
    assert "x-cache" not in renewed.headers
    assert ask(http, query).headers["x-cache"] == "hit"
