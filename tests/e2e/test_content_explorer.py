"""The explorer shows what clauses commit to and the instrument mix, as the API gives them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Explorer

pytestmark = pytest.mark.e2e


def test_a_task_page_shows_each_clause_s_deliverables_citations_and_instruments(
    explorer: Explorer,
) -> None:
    task = explorer.api("tasks/gd2025-t03")
    explorer.open("item/gd2025-t03")
    panel = explorer.by_test_id("content")
    expect(panel).to_be_visible()
    rows = panel.get_by_test_id("clause-content")
    expect(rows).to_have_count(len(task["clauses"]))
    c02 = panel.locator('[data-clause="gd2025-t03-c02"]')
    expect(c02.get_by_test_id("deliverable")).to_have_count(2)
    expect(c02.get_by_test_id("deliverable").first).to_contain_text("立法《广东省数据条例》")
    expect(c02.get_by_test_id("citation")).to_contain_text("《廣東省數據條例》")
    expect(c02.get_by_test_id("citation")).to_contain_text("语料外文件")
    first = task["clauses"][1]["content"]["instruments"][0]
    chip = c02.get_by_test_id("instrument").first
    expect(chip).to_have_attribute("data-tool", first["tool"])
    expect(chip).to_have_text(re.compile(first["tool_name"]))
    expect(chip).to_have_attribute("title", re.compile("依据"))
    explorer.screenshot("item-content")

    # A target, on its clause's own page.
    explorer.open("clause/gd2025-t10-c05")
    expect(explorer.by_test_id("clause-content").get_by_test_id("target")).to_contain_text(
        "有线电视超高清机顶盒占比：达到 75%"
    )
    explorer.assert_clean()


def test_the_instruments_page_shows_the_mix_of_each_year(explorer: Explorer) -> None:
    mix = explorer.api("instruments/mix?by=document&level=type")["data"]
    explorer.open("instruments")
    page = explorer.page
    expect(page.get_by_role("heading", level=1)).to_have_text("政策工具构成")
    rows = explorer.by_test_id("mix-row")
    expect(rows).to_have_count(2)
    for document in ("gd2021", "gd2025"):
        supply = next(r for r in mix if r["document"] == document and r["type"] == "supply")
        row = page.locator(f'[data-testid=mix-row][data-document="{document}"]')
        expect(row).to_contain_text(f"{supply['codes']}（{100 * supply['share']:.1f}%）")
    expect(explorer.by_test_id("mix-tool")).to_have_count(
        len({r["tool"] for r in explorer.api("instruments/mix?level=tool")["data"]} - {None})
    )
    explorer.screenshot("instruments")

    explorer.by_test_id("mix-by-agency").click()
    expect(page).to_have_url(re.compile(r"#/instruments\?by=agency$"))
    agencies = {
        r["group"]["id"]
        for r in explorer.api("instruments/mix?by=agency")["data"]
        if r["group"] is not None
    }
    expect(explorer.by_test_id("mix-row")).to_have_count(len(agencies))
    expect(page.get_by_role("row", name=re.compile("广东省工业和信息化厅"))).to_be_visible()
    explorer.assert_clean()
