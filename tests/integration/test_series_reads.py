"""Series and chains over the corpus graph: the manifest's series of two documents, and a
measure's chain of one step."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.conftest import get

pytestmark = pytest.mark.integration


def test_the_corpus_series(http: httpx.Client) -> None:
    body = get(http, "/series")
    assert [(s["id"], [d["id"] for d in s["documents"]]) for s in body["data"]] == [
        ("gd", ["gd2021", "gd2025"])
    ]


def test_a_measures_chain_is_its_accepted_successors(http: httpx.Client) -> None:
    chain = get(http, "/chains/gd2021-m07")
    (step,) = chain["steps"]
    assert (step["source_document"], step["target_document"]) == ("gd2021", "gd2025")
    successors = get(http, "/measures/gd2021-m07/successors", accepted_only=True)
    assert [lk["target"]["id"] for lk in step["links"]] == [
        lk["target"]["id"] for lk in successors["data"]
    ]
    assert chain["reached"] == [lk["target"]["id"] for lk in step["links"]]


def test_a_task_of_the_last_document_has_no_further_step(http: httpx.Client) -> None:
    chain = get(http, "/chains/gd2025-t03")
    assert chain["steps"] == []
    assert chain["reached"] == []


def test_an_agency_without_reorganisation_has_one_name(http: httpx.Client) -> None:
    history = get(http, "/agencies/gd-commerce-department/history")
    assert [(n["id"], n["since"], n["until"]) for n in history["names_over_time"]] == [
        ("gd-commerce-department", None, None)
    ]
    assert {r["document"] for r in history["roles_by_document"]} <= {"gd2025"}
