"""The cache of researchers' results: what it keeps, for how long, and within what bounds."""

from __future__ import annotations

from typing import Any

import pytest

from api.cypher.cache import Key, ResultCache, result_key, volatile
from api.cypher.service import CypherLimits, CypherOutcome

LIMITS = CypherLimits(timeout_s=10, row_cap=1000, max_bytes=2**20, memory_bytes=2**28,
                      concurrency=1)  # fmt: skip


def outcome(rows: list[list[Any]], truncated_by: str | None = None) -> CypherOutcome:
    return CypherOutcome(["n"], rows, truncated_by, None)  # type: ignore[arg-type]


def key(query: str = "MATCH (t:Task) RETURN count(t) AS n", **parameters: object) -> Key:
    return result_key(query, parameters, LIMITS)


def test_a_result_is_kept_for_its_graph_version_only() -> None:
    cache = ResultCache()
    answer = outcome([[82]])
    assert cache.get("v1", key()) is None
    assert cache.put("v1", key(), answer)
    assert cache.get("v1", key()) is answer
    assert cache.get("v2", key()) is None  # a new load empties it
    assert len(cache) == 0 and cache.bytes == 0
    assert cache.get("v1", key()) is None  # and what was kept for the old graph is gone


def test_the_key_is_the_text_the_parameters_and_the_limits() -> None:
    assert key(a=1, b=2) == key(b=2, a=1)
    assert key(a=1) != key(a=1.0)
    assert key(a="数据") != key(a="数据 ")
    assert key() != key("MATCH (t:Task)  RETURN count(t) AS n")
    other = CypherLimits(**{**LIMITS.__dict__, "row_cap": 10})
    assert result_key("RETURN 1", {}, LIMITS) != result_key("RETURN 1", {}, other)


def test_truncated_results_are_not_kept() -> None:
    cache = ResultCache()
    assert not cache.put("v1", key(), outcome([[1]], truncated_by="rows"))
    assert not cache.put("v1", key(), outcome([[1]], truncated_by="bytes"))
    assert cache.get("v1", key()) is None


@pytest.mark.parametrize(
    "query",
    ["RETURN rand() AS r", "RETURN randomUUID()", "RETURN timestamp()", "RETURN datetime()",
     "RETURN date( ) AS today", "RETURN datetime.realtime()", "RETURN localtime.statement()",
     "MATCH (t:Task) RETURN t.id ORDER BY RAND() LIMIT 3"],
)  # fmt: skip
def test_queries_that_change_from_run_to_run_are_not_kept(query: str) -> None:
    assert volatile(query)
    assert not ResultCache().put("v1", key(query), outcome([[1]]))


@pytest.mark.parametrize(
    "query",
    ["MATCH (d:PolicyDocument) RETURN d.date", "RETURN date('2021-09-30')",
     "MATCH (n) WHERE n.rand > 1 RETURN n.timestamp", "MATCH (t:Time) RETURN t",
     "RETURN 'rand()' AS text", "// datetime()\nRETURN 1"],
)  # fmt: skip
def test_deterministic_queries_are_kept(query: str) -> None:
    assert not volatile(query)
    assert ResultCache().put("v1", key(query), outcome([[1]]))


def test_entries_are_bounded_least_recently_used_first() -> None:
    cache = ResultCache(max_entries=2)
    for n in range(3):
        if n == 2:
            cache.get("v1", key(n=0))  # 0 used again: 1 is now the oldest
        cache.put("v1", key(n=n), outcome([[n]]))
    assert len(cache) == 2
    assert cache.get("v1", key(n=1)) is None
    assert cache.get("v1", key(n=0)) is not None and cache.get("v1", key(n=2)) is not None


def test_bytes_are_bounded() -> None:
    row = ["数" * 100]  # 300 bytes of UTF-8, 302 with the quotes
    cache = ResultCache(max_bytes=1000)
    for n in range(5):
        assert cache.put("v1", key(n=n), outcome([row]))
        assert cache.bytes <= 1000
    assert len(cache) == 3  # each 306 bytes of rows and 5 of columns
    assert [cache.get("v1", key(n=n)) is not None for n in range(5)] == [False, False] + [True] * 3
    assert not cache.put("v1", key(n=9), outcome([row] * 4))  # larger than the whole cache
    assert cache.get("v1", key(n=9)) is None


def test_storing_a_key_again_replaces_it() -> None:
    cache = ResultCache()
    cache.put("v1", key(), outcome([[1]]))
    size = cache.bytes
    cache.put("v1", key(), outcome([[2]]))
    assert len(cache) == 1 and cache.bytes == size
    hit = cache.get("v1", key())
    assert hit is not None and hit.rows == [[2]]
