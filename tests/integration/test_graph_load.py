"""The RDF graph in the real Neo4j: load, idempotence, all-or-nothing, round trip, cookbook."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from neo4j import Driver
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from align.records import RELATION_PREDICATES, Alignment
from core.errors import GraphStoreError
from graph.cookbook import recipes
from graph.mapping import mapping_and_rows
from graph.store import LoadResult, counts, export_graph, load_graph, load_rows, read_meta
from ontology.namespaces import PKG
from tests.integration.content_checks import CONTENT_CHECKS

pytestmark = pytest.mark.integration

Rows = list[dict[str, Any]]


def _names(records: list[Any], key: str) -> list[Any]:
    return [r[key] for r in records]


def test_load_gives_the_counts_of_the_graph(
    driver: Driver, loaded: LoadResult, graph: Graph
) -> None:
    nodes, rels = counts(driver, "neo4j")
    assert (nodes, rels) == (loaded.nodes, loaded.relationships)
    assert loaded.triples == len(graph)
    records, _, _ = driver.execute_query("MATCH (t:Task) RETURN count(t) AS n", database_="neo4j")
    assert records[0]["n"] == 50
    records, _, _ = driver.execute_query(
        "MATCH (m:Measure) RETURN count(m) AS n", database_="neo4j"
    )
    assert records[0]["n"] == 36


def test_loading_twice_gives_the_same_counts(
    driver: Driver, loaded: LoadResult, graph: Graph
) -> None:
    before = counts(driver, "neo4j")
    again = load_graph(driver, "neo4j", graph)
    assert counts(driver, "neo4j") == before
    assert (again.nodes, again.relationships) == before
    assert again.version != loaded.version  # every load is a new version
    meta = read_meta(driver, "neo4j")
    assert meta is not None and meta.version == again.version


def test_export_is_isomorphic_to_what_was_loaded(
    driver: Driver, loaded: LoadResult, graph: Graph
) -> None:
    exported = export_graph(driver, "neo4j")
    assert len(exported) == len(graph)
    assert isomorphic(exported, graph)


def test_researchers_write_short_readable_cypher(driver: Driver, loaded: LoadResult) -> None:
    records, _, _ = driver.execute_query(
        "MATCH (a:Agency)-[:LEADS]->(t:Task {id: 'gd2025-t17'}) RETURN a.prefLabel_zh_Hans AS name",
        database_="neo4j",
    )
    assert _names(records, "name") == ["中国人民银行广东省分行"]
    records, _, _ = driver.execute_query(
        "MATCH (:Measure {id: 'gd2021-m07'})-[:CONTINUED_BY]->(t:Task) "
        "RETURN t.id AS id ORDER BY id",
        database_="neo4j",
    )
    assert "gd2025-t03" in _names(records, "id")
    records, _, _ = driver.execute_query(
        "MATCH (a:Alignment)-[:SOURCE]->(:Measure {id: 'gd2021-m07'}) RETURN count(a) AS n",
        database_="neo4j",
    )
    assert records[0]["n"] >= 1


def test_full_text_index_uses_the_cjk_analyzer(driver: Driver, loaded: LoadResult) -> None:
    records, _, _ = driver.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'item_text' RETURN options",
        database_="neo4j",
    )
    assert records[0]["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    records, _, _ = driver.execute_query(
        "CALL db.index.fulltext.queryNodes('item_text', '\"数据要素\"') YIELD node "
        "RETURN node.id AS id",
        database_="neo4j",
    )
    assert {"gd2021-m08", "gd2025-t04"} <= set(_names(records, "id"))


def test_a_failed_load_leaves_the_previous_graph_in_place(
    driver: Driver, loaded: LoadResult, graph: Graph
) -> None:
    before = counts(driver, "neo4j")
    version = read_meta(driver, "neo4j")
    broken = Graph()
    broken += graph
    # A relationship to a node the load never creates makes Neo4j's MATCH find nothing,
    # which the loader treats as a failure half-way through the relationships.
    mapping, rows = mapping_and_rows(broken)
    rel_type = sorted(rows.relationships)[-1]
    rows.relationships[rel_type].append(
        {"s": "https://example.org/nowhere", "o": "https://example.org/x"}
    )
    with pytest.raises(GraphStoreError, match="do not exist"):
        load_rows(driver, "neo4j", rows, mapping, triples=len(broken))
    assert counts(driver, "neo4j") == before
    assert read_meta(driver, "neo4j") == version


def test_a_load_that_dies_midway_rolls_back(
    driver: Driver, loaded: LoadResult, graph: Graph
) -> None:
    before = counts(driver, "neo4j")
    mapping, rows = mapping_and_rows(graph)

    class Interrupted(Exception):
        pass

    def interrupt(done: int, total: int) -> None:
        if done > total // 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        load_rows(
            driver, "neo4j", rows, mapping, triples=len(graph), progress=interrupt, batch_size=100
        )
    assert counts(driver, "neo4j") == before


def test_readers_never_see_half_a_graph(driver: Driver, loaded: LoadResult, graph: Graph) -> None:
    full = counts(driver, "neo4j")
    seen: set[tuple[int, int]] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(counts(driver, "neo4j"))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(2):
            load_graph(driver, "neo4j", graph, batch_size=200)
    finally:
        stop.set()
        reader.join()
    assert seen == {full}


def test_literals_keep_language_and_datatype(driver: Driver, loaded: LoadResult) -> None:
    exported = export_graph(driver, "neo4j")
    t05 = URIRef("https://w3id.org/policykg/item/gd2025-t05")
    original = exported.value(t05, PKG.originalText)
    assert isinstance(original, Literal) and original.language == "zh-Hant"
    rank = next(exported.objects(None, PKG.rank))
    assert isinstance(rank, Literal) and isinstance(rank.toPython(), int)


@pytest.mark.parametrize("recipe", recipes(), ids=lambda r: r.name)
def test_every_cookbook_query_answers_its_question(
    driver: Driver, loaded: LoadResult, recipe: Any, alignments: list[Alignment]
) -> None:
    records, _, _ = driver.execute_query(recipe.query, recipe.parameters, database_="neo4j")
    rows = [dict(r) for r in records]
    check = COOKBOOK_CHECKS[recipe.name]
    (alignment,) = alignments
    check(rows, alignment)


def _agencies_leading(rows: Rows, _: Alignment) -> None:
    assert rows[0]["name"] == "广东省政务服务和数据管理局"
    assert rows[0]["tasks_led"] == 13
    assert rows[1]["name"] == "广东省工业和信息化厅"
    assert rows[1]["tasks_led"] == 9
    assert [r["tasks_led"] for r in rows] == sorted((r["tasks_led"] for r in rows), reverse=True)


def _tasks_shared(rows: Rows, _: Alignment) -> None:
    # 省科技厅 shares tasks 1, 6 and 30 (按职责分工负责) and leads none
    assert [r["task"] for r in rows] == ["gd2025-t01", "gd2025-t06", "gd2025-t30"]
    assert rows[1]["led_by"] == ["广东省工业和信息化厅"]


def _technology(rows: Rows, _: Alignment) -> None:
    items = {r["item"] for r in rows}
    assert "gd2025-t05" in items  # names 大模型 and 具身智能, both narrower than 人工智能
    t05 = next(r for r in rows if r["item"] == "gd2025-t05")
    assert "大模型" in t05["via"]


def _place(rows: Rows, _: Alignment) -> None:
    items = {r["item"] for r in rows}
    assert "gd2025-t46" in items  # names 广州南沙, a place inside 广州
    assert "gd2025-t34" in items  # names 广州 itself


def _many_bodies(rows: Rows, _: Alignment) -> None:
    assert rows[0]["task"] == "gd2025-t49"
    assert rows[0]["bodies_count"] == 9  # eight named, plus the cities by 下同
    assert all(r["bodies_count"] > 5 for r in rows)


def _successors(rows: Rows, alignment: Alignment) -> None:
    assert rows[0]["task"] == "gd2025-t03"
    assert rows[0]["rank"] == 1
    assert rows[0]["accepted"] is True
    links = {lk.target: lk for lk in alignment.links if lk.source == "gd2021-m07"}
    assert {r["task"] for r in rows} == set(links)
    for r in rows:
        lk = links[r["task"]]
        assert (r["accepted"], r["relation"], r["rank"]) == (lk.accepted, lk.relation, lk.rank)
        assert r["share"] == pytest.approx(lk.share)


def _accepted_clause_links(alignment: Alignment) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in alignment.clause_links:
        if c.accepted:
            out.setdefault(c.source.id, set()).add(c.target.id)
    return out


def _clause_trail(rows: Rows, alignment: Alignment) -> None:
    # every sentence of 措施 6, in order, each with the 2025 clauses accepted for it
    assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["continued_in"] == []  # the title sentence never decides
    went = _accepted_clause_links(alignment)
    assert {r["clause"]: set(r["continued_in"]) for r in rows} == {
        r["clause"]: went.get(r["clause"], set()) for r in rows
    }
    assert any(len(r["tasks"]) > 1 for r in rows)  # one sentence to two tasks


def _clause_candidates(rows: Rows, alignment: Alignment) -> None:
    # 数据靶场 … 自然灾害 … 调度指挥 → 智慧大应急 … 自然灾害风险监测预警 … 智能调度
    assert (rows[0]["task"], rows[0]["accepted"]) == ("gd2025-t33", True)
    kept = sorted(
        (c for c in alignment.clause_links if c.source.id == "gd2021-m07-c07"),
        key=lambda c: (-c.score, c.target.id),
    )
    assert [(r["clause"], r["accepted"]) for r in rows] == [(c.target.id, c.accepted) for c in kept]
    assert [r["probability"] for r in rows] == sorted(
        (r["probability"] for r in rows), reverse=True
    )


def _kinds(rows: Rows, alignment: Alignment) -> None:
    expected: dict[str, int] = {}
    for lk in alignment.accepted():
        assert lk.relation is not None
        name = RELATION_PREDICATES[lk.relation].removeprefix("skos:")
        key = "_".join(part.upper() for part in re.findall("[a-z]+|[A-Z][a-z]*", name))
        expected[key] = expected.get(key, 0) + 1
    assert {r["predicate"]: r["links"] for r in rows} == expected


def _split(rows: Rows, alignment: Alignment) -> None:
    targets: dict[str, set[str]] = {}
    for lk in alignment.accepted():
        targets.setdefault(lk.source, set()).add(lk.target)
    assert {r["measure"]: {p["task"] for p in r["parts"]} for r in rows} == {
        m: t for m, t in targets.items() if len(t) > 1
    }
    went = _accepted_clause_links(alignment)
    for r in rows:
        for part in r["parts"]:
            assert part["clauses"], part  # an accepted item link has an accepted clause link
            assert all(
                any(t.startswith(part["task"] + "-") for t in went[c]) for c in part["clauses"]
            )


def _merged(rows: Rows, alignment: Alignment) -> None:
    sources: dict[str, set[str]] = {}
    for lk in alignment.accepted():
        sources.setdefault(lk.target, set()).add(lk.source)
    assert {r["task"]: {s["measure"] for s in r["sources"]} for r in rows} == {
        t: s for t, s in sources.items() if len(s) > 1
    }
    for r in rows:  # "merged" only when that measure goes to this task alone
        assert all(s["relation"] in {"merged", "partial"} for s in r["sources"])


def _not_continued(rows: Rows, alignment: Alignment) -> None:
    assert [r["clause"] for r in rows] == [v.clause.id for v in alignment.coverage.not_continued]
    assert not any(r["accepted"] for r in rows)  # the best candidate anyway, below threshold
    assert not any(r["clause"].endswith("-c01") for r in rows)  # titles never decide


def _coverage(rows: Rows, alignment: Alignment) -> None:
    coverage = alignment.coverage
    assert [(r["source"], r["target"]) for r in rows] == [("gd2021", "gd2025")]
    (row,) = rows
    assert sorted(row["dropped"]) == [e.item for e in coverage.dropped]
    assert (row["new"], row["not_continued"]) == (len(coverage.new), len(coverage.not_continued))
    assert row["source_clauses"] == 183


def _new(rows: Rows, alignment: Alignment) -> None:
    assert [r["task"] for r in rows] == [e.item for e in alignment.coverage.new]
    assert "gd2025-t36" in {r["task"] for r in rows}  # 法治数字化: courts and procuratorates


def _data_task_leads(rows: Rows, _: Alignment) -> None:
    # the corpus has one plan (2025): its data tasks are led first by the data administration,
    # under the name in force then; the three-year family is checked in test_family_series
    assert {r["year"] for r in rows} == {2025}
    assert rows[0]["agency"] == "gd-government-services-data-administration"
    assert rows[0]["became"] is None
    assert [r["tasks_led"] for r in rows] == sorted((r["tasks_led"] for r in rows), reverse=True)
    assert all(r["tasks_led"] == len(r["tasks"]) for r in rows)


COOKBOOK_CHECKS = {
    "agencies-leading-most-tasks": _agencies_leading,
    "tasks-an-agency-shares": _tasks_shared,
    "items-mentioning-a-technology": _technology,
    "items-concerning-a-place": _place,
    "tasks-with-many-bodies": _many_bodies,
    "measure-successors": _successors,
    "clause-trail": _clause_trail,
    "clause-candidates": _clause_candidates,
    "kinds-of-succession": _kinds,
    "measures-split-across-tasks": _split,
    "tasks-merging-measures": _merged,
    "clauses-not-continued": _not_continued,
    "new-tasks": _new,
    "coverage-summary": _coverage,
    "data-task-leads-by-year": _data_task_leads,
    **CONTENT_CHECKS,
}


def test_every_cookbook_file_has_a_check() -> None:
    assert {r.name for r in recipes()} == set(COOKBOOK_CHECKS)


@pytest.fixture
def driver(neo4j_driver: Driver) -> Driver:
    return neo4j_driver
