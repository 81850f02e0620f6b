"""A family of documents added by manifest entries alone: notice blocks, lead paragraphs,
items numbered within parts, responsibility clauses with shared heads and generic bodies.

The documents are the test family in ``tests/data/family`` (text written for these tests).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.errors import ManifestError, StructureError
from loaders.corpus import build_document
from loaders.lexicon import Lexicon
from loaders.manifest import read_manifest
from loaders.records import Corpus, Item, Role
from tests.conftest import TEST_DATA

FAMILY = TEST_DATA / "family"


def item(corpus: Corpus, item_id: str) -> Item:
    return next(i for i in corpus.items() if i.id == item_id)


def parties(corpus: Corpus, item_id: str) -> list[tuple[str, str, str | None, bool]]:
    return [
        (r.name, r.role.value, r.agency, r.generic) for r in item(corpus, item_id).responsibilities
    ]


def test_the_issuer_number_and_date_come_from_the_notice(family: Corpus) -> None:
    opinion = family.document("fam2021")  # its entry gives none of the three
    assert (opinion.issuer, opinion.number, opinion.date) == (
        "广东省人民政府",
        "粤府〔2021〕88号",
        dt.date(2021, 6, 18),
    )
    plan = family.document("fam2023")
    assert plan.notice is not None
    assert (plan.issuer, plan.number, plan.date) == (
        "广东省人民政府办公厅",
        "粤办函〔2023〕27号",
        dt.date(2023, 3, 20),
    )
    assert plan.notice.approved_by == "省人民政府"
    assert plan.notice.addressees == ("各地级以上市人民政府", "省政府各部门", "省政府各直属机构")
    # the notice's title is broken across two lines in the text
    assert (
        plan.notice.title
        == "广东省人民政府办公厅关于印发广东省数字政府改革建设2023年工作要点的通知"
    )
    assert plan.notice.lines["number"] == 3


def test_a_traditional_notice_reads_as_simplified(family: Corpus) -> None:
    plan = family.document("fam2025")
    assert plan.script == "zh-Hant"
    assert (plan.issuer, plan.number, plan.date) == (
        "广东省人民政府办公厅",
        "粤办函〔2025〕15号",
        dt.date(2025, 4, 8),
    )
    assert plan.notice is not None and plan.notice.approved_by == "省人民政府"


def test_a_manifest_value_the_notice_contradicts_is_a_warning_naming_both(
    family: Corpus,
) -> None:
    contradictions = [w for w in family.report.warnings if w.code == "manifest-contradicts-notice"]
    assert [(w.document, w.line) for w in contradictions] == [("fam2025", 3)]
    message = contradictions[0].message
    assert "粤办函〔2025〕51号" in message and "粤办函〔2025〕15号" in message
    assert "fam-2025-workplan.txt" in message


def test_an_entry_without_issuer_or_date_needs_a_notice(lexicon: Lexicon) -> None:
    manifest = read_manifest(FAMILY / "corpus" / "manifest.toml")
    spec = manifest.spec("fam2021")
    text = "一、总体要求\n（一）推进一件事。做好这件事。\n"
    with pytest.raises(ManifestError, match="gives no issuer"):
        build_document(text, spec, lexicon)


def test_a_closing_signature_ends_the_body(family: Corpus) -> None:
    last = item(family, "fam2021-m04")
    assert "广东省人民政府" not in last.text
    assert last.text.endswith("提升旅客和货物通关效率。")


def test_a_part_keeps_its_lead_paragraph_before_its_first_item(family: Corpus) -> None:
    part = family.document("fam2023").parts[0]
    assert part.text == "今年要以数据为核心，进一步夯实全省一体化的基础支撑。"
    first = item(family, "fam2023-p01t01")
    assert first.title == "深化全省一体化政务大数据中心建设"


def test_items_numbered_within_parts_have_ids_by_part_and_number(family: Corpus) -> None:
    ids = [i.id for i in family.document("fam2023").items]
    assert ids == ["fam2023-p01t01", "fam2023-p01t02", "fam2023-p02t01", "fam2023-p02t02"]
    assert [i.part for i in family.document("fam2023").items] == [
        "fam2023-p01", "fam2023-p01", "fam2023-p02", "fam2023-p02",
    ]  # fmt: skip
    # the opinion numbers its measures through the document, as before
    assert [i.id for i in family.document("fam2021").items][-1] == "fam2021-m04"


def test_a_number_repeated_within_one_part_still_fails(lexicon: Lexicon) -> None:
    spec = read_manifest(FAMILY / "corpus" / "manifest.toml").spec("fam2023")
    text = "一、部分\n（一）甲。（省商务厅牵头）\n（一）乙。（省商务厅牵头）\n"
    with pytest.raises(StructureError, match="appears twice"):
        build_document(text, spec, lexicon)


def test_several_groups_of_lead_bodies_and_a_shared_prefix(family: Corpus) -> None:
    assert parties(family, "fam2023-p01t02")[:2] == [
        ("省政务服务数据管理局", "lead", "gd-government-services-data-administration-2018", False),
        ("省委网信办", "lead", "cpc-gd-cyberspace-affairs-office", False),
    ]
    # 省发展改革委、科技厅: the prefix 省 distributes
    assert parties(family, "fam2025-p01t01")[1:3] == [
        ("省发展改革委", "shared", "gd-development-reform-commission", False),
        ("省科技厅", "shared", "gd-science-technology-department", False),
    ]


def test_a_supporting_body_after_the_shared_ones(family: Corpus) -> None:
    # （省政務和數據局牽頭，省委網信辦、省公安廳按職責分工負責，省通信管理局配合）
    assert parties(family, "fam2025-p01t02") == [
        ("省政务和数据局", "lead", "gd-government-services-data-administration", False),
        ("省委网信办", "shared", "cpc-gd-cyberspace-affairs-office", False),
        ("省公安厅", "shared", "gd-public-security-department", False),
        ("省通信管理局", "supporting", "gd-communications-administration", False),
    ]


@pytest.mark.parametrize("item_id", ["fam2023-p02t02", "fam2025-p02t02"])
def test_a_shared_suffix_makes_three_border_inspection_stations(
    family: Corpus, item_id: str
) -> None:
    stations = [p for p in parties(family, item_id) if "出入境边防检查总站" in p[0]]
    assert [(p[0], p[2]) for p in stations] == [
        ("广州出入境边防检查总站", "guangzhou-border-inspection-station"),
        ("深圳出入境边防检查总站", "shenzhen-border-inspection-station"),
        ("珠海出入境边防检查总站", "zhuhai-border-inspection-station"),
    ]
    surface = {r.name: r.surface for r in item(family, item_id).responsibilities}
    assert surface["广州出入境边防检查总站"] in ("广州", "廣州")  # each keeps its own words


def test_a_shared_suffix_of_city_governments(family: Corpus) -> None:
    assert parties(family, "fam2025-p02t01")[1:] == [
        ("广州市人民政府", "implementing", "guangzhou-municipal-government", False),
        ("深圳市人民政府", "implementing", "shenzhen-municipal-government", False),
    ]


def test_generic_bodies_are_typed_not_unresolved(family: Corpus) -> None:
    generic = [(p[0], p[2]) for i in family.items() for p in parties(family, i.id) if p[3]]
    assert ("相关地市政府", None) in generic
    assert ("各地级以上市人民政府", "gd-prefecture-city-governments") in generic
    assert family.report.unresolved == ()
    assert not [w for w in family.report.warnings if w.code == "unresolved-agency"]


def test_the_renamed_agency_is_named_by_its_old_and_its_new_name(family: Corpus) -> None:
    old = item(family, "fam2023-p01t01").responsibilities[0]
    new = item(family, "fam2025-p01t01").responsibilities[0]
    assert (old.surface, old.role) == ("省政务服务数据管理局", Role.LEAD)
    assert (new.surface, new.role) == ("省政務和數據局", Role.LEAD)


def test_the_family_is_a_manifest_entry_each(tmp_path: Path) -> None:
    manifest = read_manifest(FAMILY / "corpus" / "manifest.toml")
    assert [d.key for d in manifest.documents] == ["fam2021", "fam2023", "fam2025"]
