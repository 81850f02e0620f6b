"""Policy content in the real Neo4j and through the API: deliverables, targets, citations,
instruments on clauses and items, and the instrument mix."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from neo4j import Driver

from graph.store import LoadResult
from loaders.records import Corpus
from tests.integration.conftest import assert_problem, get

pytestmark = pytest.mark.integration


def _count(driver: Driver, query: str) -> int:
    records, _, _ = driver.execute_query(query, database_="neo4j")
    n: int = records[0]["n"]
    return n


def test_the_graph_holds_every_clause_s_content(
    neo4j_driver: Driver, loaded: LoadResult, corpus: Corpus
) -> None:
    driver = neo4j_driver
    clauses = [c for i in corpus.items() for c in i.clauses]
    for rel, label, field in (
        ("PROMISES", "Deliverable", "deliverables"),
        ("SETS", "Target", "targets"),
        ("USES_INSTRUMENT", "InstrumentUse", "instruments"),
    ):
        n = _count(driver, f"MATCH (:Clause)-[:{rel}]->(:{label}) RETURN count(*) AS n")
        assert n == sum(len(getattr(c, field)) for c in clauses), rel
    cited = {x.title_simplified for c in clauses for x in c.citations}
    records, _, _ = driver.execute_query(
        "MATCH (:Clause)-[:CITES]->(d:PolicyDocument) "
        "RETURN collect(DISTINCT d.titleSimplified) AS titles, "
        "collect(DISTINCT d.external) AS external",
        database_="neo4j",
    )
    assert set(records[0]["titles"]) == cited
    assert records[0]["external"] == [True]  # the corpus cites no document of its own


def test_documents_lists_the_corpus_not_the_documents_it_cites(http: httpx.Client) -> None:
    body = get(http, "/documents")
    assert [d["id"] for d in body["data"]] == ["gd2021", "gd2025"]


def test_an_item_and_a_clause_carry_their_content(http: httpx.Client, corpus: Corpus) -> None:
    record = next(c for i in corpus.items() for c in i.clauses if c.id == "gd2025-t03-c02")
    task = get(http, "/tasks/gd2025-t03")
    clause = next(c for c in task["clauses"] if c["id"] == record.id)
    detail = get(http, f"/clauses/{record.id}")
    for content in (clause["content"], detail["content"]):
        assert [(d["kind"], d["verb"], d["name"]) for d in content["deliverables"]] == [
            (d.kind, d.verb, d.name) for d in record.deliverables
        ]
        assert [d["span"]["start"] for d in content["deliverables"]] == [
            d.span.start for d in record.deliverables
        ]
        (citation,) = content["citations"]
        assert citation["title_simplified"] == "广东省数据条例"
        assert citation["document"] is None
        assert citation["span"] == record.citations[0].span.model_dump()
        assert [(i["type"], i["tool"], i["cue"]) for i in content["instruments"]] == [
            (i.type, i.tool, i.cue) for i in record.instruments
        ]
    target = get(http, "/clauses/gd2025-t10-c05")["content"]["targets"]
    assert [(t["value"], t["unit"], t["comparator"]) for t in target] == [(75.0, "%", "reach")]


def test_the_instrument_mix_is_the_records_codes(http: httpx.Client, corpus: Corpus) -> None:
    body = get(http, "/instruments/mix", by="document", level="tool")
    for d in corpus.documents:
        clauses = [c for i in d.items for c in i.clauses]
        codes = Counter((i.type, i.tool) for c in clauses for i in c.instruments)
        rows = [r for r in body["data"] if r["document"] == d.key and r["type"] != "none"]
        assert {(r["type"], r["tool"]): r["codes"] for r in rows} == dict(codes)
        assert abs(sum(r["share"] for r in rows) - 1) < 0.01
        (uncoded,) = [r for r in body["data"] if r["document"] == d.key and r["type"] == "none"]
        assert uncoded["clauses"] == sum(1 for c in clauses if not c.instruments)
        assert {r["year"] for r in body["data"] if r["document"] == d.key} == {d.date.year}


def test_the_mix_by_part_and_by_lead_agency(http: httpx.Client, corpus: Corpus) -> None:
    by_part = get(http, "/instruments/mix", by="part", doc="gd2025")
    assert {r["group"]["id"] for r in by_part["data"]} == {
        p.id for p in corpus.document("gd2025").parts
    }
    main = get(http, "/instruments/mix", by="agency", main_only="true")
    expected: Counter[tuple[str, str]] = Counter()
    for item in corpus.items():
        for r in item.responsibilities:
            if r.role == "lead" and r.agency:
                expected.update((r.agency, c.instruments[0].type) for c in item.clauses
                                if c.instruments)  # fmt: skip
    got = {(r["group"]["id"], r["type"]): r["codes"] for r in main["data"] if r["type"] != "none"}
    assert got == dict(expected)


@pytest.mark.parametrize(
    ("params", "status"),
    [({"doc": "gd1999"}, 404), ({"by": "region"}, 422), ({"level": "words"}, 422)],
)
def test_bad_mix_parameters_are_problems(
    http: httpx.Client, params: dict[str, str], status: int
) -> None:
    assert_problem(http.get("/instruments/mix", params=params), status)
