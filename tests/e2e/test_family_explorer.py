"""The explorer over a three-document series (the test family): an item of the middle plan
shows where it came from and where it went, and a 2021 measure is followed through both plans.

The family (``tests/data/family``) is served from a Neo4j of its own
(:mod:`tests.plugins.neo4j`); the pages are checked against that API's own answers.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Explorer, expect_chain_steps

pytestmark = pytest.mark.e2e


def _cards(explorer: Explorer, section: str) -> list[str]:
    ids: list[str] = (
        explorer.by_test_id(section)
        .get_by_test_id("link-card")
        .evaluate_all("els => els.map(e => e.dataset.item)")
    )
    return ids


def test_a_task_of_the_middle_plan_shows_its_links_both_ways(family_explorer: Explorer) -> None:
    ident = "fam2023-p01t01"
    before = family_explorer.api(f"items/{ident}/predecessors")["data"]
    after = family_explorer.api(f"items/{ident}/successors")["data"]
    assert before and after

    family_explorer.open(f"item/{ident}")
    sections = family_explorer.page.locator("section.links")
    # predecessors first, then successors: the order of time
    assert sections.evaluate_all("els => els.map(e => e.dataset.testid)") == [
        "predecessors",
        "successors",
    ]
    heading = family_explorer.by_test_id("predecessors").get_by_role("heading", level=2)
    expect(heading).to_contain_text("来源措施")  # the 2021 opinion's measures
    heading = family_explorer.by_test_id("successors").get_by_role("heading", level=2)
    expect(heading).to_contain_text("后续任务")  # the 2025 plan's tasks
    assert _cards(family_explorer, "predecessors") == [m["source"]["id"] for m in before]
    assert _cards(family_explorer, "successors") == [m["target"]["id"] for m in after]
    family_explorer.screenshot("middle-task")

    # its successor lists it among its predecessors, and has no successors section
    successor = after[0]["target"]["id"]
    family_explorer.by_test_id("successors").locator(
        f'[data-testid=link-card][data-item="{successor}"] [data-testid=link-item]'
    ).click()
    expect(family_explorer.page).to_have_url(re.compile(rf"#/item/{successor}$"))
    family_explorer.wait()
    assert ident in _cards(family_explorer, "predecessors")
    expect(family_explorer.by_test_id("successors")).to_have_count(0)
    family_explorer.assert_clean()


def test_a_measure_is_followed_through_both_plans(family_explorer: Explorer) -> None:
    chain = family_explorer.api("chains/fam2021-m01")
    assert [s["target_document"] for s in chain["steps"]] == ["fam2023", "fam2025"]

    family_explorer.open("item/fam2021-m01")
    expect(family_explorer.by_test_id("predecessors")).to_have_count(0)
    family_explorer.by_test_id("chain-link").click()
    expect(family_explorer.page).to_have_url(re.compile(r"#/chain/fam2021-m01$"))
    expect(family_explorer.by_test_id("chain-step")).to_have_count(2)
    expect_chain_steps(family_explorer, chain)
    family_explorer.screenshot("chain")
    family_explorer.assert_clean()
