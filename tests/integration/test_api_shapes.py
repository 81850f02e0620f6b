"""The answers precomputed at load (``api.shapes``) are the API's own answers, byte for byte.

The test graph is loaded by the pipeline, which derives every item's detail and links in the
load transaction. A second API over the same graph is made to find no stored answer, so it
answers each request the ordinary way (statements, shaping, FastAPI's encoding); the two must
send the same bytes for every item, with and without filters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import neo4j
import pytest

from api import shapes
from graph.queries import SHAPE
from graph.store import LoadResult
from tests.plugins.neo4j import serve


@pytest.fixture(scope="module")
def items(neo4j_driver: neo4j.Driver, neo4j_server: Any, loaded: LoadResult) -> dict[str, str]:
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (i:Item) RETURN i.id AS id, i.kind AS kind", database_=neo4j_server.database
    )
    return {r["id"]: r["kind"] for r in records}


@pytest.fixture(scope="module")
def live(neo4j_server: Any, loaded: LoadResult) -> Iterator[httpx.Client]:
    """An API without the response cache that finds no stored answer for any key."""
    from api.main import create_app

    app = create_app(neo4j_server.settings.model_copy(update={"api_cache": False}))

    async def nothing_stored(key: str) -> None:
        return None

    with serve(app) as url:
        app.state.repository.shape = nothing_stored
        with httpx.Client(base_url=url, timeout=60) as client:
            yield client


def _paths(items: dict[str, str]) -> list[str]:
    """Each item's detail, then its links both ways, under its kind and under any kind."""
    paths = []
    for ident, kind in sorted(items.items()):
        for plural in ("measures" if kind == "measure" else "tasks", "items"):
            paths.append(f"/{plural}/{ident}")
            paths += [f"/{plural}/{ident}/{links}" for links in ("successors", "predecessors")]
    return paths


def _link_paths(items: dict[str, str]) -> list[str]:
    return [p for p in _paths(items) if p.endswith(("/successors", "/predecessors"))]


def test_every_item_has_its_answers_stored(
    neo4j_driver: neo4j.Driver, neo4j_server: Any, items: dict[str, str]
) -> None:
    records, _, _ = neo4j_driver.execute_query(
        f"MATCH (s:{SHAPE}) RETURN s.key AS key", database_=neo4j_server.database
    )
    keys = {r["key"] for r in records}
    expected = set()
    for i, kind in items.items():
        for k in (kind, None):
            expected.add(shapes.detail_key(k, i))
            expected |= {shapes.links_key(name, k, i) for name in shapes.LINKS}
    assert keys == expected
    assert len(items) > 80


def test_stored_answers_are_the_api_answers_byte_for_byte(
    http: httpx.Client, live: httpx.Client, items: dict[str, str]
) -> None:
    for path in _paths(items):
        stored, computed = http.get(path), live.get(path)
        assert stored.status_code == computed.status_code == 200, path
        assert stored.content == computed.content, path
        assert stored.headers["content-type"] == computed.headers["content-type"], path


@pytest.mark.parametrize("accepted_only", [False, True])
def test_filtered_links_are_the_api_answers(
    http: httpx.Client, live: httpx.Client, items: dict[str, str], accepted_only: bool
) -> None:
    links = _link_paths(items)
    scores = sorted(m["score"] for path in links for m in http.get(path).json()["data"])
    params = {"min_score": scores[len(scores) // 2], "accepted_only": accepted_only}
    kept = 0
    for path in links:
        stored, computed = http.get(path, params=params), live.get(path, params=params)
        assert stored.status_code == computed.status_code == 200, path
        assert stored.content == computed.content, path
        kept += stored.json()["count"]
    assert 0 < kept < len(scores)


def test_unknown_and_other_kind_ids_are_still_404(
    http: httpx.Client, items: dict[str, str]
) -> None:
    measure = next(i for i, kind in items.items() if kind == "measure")
    for path in (f"/tasks/{measure}", f"/tasks/{measure}/predecessors", "/measures/gd2021-m999",
                 "/measures/gd2021-m999/successors", "/items/gd2021-m999",
                 "/items/gd2021-m999/predecessors"):  # fmt: skip
        response = http.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json")
