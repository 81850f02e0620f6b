"""The REST API against the live Neo4j: every read endpoint, and every error."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from align.clause_pairs import SIGNALS
from align.records import RELATION_PREDICATES, Alignment
from graph.store import LoadResult
from loaders.records import Corpus
from tests.integration.conftest import assert_problem, get
from tests.plugins.neo4j import serve

pytestmark = pytest.mark.integration


def test_health_reports_neo4j_and_the_graph_version(http: httpx.Client, loaded: LoadResult) -> None:
    body = get(http, "/health")
    assert body["status"] == "ok"
    assert body["neo4j"] == "up"
    assert body["graph_version"]
    assert body["nodes"] > 800


def test_documents_and_an_outline(http: httpx.Client) -> None:
    docs = get(http, "/documents")
    assert docs["count"] == 2
    assert [(d["id"], d["items"], d["kind"]) for d in docs["data"]] == [
        ("gd2021", 36, "measure"),
        ("gd2025", 50, "task"),
    ]
    assert docs["data"][0]["number"] == "粤府〔2021〕31号"
    assert docs["data"][0]["iri"] == "https://w3id.org/policykg/doc/gd2021"
    plan = get(http, "/documents/gd2025")
    assert len(plan["parts"]) == 6
    groups = [g for p in plan["parts"] for g in p["groups"]]
    assert len(groups) == 17
    assert sum(len(g["items"]) for g in groups) == 50
    assert groups[2]["items"] == ["gd2025-t05", "gd2025-t06"]
    opinion = get(http, "/documents/gd2021")
    assert sum(len(p["items"]) for p in opinion["parts"]) == 36


def test_lists_page_and_count(http: httpx.Client) -> None:
    measures = get(http, "/measures", limit=10, offset=30)
    assert measures["count"] == 36
    assert [m["id"] for m in measures["data"]] == [f"gd2021-m{n}" for n in range(32, 38)]
    tasks = get(http, "/tasks", limit=5)
    assert tasks["count"] == 50
    assert len(tasks["data"]) == 5
    assert all(t["kind"] == "task" and t["iri"].endswith(t["id"]) for t in tasks["data"])


def test_task_filters(http: httpx.Client) -> None:
    led = get(http, "/tasks", agency="gd-industry-information-technology-department", role="lead")
    assert led["count"] == 9
    assert "gd2025-t02" in {t["id"] for t in led["data"]}
    shared = get(http, "/tasks", agency="gd-science-technology-department", role="shared")
    assert {t["id"] for t in shared["data"]} == {"gd2025-t01", "gd2025-t06", "gd2025-t30"}
    ai = get(http, "/tasks", technology="artificial-intelligence", limit=100)
    assert "gd2025-t05" in {t["id"] for t in ai["data"]}  # 大模型, narrower than 人工智能
    gz = get(http, "/tasks", region="guangzhou", limit=100)
    assert "gd2025-t46" in {t["id"] for t in gz["data"]}  # 广州南沙, inside 广州
    assert get(http, "/tasks", doc="gd2021")["count"] == 0
    assert get(http, "/measures", doc="gd2021")["count"] == 36


def test_task_detail(http: httpx.Client) -> None:
    t17 = get(http, "/tasks/gd2025-t17")
    assert t17["title"] == "推進數字金融發展"
    assert t17["title_simplified"] == "推进数字金融发展"
    assert t17["script"] == "zh-Hant"
    assert t17["part"]["id"] == "gd2025-p02"
    assert t17["group"]["id"] == "gd2025-g05"
    roles = [(a["name"], a["role"]) for a in t17["agencies"]]
    assert roles[0] == ("中国人民银行广东省分行", "lead")
    inherited = [a for a in t17["agencies"] if a["inherited_from"]]
    assert [(a["role"], a["inherited_from"]) for a in inherited] == [("implementing", "gd2025-t01")]
    assert t17["text"].startswith("推進數字金融發展。")
    assert t17["text_simplified"].startswith("推进数字金融发展。")


def test_measure_detail_and_successors(http: httpx.Client) -> None:
    m07 = get(http, "/measures/gd2021-m07")
    assert m07["number"] == 7
    assert m07["agencies"] == []
    links = get(http, "/measures/gd2021-m07/successors")
    best = links["data"][0]
    assert (best["target"]["id"], best["rank"], best["accepted"]) == ("gd2025-t03", 1, True)
    assert 0 < best["score"] <= 1
    assert best["evidence"]["shared_terms"]
    assert set(best["evidence"]["contributions"]) >= {"chars", "words"}
    preds = get(http, "/tasks/gd2025-t03/predecessors")
    assert preds["data"][0]["source"]["id"] == "gd2021-m07"


def test_agencies(http: httpx.Client) -> None:
    agencies = get(http, "/agencies", limit=500)
    assert agencies["count"] == len(agencies["data"])
    miit = get(http, "/agencies/gd-industry-information-technology-department")
    assert miit["name"] == "广东省工业和信息化厅"
    assert miit["parent"]["id"] == "guangdong-provincial-government"
    assert len(miit["items"]["lead"]) == 9
    assert "工業和信息化廳" in miit["aliases"]  # as the 2025 clauses write it
    assert miit["lead"] == 9


def test_technologies_and_regions(http: httpx.Client) -> None:
    ai = get(http, "/technologies/artificial-intelligence")
    assert "大模型" in {n["name"] for n in ai["narrower"]}
    assert "gd2025-t05" in {i["id"] for i in ai["item_list"]}
    assert get(http, "/technologies", limit=1)["count"] >= 100
    gz = get(http, "/regions/guangzhou")
    assert gz["code"] == "440100"
    assert "nansha" in {p["id"] for p in gz["parts"]}
    assert "greater-bay-area" in {w["id"] for w in gz["within"]}
    assert "gd2025-t46" in {i["id"] for i in gz["item_list"]}


def test_mappings_and_coverage(http: httpx.Client) -> None:
    everything = get(http, "/mappings", limit=500)
    accepted = get(http, "/mappings", accepted_only=True, limit=500)
    assert 0 < accepted["count"] < everything["count"]
    assert all(m["accepted"] for m in accepted["data"])
    strong = get(http, "/mappings", min_score=0.2, limit=500)
    assert all(m["score"] >= 0.2 for m in strong["data"])
    assert all(m["clauses"] and m["relation"] and m["predicate"] for m in accepted["data"])
    assert not any(m["clauses"] for m in everything["data"] if not m["accepted"])
    coverage = get(http, "/coverage", source="gd2021", target="gd2025")
    new = {e["item"]["id"] for e in coverage["new"]}
    assert "gd2025-t36" in new  # 法治数字化: courts and procuratorates, never in the 2021 text
    accepted_targets = {m["target"]["id"] for m in accepted["data"]}
    assert new.isdisjoint(accepted_targets)
    assert len(new) + len(accepted_targets) == 50


def test_mappings_and_coverage_are_the_alignment(
    http: httpx.Client, alignments: list[Alignment]
) -> None:
    (alignment,) = alignments
    accepted = get(http, "/mappings", accepted_only=True, limit=500)["data"]
    served = {
        (m["source"]["id"], m["target"]["id"]): (
            m["relation"],
            m["predicate"],
            sorted((p["source"]["id"], p["target"]["id"]) for p in m["clauses"]),
        )
        for m in accepted
    }
    expected = {
        (lk.source, lk.target): (
            lk.relation,
            RELATION_PREDICATES[lk.relation] if lk.relation else None,
            sorted((c.source.id, c.target.id) for c in lk.clauses),
        )
        for lk in alignment.accepted()
    }
    assert {k: v[0] for k, v in served.items()} == {k: v[0] for k, v in expected.items()}
    assert {k: v[2] for k, v in served.items()} == {k: v[2] for k, v in expected.items()}
    assert all(v[1].startswith("skos:") for v in served.values())
    coverage = get(http, "/coverage")
    assert [v["clause"]["id"] for v in coverage["not_continued"]] == [
        v.clause.id for v in alignment.coverage.not_continued
    ]
    assert [e["item"]["id"] for e in coverage["new"]] == [e.item for e in alignment.coverage.new]
    assert [e["item"]["id"] for e in coverage["dropped"]] == [
        e.item for e in alignment.coverage.dropped
    ]


def test_a_measure_lists_its_clauses_and_where_they_went(
    http: httpx.Client, corpus: Corpus, alignments: list[Alignment]
) -> None:
    (alignment,) = alignments
    m06 = get(http, "/measures/gd2021-m06")
    item = next(i for i in corpus.items() if i.id == "gd2021-m06")
    assert [c["id"] for c in m06["clauses"]] == [c.id for c in item.clauses]
    assert [c["text"] for c in m06["clauses"]] == [c.text for c in item.clauses]
    assert "".join(c["text"] for c in m06["clauses"]) == m06["text"]
    accepted: dict[str, set[str]] = {}
    for link in alignment.clause_links:
        if link.source.item == "gd2021-m06" and link.accepted:
            accepted.setdefault(link.source.id, set()).add(link.target.id)
    for clause in m06["clauses"]:
        went = {link["clause"]["id"] for link in clause["continued_in"]}
        assert went == accepted.get(clause["id"], set())
        assert all(link["accepted"] for link in clause["continued_in"])
        assert clause["carried_from"] == []
        if went:
            assert clause["not_continued_in"] == []
    title = m06["clauses"][0]
    assert title["not_continued_in"] == []  # a title sentence never decides, either way


def test_a_clause_detail(http: httpx.Client, corpus: Corpus, alignments: list[Alignment]) -> None:
    (alignment,) = alignments
    clause = get(http, "/clauses/gd2021-m06-c02")
    record = next(c for i in corpus.items() for c in i.clauses if c.id == "gd2021-m06-c02")
    assert clause["text"] == record.text
    assert (clause["span"]["start"], clause["span"]["end"]) == (record.span.start, record.span.end)
    assert clause["item_summary"]["id"] == "gd2021-m06"
    assert "smart-transport" in {t["id"] for t in clause["technologies"]}
    kept = sorted(
        (c for c in alignment.clause_links if c.source.id == "gd2021-m06-c02"),
        key=lambda c: -c.score,
    )
    assert [c["clause"]["id"] for c in clause["candidates"]] == [c.target.id for c in kept]
    assert [c["accepted"] for c in clause["candidates"]] == [c.accepted for c in kept]
    assert set(clause["signals"]) == {c.target.id for c in kept}
    assert all(set(s) == set(SIGNALS) for s in clause["signals"].values())
    # the same link, seen from the 2025 end
    target = kept[0].target.id
    back = get(http, f"/clauses/{target}")
    assert "gd2021-m06-c02" in {c["clause"]["id"] for c in back["sources"]}
    assert back["candidates"] == []
    assert back["script"] == "zh-Hant"
    assert back["text"] != back["text_simplified"]


def test_search_in_either_script_finds_the_same_items(http: httpx.Client) -> None:
    simplified = get(http, "/search", q="数据要素")
    traditional = get(http, "/search", q="數據要素")
    assert [h["item"]["id"] for h in simplified["data"]] == [
        h["item"]["id"] for h in traditional["data"]
    ]
    assert traditional["query_simplified"] == "数据要素"
    ids = {h["item"]["id"] for h in traditional["data"]}
    assert {"gd2021-m08", "gd2025-t04"} <= ids
    hit = next(h for h in traditional["data"] if h["item"]["id"] == "gd2025-t04")
    assert "<mark>数据要素</mark>" in hit["snippet"]
    assert "<mark>數據要素</mark>" in hit["snippet_original"]


def test_ontology_and_export(http: httpx.Client, graph: Graph) -> None:
    onto = http.get("/ontology")
    assert onto.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=onto.text, format="turtle")) > 100
    turtle = http.get("/export", params={"format": "turtle"})
    assert isomorphic(Graph().parse(data=turtle.text, format="turtle"), graph)
    jsonld = http.get("/export", params={"format": "jsonld"})
    assert isomorphic(Graph().parse(data=jsonld.text, format="json-ld"), graph)
    rows = list(csv.reader(io.StringIO(http.get("/export", params={"format": "csv"}).text)))
    assert rows[0] == ["subject", "predicate", "object", "datatype", "language"]
    assert len(rows) == len(graph) + 1


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tasks/gd2025-t99", 404),
        ("/measures/gd2025-t05", 404),  # a task is not a measure
        ("/agencies/nobody", 404),
        ("/technologies/flux-capacitor", 404),
        ("/regions/atlantis", 404),
        ("/documents/gd1999", 404),
        ("/measures/gd1999-m01/successors", 404),
        ("/tasks/gd1999-t01/predecessors", 404),
        ("/mappings?source=gd1999", 404),
        ("/coverage?target=gd1999", 404),
        ("/nothing-here", 404),
        ("/tasks?role=boss", 422),
        ("/tasks?limit=0", 422),
        ("/tasks?limit=100000", 422),
        ("/tasks?offset=-1", 422),
        ("/tasks?agency=ROBERT'); DROP TABLE", 422),
        ("/mappings?min_score=2", 422),
        ("/mappings?accepted_only=maybe", 422),
        ("/search", 422),
        ("/search?q=", 422),
        ("/search?q=%20%20", 422),
        ("/export?format=xml", 422),
        ("/tasks/" + "x" * 300, 422),
        ("/tasks/%E6%95%B0%E6%8D%AE", 422),
        ("/clauses/gd2021-m06-c99", 404),
        ("/clauses/gd2021-m06", 404),
        ("/clauses/" + "x" * 300, 422),
    ],
)
def test_errors_are_problem_details_never_500(http: httpx.Client, path: str, status: int) -> None:
    assert_problem(http.get(path), status)


def test_odd_search_text_never_fails(http: httpx.Client) -> None:
    for q in ['"', "(((", "a:b", "*", "~", "\\", "AND", "数据 OR", "{[}]", "🙂", "x" * 200]:
        response = http.get("/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)


def test_responses_are_cached_per_graph_version(http: httpx.Client) -> None:
    first = http.get("/tasks/gd2025-t01")
    second = http.get("/tasks/gd2025-t01")
    assert second.headers.get("x-cache") == "hit"
    assert first.json() == second.json()


def test_openapi_has_an_example_for_every_endpoint(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    missing = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if not _has_example(op, spec):
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def _has_example(op: dict[str, Any], spec: dict[str, Any]) -> bool:
    text = json.dumps(op)
    if '"example' in text:
        return True
    for response in op.get("responses", {}).values():
        for media in response.get("content", {}).values():
            ref = media.get("schema", {}).get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if name and "example" in json.dumps(spec["components"]["schemas"].get(name, {})):
                return True
    return False


def test_cors_origins_are_configurable(neo4j_server: Any, loaded: LoadResult) -> None:
    from api.main import create_app

    settings = neo4j_server.settings.model_copy(
        update={"cors_origins": ["https://frontend.example"]}
    )
    with serve(create_app(settings)) as url:
        allowed = httpx.get(f"{url}/documents", headers={"Origin": "https://frontend.example"})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://frontend.example"
        other = httpx.get(f"{url}/documents", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
    with serve(create_app(neo4j_server.settings)) as url:
        closed = httpx.get(f"{url}/documents", headers={"Origin": "https://frontend.example"})
        assert closed.status_code == 200
        assert "access-control-allow-origin" not in closed.headers
