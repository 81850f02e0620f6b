"""A three-document series end to end against the real Neo4j: the test family parsed, its
chain aligned pair by pair, loaded, and read through the API (series, chains, agencies
through time) and the cookbook.

The family (``tests/data/family``) is loaded into a managed Neo4j of its own
(:mod:`tests.plugins.neo4j`), so the corpus graph the other tests read is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import neo4j
import pytest

from graph.cookbook import recipes
from graph.store import LoadResult
from policykg.pipeline import Build
from tests.integration.conftest import get
from tests.integration.succession_checks import SUCCESSION_CHECKS

pytestmark = pytest.mark.integration

OLD = "gd-government-services-data-administration-2018"
NEW = "gd-government-services-data-administration"


@pytest.fixture(scope="module")
def family_api(family_api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=family_api_url, timeout=60) as client:
        yield client


def test_the_chain_is_aligned_pair_by_consecutive_pair(family_built: Build) -> None:
    pairs = [(a.source, a.target) for a in family_built.alignments]
    assert pairs == [("fam2021", "fam2023"), ("fam2023", "fam2025")]


def test_the_series_lists_its_documents_in_order(family_api: httpx.Client) -> None:
    body = get(family_api, "/series")
    assert body["count"] == 1
    (series,) = body["data"]
    assert series["id"] == "famdg"
    assert [(d["id"], d["position"]) for d in series["documents"]] == [
        ("fam2021", 1), ("fam2023", 2), ("fam2025", 3),
    ]  # fmt: skip
    assert [d["date"] for d in series["documents"]] == ["2021-06-18", "2023-03-20", "2025-04-08"]


def test_a_measure_is_followed_to_2025_with_clause_evidence(family_api: httpx.Client) -> None:
    chain = get(family_api, "/chains/fam2021-m01")
    assert chain["series"] == "famdg"
    assert [(s["source_document"], s["target_document"]) for s in chain["steps"]] == [
        ("fam2021", "fam2023"), ("fam2023", "fam2025"),
    ]  # fmt: skip
    first, second = chain["steps"]
    assert first["links"][0]["target"]["id"] == "fam2023-p01t01"
    assert second["links"][0]["target"]["id"] == "fam2025-p01t01"
    for step in chain["steps"]:
        link = step["links"][0]
        assert link["accepted"]
        assert link["clauses"], "each step carries the clause links behind it"
        clause = link["clauses"][0]
        assert clause["source"]["item"] == link["source"]["id"]
        assert clause["target"]["item"] == link["target"]["id"]
    assert chain["reached"] == ["fam2025-p01t01"]


def test_a_chain_starting_in_the_middle_has_one_step(family_api: httpx.Client) -> None:
    chain = get(family_api, "/chains/fam2023-p02t02")
    assert [s["target_document"] for s in chain["steps"]] == ["fam2025"]
    assert chain["steps"][0]["links"][0]["target"]["id"] == "fam2025-p02t02"


def test_an_unknown_item_has_no_chain(family_api: httpx.Client) -> None:
    assert family_api.get("/chains/fam2021-m99").status_code == 404


def test_the_agency_through_its_reorganisation(family_api: httpx.Client) -> None:
    for ident in (NEW, OLD):  # the same history from either body
        history = get(family_api, f"/agencies/{ident}/history")
        names = [(n["id"], n["name"], n["since"], n["until"]) for n in history["names_over_time"]]
        assert names == [
            (OLD, "广东省政务服务数据管理局", None, "2024-01-01"),
            (NEW, "广东省政务服务和数据管理局", "2024-01-01", None),
        ]
        assert all(n["source"] for n in history["names_over_time"])
    leads = {
        (r["document"], r["agency"]) for r in history["roles_by_document"] if r["role"] == "lead"
    }
    assert leads == {("fam2023", OLD), ("fam2025", NEW)}


def test_the_agency_detail_names_its_former_names(family_api: httpx.Client) -> None:
    detail = get(family_api, f"/agencies/{NEW}")
    assert "广东省政务服务数据管理局" in detail["former_names"]
    # the detail shows its names over time and its roles per document, as the history does
    history = get(family_api, f"/agencies/{NEW}/history")
    assert detail["names_over_time"] == history["names_over_time"]
    assert detail["roles_by_document"] == history["roles_by_document"]
    assert {r["document"] for r in detail["roles_by_document"]} == {"fam2023", "fam2025"}


def test_generic_bodies_are_not_unresolved_in_the_graph(
    family_driver: neo4j.Driver, family_loaded: LoadResult
) -> None:
    records, _, _ = family_driver.execute_query(
        "MATCH (a:Agency) WHERE a.resolved = false RETURN a.prefLabel_zh_Hans AS name"
    )
    assert [r["name"] for r in records] == []
    records, _, _ = family_driver.execute_query(
        "MATCH (a:Agency {generic: true})<-[:AGENT]-(:Responsibility) "
        "RETURN DISTINCT a.prefLabel_zh_Hans AS name ORDER BY name"
    )
    assert [r["name"] for r in records] == ["相关地市政府", "省有关单位"]


def test_the_cookbook_answers_who_led_data_tasks_each_year(
    family_api: httpx.Client, family_driver: neo4j.Driver
) -> None:
    recipe = next(r for r in recipes() if r.name == "data-task-leads-by-year")
    records, _, _ = family_driver.execute_query(recipe.query, recipe.parameters)
    rows = [dict(r) for r in records]
    by_year = {(r["year"], r["agency"]): r for r in rows}
    assert by_year[(2023, OLD)]["name"] == "广东省政务服务数据管理局"
    assert by_year[(2023, OLD)]["became"] == NEW
    assert by_year[(2025, NEW)]["name"] == "广东省政务服务和数据管理局"
    assert by_year[(2025, NEW)]["tasks"] == ["fam2025-p01t01"]
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)


def test_a_task_of_the_middle_plan_has_links_both_ways(family_api: httpx.Client) -> None:
    ident = "fam2023-p01t01"
    assert get(family_api, f"/items/{ident}")["kind"] == "task"
    before = get(family_api, f"/items/{ident}/predecessors")
    after = get(family_api, f"/items/{ident}/successors")
    assert {m["source"]["document"] for m in before["data"]} == {"fam2021"}
    assert {m["target"]["document"] for m in after["data"]} == {"fam2025"}
    assert before["data"][0]["source"]["id"] == "fam2021-m01"
    assert after["data"][0]["target"]["id"] == "fam2025-p01t01"
    assert all(m["source"]["id"] == ident for m in after["data"])
    # the kind's own routes give the same answers, both ways
    assert get(family_api, f"/tasks/{ident}/successors") == after
    assert get(family_api, f"/tasks/{ident}/predecessors") == before
    assert family_api.get(f"/measures/{ident}/successors").status_code == 404


#: The recipes whose answer a pair may rightly leave empty (nothing split, merged, new …).
MAY_BE_EMPTY = {
    "items-split-across-the-next-document", "items-merging-earlier-items", "new-items",
    "clauses-not-continued",
}  # fmt: skip


def _family_examples(built: Build) -> list[tuple[str, dict[str, str]]]:
    """Each succession recipe with parameters for every consecutive pair of the family: the
    pair's documents, and an item and a clause of the earlier one with kept links."""
    cases: list[tuple[str, dict[str, str]]] = []
    for alignment in built.alignments:
        pair = {"source": alignment.source, "target": alignment.target}
        linked = next(lk for lk in alignment.links if lk.accepted)
        clause = next(c for c in alignment.clause_links if c.accepted)
        for r in recipes():
            if r.name not in SUCCESSION_CHECKS:
                continue
            if "source" in r.parameters:
                cases.append((r.name, pair))
            elif "item" in r.parameters:
                cases.append((r.name, {"item": linked.source}))
            elif "clause" in r.parameters:
                cases.append((r.name, {"clause": clause.source.id}))
    cases += [(name, {}) for name in ("kinds-of-succession", "coverage-summary")]
    return cases


def test_the_succession_cookbook_answers_for_every_pair_of_the_series(
    family_driver: neo4j.Driver, family_loaded: LoadResult, family_built: Build
) -> None:
    cases = _family_examples(family_built)
    assert {name for name, _ in cases} == set(SUCCESSION_CHECKS)
    for name, params in cases:
        recipe = next(r for r in recipes() if r.name == name)
        records, _, _ = family_driver.execute_query(recipe.query, params)
        rows = [dict(r) for r in records]
        if name not in MAY_BE_EMPTY:
            assert rows, (name, params)
        SUCCESSION_CHECKS[name](rows, family_built.alignments, params)
    kinds = recipe_rows(family_driver, "kinds-of-succession")
    assert {(r["source"], r["target"]) for r in kinds} == {
        ("fam2021", "fam2023"), ("fam2023", "fam2025"),
    }  # fmt: skip


def recipe_rows(driver: neo4j.Driver, name: str) -> list[dict[str, object]]:
    recipe = next(r for r in recipes() if r.name == name)
    records, _, _ = driver.execute_query(recipe.query, recipe.parameters)
    return [dict(r) for r in records]
