"""The web explorer in headless Chromium: what a reader sees and can follow.

Each test starts from a URL a user could bookmark, acts through the page (typing, clicking
links and graph nodes), and checks the visible content against the corpus and, for numbers,
against the API's own answer. Every test ends by checking that the page logged no console
errors, threw nothing and requested nothing outside the API's origin.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, expect

from tests.e2e.conftest import Explorer, expect_chain_steps

pytestmark = pytest.mark.e2e

MIIT = "gd-industry-information-technology-department"  # 广东省工业和信息化厅


def _ids(explorer: Explorer, test_id: str) -> list[str]:
    ids: list[str] = explorer.by_test_id(test_id).evaluate_all(
        "els => els.map(e => e.dataset.item)"
    )
    return ids


def test_a_traditional_query_finds_what_the_simplified_one_finds(explorer: Explorer) -> None:
    explorer.open()
    page = explorer.page
    box = page.get_by_label("搜索措施和任务（简体或繁体）")
    box.fill("數據要素")
    page.get_by_role("button", name="搜索", exact=True).click()

    expect(page).to_have_url(re.compile(r"#/search\?q=%E6%95%B8"))
    expect(page.get_by_role("heading", level=1)).to_have_text("搜索：“數據要素”")
    expect(explorer.by_test_id("search-count")).to_contain_text("按简体“数据要素”检索")
    results = explorer.by_test_id("search-result")
    # The best hit is the 2021 measure on the data-element market, the match marked.
    best = results.first
    expect(best).to_have_attribute("data-item", "gd2021-m08")
    expect(best.get_by_role("link")).to_have_text("措施 8 培育建立数据要素市场")
    expect(best.get_by_test_id("search-snippet").locator("mark").first).to_have_text("数据要素")
    # A 2025 task is found too, its snippet in its own Traditional script, marked there.
    task = page.locator('[data-testid=search-result][data-item="gd2025-t04"]')
    expect(task.get_by_role("link")).to_have_text("任务 4 培育壯大數據產業")
    expect(task.get_by_test_id("search-snippet").locator("mark").first).to_have_text("數據要素")
    traditional = _ids(explorer, "search-result")
    assert len(traditional) >= 3

    # The same words in Simplified list the same items, in the same order.
    box.fill("数据要素")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("搜索：“数据要素”")
    expect(explorer.by_test_id("search-count")).not_to_contain_text("按简体")
    assert _ids(explorer, "search-result") == traditional

    # A hit leads to its item.
    task.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#/item/gd2025-t04$"))
    expect(explorer.by_test_id("item-title")).to_have_text("任务 4 培育壯大數據產業")
    explorer.assert_clean()


def test_a_2021_measure_shows_its_2025_successor_with_score_and_evidence(
    explorer: Explorer,
) -> None:
    successors = explorer.api("measures/gd2021-m07/successors")["data"]
    link: dict[str, Any] = next(x for x in successors if x["target"]["id"] == "gd2025-t03")
    terms = [t["term"] for t in link["evidence"]["shared_terms"]]
    assert "公共数据" in terms and "开发利用" in terms

    explorer.open("item/gd2021-m07")
    page = explorer.page
    expect(explorer.by_test_id("item-title")).to_have_text("措施 7 推动公共数据开发利用")
    expect(explorer.by_test_id("item-text")).to_contain_text("探索建立政府“首席数据官”制度")
    expect(explorer.by_test_id("programmes")).to_contain_text("首席数据官制度")

    section = explorer.by_test_id("successors")
    expect(section.get_by_role("heading", level=2)).to_contain_text("后续任务")
    expect(section.get_by_test_id("link-card")).to_have_count(len(successors))
    card = section.locator('[data-testid=link-card][data-item="gd2025-t03"]')
    expect(card.get_by_test_id("link-item")).to_have_text("任务 3 推進數據資源開發利用")
    expect(card.get_by_test_id("link-score")).to_have_text(f"得分 {link['score']:.3f}")
    expect(card.get_by_test_id("link-rank")).to_have_text(f"候选第 {link['rank']}")
    expect(card.get_by_test_id("link-accepted")).to_have_text(
        "已采纳" if link["accepted"] else "未采纳"
    )

    # The evidence: the shared terms, marked in both texts (the task in its Traditional
    # original, though the terms are Simplified).
    evidence = card.get_by_test_id("evidence")
    expect(evidence).to_have_attribute("open", "")
    expect(evidence.get_by_test_id("shared-terms").get_by_role("button")).to_have_count(len(terms))
    source = evidence.locator('[data-testid=evidence-text][data-item="gd2021-m07"]')
    target = evidence.locator('[data-testid=evidence-text][data-item="gd2025-t03"]')
    expect(source).to_contain_text("推动公共数据开发利用")
    expect(target).to_contain_text("推進數據資源開發利用")
    expect(source.locator('mark[data-term="公共数据"]').first).to_have_text("公共数据")
    expect(target.locator('mark[data-term="公共数据"]').first).to_have_text("公共數據")

    explorer.screenshot("measure")

    # Picking a term singles out its marks in both texts.
    button = evidence.locator('button[data-term="开发利用"]')
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(source.locator("mark.focus").first).to_have_text("开发利用")
    expect(target.locator("mark.focus").first).to_have_text("開發利用")
    expect(target.locator("mark.focus")).to_have_count(
        target.locator('mark[data-term="开发利用"]').count()
    )

    # The successor's page lists the measure among its predecessors.
    card.get_by_test_id("link-item").click()
    expect(page).to_have_url(re.compile(r"#/item/gd2025-t03$"))
    expect(
        explorer.by_test_id("predecessors").locator(
            '[data-testid=link-card][data-item="gd2021-m07"]'
        )
    ).to_contain_text(f"得分 {link['score']:.3f}")
    explorer.assert_clean()


def test_a_measure_shows_where_each_of_its_clauses_went_and_a_clause_its_candidates(
    explorer: Explorer,
) -> None:
    measure = explorer.api("measures/gd2021-m06")
    clauses = measure["clauses"]
    went = next(c for c in clauses if c["continued_in"])
    link = went["continued_in"][0]

    explorer.open("item/gd2021-m06")
    page = explorer.page
    shown = explorer.by_test_id("clause")
    expect(shown).to_have_count(len(clauses))
    assert shown.evaluate_all("els => els.map(e => e.dataset.clause)") == [c["id"] for c in clauses]
    row = page.locator(f'[data-testid=clause][data-clause="{went["id"]}"]')
    expect(row).to_contain_text(went["text"])
    destination = row.locator(
        f'[data-testid=clause-continued-in][data-clause="{link["clause"]["id"]}"]'
    )
    expect(destination).to_contain_text(
        f"任务 {link['item']['number']} 第 {link['clause']['number']} 句"
    )
    expect(destination).to_contain_text(f"{link['score']:.3f}")

    # An accepted successor's card says what kind of succession it is and which sentences.
    successors = explorer.api("measures/gd2021-m06/successors")["data"]
    accepted = next(x for x in successors if x["accepted"])
    card = page.locator(f'[data-testid=link-card][data-item="{accepted["target"]["id"]}"]')
    expect(card.get_by_test_id("link-relation")).to_have_attribute(
        "data-relation", accepted["relation"]
    )
    expect(card.get_by_test_id("clause-pair")).to_have_count(len(accepted["clauses"]))

    # Following the clause opens its page: its text, and every kept candidate with its verdict.
    row.get_by_role("link", name=f"第 {went['number']} 句", exact=True).click()
    expect(page).to_have_url(re.compile(rf"#/clause/{went['id']}$"))
    detail = explorer.api(f"clauses/{went['id']}")
    expect(explorer.by_test_id("clause-title")).to_have_text(f"措施 6 第 {went['number']} 句")
    expect(explorer.by_test_id("clause-text")).to_have_text(went["text"])
    entries = explorer.by_test_id("clause-candidates-entry")
    expect(entries).to_have_count(len(detail["candidates"]))
    assert entries.evaluate_all("els => els.map(e => e.dataset.clause)") == [
        c["clause"]["id"] for c in detail["candidates"]
    ]
    expect(entries.get_by_test_id("clause-accepted")).to_have_text(
        ["已采纳" if c["accepted"] else "未采纳" for c in detail["candidates"]]
    )
    explorer.screenshot("clause")

    # The 2025 end lists the measure's sentence among its sources, in its own script.
    entries.first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"#/clause/{detail['candidates'][0]['clause']['id']}$"))
    expect(explorer.by_test_id("clause-text-simplified")).to_be_visible()
    expect(
        page.locator(f'[data-testid=clause-sources-entry][data-clause="{went["id"]}"]')
    ).to_be_visible()
    explorer.assert_clean()


def test_the_coverage_page_lists_new_tasks_and_clauses_not_carried_on(
    explorer: Explorer,
) -> None:
    coverage = explorer.api("coverage")
    explorer.open("coverage")
    # the page says how far its verdicts can be trusted before it lists them
    expect(explorer.by_test_id("coverage-caveat")).to_contain_text("请谨慎引用")
    new = explorer.by_test_id("coverage-new")
    assert new.locator(":scope > li").evaluate_all("els => els.map(e => e.dataset.item)") == [
        e["item"]["id"] for e in coverage["new"]
    ]
    clauses = explorer.by_test_id("coverage-not-continued").get_by_test_id("verdict-clause")
    assert clauses.evaluate_all("els => els.map(e => e.dataset.clause)") == [
        v["clause"]["id"] for v in coverage["not_continued"]
    ]
    first = coverage["not_continued"][0]
    expect(clauses.first).to_contain_text(first["clause"]["text"][:10])
    if first["best"]:
        expect(clauses.first).to_contain_text(f"{first['score']:.3f}")
    # A new task's sentences open under it, each with the 2021 sentence most like it.
    entry = new.locator(":scope > li").first
    entry.locator("summary").click()
    expect(entry.get_by_test_id("verdict-clause")).to_have_count(len(coverage["new"][0]["clauses"]))
    explorer.assert_clean()


def test_a_2025_task_shows_its_agencies_by_role_its_concepts_and_both_scripts(
    explorer: Explorer,
) -> None:
    explorer.open("item/gd2025-t03")
    expect(explorer.by_test_id("item-title")).to_have_text("任务 3 推進數據資源開發利用")
    expect(explorer.by_test_id("item-text")).to_have_attribute("lang", "zh-Hant")
    expect(explorer.by_test_id("item-text")).to_contain_text("(省政務和數據局牽頭")
    expect(explorer.by_test_id("item-text-simplified")).to_contain_text("（省政务和数据局牵头")

    lead = explorer.by_test_id("role-lead")
    expect(lead.get_by_role("heading")).to_contain_text("牵头")
    expect(lead.get_by_role("link")).to_have_text(["广东省政务服务和数据管理局"])
    expect(lead).to_contain_text("原文作“省政務和數據局”")
    shared = explorer.by_test_id("role-shared")
    expect(shared.get_by_role("heading")).to_contain_text("按职责分工负责")
    expect(shared).to_contain_text("广东省人民政府国有资产监督管理委员会")
    implementing = explorer.by_test_id("role-implementing")
    expect(implementing.get_by_role("heading")).to_contain_text("结合实际落实")
    expect(implementing).to_contain_text("广东省各地级以上市人民政府")
    expect(implementing.get_by_test_id("inherited")).to_have_text("下同 · 承自 任务 1")

    expect(explorer.by_test_id("technologies").get_by_role("link")).to_have_text(
        ["数据资产", "数据产权", "公共数据"]
    )
    expect(explorer.by_test_id("regions").get_by_role("link")).to_have_text(["广东省"])
    expect(explorer.by_test_id("programmes")).to_contain_text("公共数据资源登记平台")

    # An agency link opens the agency.
    lead.get_by_role("link").click()
    expect(explorer.by_test_id("agency-name")).to_have_text("广东省政务服务和数据管理局")
    explorer.assert_clean()


def test_an_agency_page_shows_its_names_parent_and_the_tasks_it_leads(
    explorer: Explorer,
) -> None:
    agency = explorer.api(f"agencies/{MIIT}")
    led = agency["items"]["lead"]
    assert any(i["id"] == "gd2025-t05" for i in led)

    explorer.open(f"agency/{MIIT}")
    page = explorer.page
    expect(explorer.by_test_id("agency-name")).to_have_text("广东省工业和信息化厅")
    expect(page.locator('[data-testid=agency] .subtitle[lang="zh-Hant"]')).to_have_text(
        "廣東省工業和信息化廳"
    )
    expect(explorer.by_test_id("agency-parent")).to_have_text("广东省人民政府")
    expect(explorer.by_test_id("agency-aliases")).to_contain_text("省工信厅")

    lead = explorer.by_test_id("agency-items-lead")
    expect(page.get_by_role("heading", name=f"牵头（{len(led)}）")).to_be_visible()
    expect(lead.get_by_role("link")).to_have_text([f"任务 {i['number']} {i['title']}" for i in led])
    expect(explorer.by_test_id("agency-items-shared").get_by_role("link")).to_have_count(
        len(agency["items"]["shared"])
    )

    explorer.screenshot("agency")

    # A led task opens, and names the agency as its lead.
    lead.get_by_role("link", name="任务 5 加快大模型研發及場景應用").click()
    expect(page).to_have_url(re.compile(r"#/item/gd2025-t05$"))
    expect(explorer.by_test_id("item-title")).to_have_text("任务 5 加快大模型研發及場景應用")
    expect(explorer.by_test_id("role-lead")).to_contain_text("广东省工业和信息化厅")
    explorer.assert_clean()


def test_the_neighbourhood_graph_draws_the_item_and_its_neighbours_clickably(
    explorer: Explorer,
) -> None:
    task = explorer.api("tasks/gd2025-t03")
    predecessors = explorer.api("tasks/gd2025-t03/predecessors")["data"]
    neighbours = (
        len({a["id"] for a in task["agencies"]})
        + len(task["technologies"])
        + len(task["regions"])
        + len(task["programmes"])
        + len(predecessors)
    )

    explorer.open("item/gd2025-t03")
    page = explorer.page
    explorer.by_test_id("graph-link").click()
    expect(page).to_have_url(re.compile(r"#/graph/gd2025-t03$"))
    graph = explorer.by_test_id("graph")
    expect(graph).to_be_visible()
    expect(graph.get_by_test_id("graph-centre")).to_contain_text("任务 3")
    expect(graph.get_by_test_id("graph-centre")).to_contain_text("推进数据资源开发利用")
    nodes = graph.get_by_test_id("graph-node")
    expect(nodes).to_have_count(neighbours)

    def node(kind: str, ident: str) -> Locator:
        return graph.locator(f'[data-testid=graph-node][data-kind="{kind}"][data-id="{ident}"]')

    expect(node("agency", "gd-government-services-data-administration")).to_contain_text(
        "广东省政务服务和数据管理局"
    )
    expect(node("technology", "public-data")).to_contain_text("公共数据")
    expect(node("region", "guangdong")).to_contain_text("广东省")
    expect(node("programme", "public-data-registration-platform")).to_be_visible()
    expect(node("predecessor", "gd2021-m07")).to_contain_text("措施 7")

    # Every label lies inside the drawing, and no two labels overlap.
    frame = graph.bounding_box()
    assert frame is not None
    boxes = [b for b in (t.bounding_box() for t in nodes.locator("text").all()) if b]
    assert len(boxes) == neighbours
    for b in boxes:
        assert frame["x"] <= b["x"] and b["x"] + b["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= b["y"] and b["y"] + b["height"] <= frame["y"] + frame["height"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, f"labels overlap: {a} {b}"

    explorer.screenshot("graph")

    # A linked item's node moves the graph to that item ...
    node("predecessor", "gd2021-m07").click()
    expect(page).to_have_url(re.compile(r"#/graph/gd2021-m07$"))
    expect(graph.get_by_test_id("graph-centre")).to_contain_text("措施 7")
    expect(node("successor", "gd2025-t03")).to_contain_text("任务 3")
    # ... and a concept's node opens its page.
    node("technology", "public-data").click()
    expect(page).to_have_url(re.compile(r"#/technology/public-data$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("公共数据")
    expect(explorer.by_test_id("concept-items")).to_contain_text("推动公共数据开发利用")
    explorer.assert_clean()


def test_chinese_text_is_drawn_with_the_noto_cjk_fonts(explorer: Explorer) -> None:
    explorer.open("item/gd2025-t03")
    expect(explorer.page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(explorer.by_test_id("item-text")).to_contain_text("推進數據資源開發利用")
    traditional = explorer.platform_fonts("[data-testid=item-text]")
    simplified = explorer.platform_fonts("[data-testid=item-text-simplified]")
    assert traditional[0] == "Noto Sans CJK TC", traditional
    assert simplified[0] == "Noto Sans CJK SC", simplified
    explorer.assert_clean()


VIEWS = [
    ("", "广东省数字化发展政策"),
    ("search?q=大模型", "搜索：“大模型”"),
    ("item/gd2021-m13", "措施 13 打造世界级软件与信息服务产业集群"),
    ("item/gd2025-t05", "任务 5 加快大模型研發及場景應用"),
    ("graph/gd2021-m13", "关系图：措施 13 打造世界级软件与信息服务产业集群"),
    ("graph/gd2025-t46", "关系图：任务 46 優化布局數字消費新基建"),
    (f"agency/{MIIT}", "广东省工业和信息化厅"),
    ("agencies", "责任单位"),
    ("technology/artificial-intelligence", "技术 人工智能"),
    ("region/guangzhou", "地区 广州市"),
    ("coverage", "覆盖情况"),
    ("clause/gd2021-m06-c02", "措施 6 第 2 句"),
    ("clause/gd2025-t26-c03", "任务 26 第 3 句"),
]


def test_every_view_renders_without_console_errors(explorer: Explorer) -> None:
    documents = explorer.api("documents")["data"]
    for route, heading in VIEWS:
        explorer.open(route)
        expect(explorer.page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(explorer.by_test_id("error")).to_have_count(0)
        explorer.screenshot(route.split("?")[0].replace("/", "-") or "home")
        if route == "":
            expect(explorer.by_test_id("document")).to_have_count(len(documents))
            expect(explorer.page.locator("[data-testid=document] .item-link")).to_have_count(
                sum(d["items"] for d in documents)
            )
        elif route.startswith("search"):
            expect(explorer.by_test_id("search-result").first).to_have_attribute(
                "data-item", "gd2025-t05"
            )
        elif route == "agencies":
            row = explorer.page.get_by_role("row", name=re.compile("^广东省工业和信息化厅"))
            expect(row).to_contain_text("广东省人民政府")
            expect(row).not_to_contain_text("泛指")
            agencies = explorer.api("agencies?limit=500")["data"]
            generic = [a["name"] for a in agencies if a["generic"]]
            assert {"各有关单位", "广东省各地级以上市人民政府"} <= set(generic)
            for name in generic:  # a kind of body is marked as one in the table
                marked = explorer.page.get_by_role("row", name=re.compile(f"^{name}"))
                expect(marked).to_contain_text("泛指")
    explorer.assert_clean()


def test_an_unknown_item_says_so(explorer: Explorer) -> None:
    explorer.open("item/gd2021-m19")  # the 2021 opinion has no measure 19
    expect(explorer.by_test_id("error")).to_contain_text("未找到")
    expect(explorer.by_test_id("error")).to_contain_text("gd2021-m19")
    expect(explorer.page.get_by_role("link", name="返回首页")).to_be_visible()
    # The one error is the API's 404, which the browser logs; nothing else went wrong.
    assert explorer.errors, "the 404 of the API should have been logged"
    assert all("404" in e for e in explorer.errors), explorer.errors


def test_a_measure_is_followed_through_its_series_with_clause_evidence(
    explorer: Explorer,
) -> None:
    chain = explorer.api("chains/gd2021-m07")
    assert chain["steps"], "the corpus series has a step after 2021"

    explorer.open("item/gd2021-m07")
    page = explorer.page
    explorer.by_test_id("chain-link").click()
    expect(page).to_have_url(re.compile(r"#/chain/gd2021-m07$"))
    expect(explorer.by_test_id("chain-title")).to_contain_text("措施 7 的延续")
    expect_chain_steps(explorer, chain)
    steps = explorer.by_test_id("chain-step")

    explorer.screenshot("chain")
    # a step's target opens as its item
    first = chain["steps"][0]["links"][0]["target"]["id"]
    steps.first.locator(f'[data-testid=chain-step-link] a[data-item="{first}"]').click()
    expect(page).to_have_url(re.compile(rf"#/item/{first}$"))
    explorer.assert_clean()


def test_an_agency_page_shows_its_names_over_time(explorer: Explorer) -> None:
    ident = "gd-government-services-data-administration"
    agency = explorer.api(f"agencies/{ident}")
    names = agency["names_over_time"]
    assert [n["name"] for n in names] == ["广东省政务服务数据管理局", "广东省政务服务和数据管理局"]

    explorer.open(f"agency/{ident}")
    shown = explorer.by_test_id("agency-names-over-time").locator("li")
    expect(shown).to_have_count(len(names))
    expect(shown.first).to_contain_text("广东省政务服务数据管理局")
    expect(shown.first).to_contain_text(f"– {names[0]['until']}")
    documents = {r["document"] for r in agency["roles_by_document"]}
    expect(explorer.by_test_id("agency-roles-by-document").locator("li")).to_have_count(
        len(documents)
    )
    explorer.assert_clean()
