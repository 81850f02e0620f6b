"""Structure parsing on small texts: numbering forms, gaps, duplicates, missing numbering."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import StructureError
from loaders.manifest import DocumentSpec, Level
from loaders.structure import parse_document, title_of

TASKS = DocumentSpec(
    key="doc",
    title="测试要点",
    issuer="测试机关",
    date=dt.date(2025, 1, 1),
    script="zh-Hans",
    file="doc.txt",
    levels=(
        Level(kind="part", numbering="cn-dun"),
        Level(kind="group", numbering="cn-paren"),
        Level(kind="item", numbering="arabic"),
    ),
    item_kind="task",
)
MEASURES = TASKS.model_copy(
    update={
        "levels": (
            Level(kind="part", numbering="cn-dun"),
            Level(kind="item", numbering="cn-paren"),
        ),
        "item_kind": "measure",
        "trailer_starts": ("抄送",),
    }
)


def never_word(_: str) -> bool:
    return False


def test_parts_groups_and_tasks_with_mixed_width_numbering() -> None:
    text = (
        "新闻导语。\n"
        "一、第一部分\n"
        "（一）第一组\n"
        "1.第一项任务。正文。\n"
        "2、第二项任务。\n"
        "二、第二部分\n"
        "(二)第二组\n"
        "３．第三项任务。\n"
    )
    doc = parse_document(text, TASKS, is_word=never_word)
    assert doc.preamble == "新闻导语。"
    assert [p.id for p in doc.parts] == ["doc-p01", "doc-p02"]
    assert [(g.id, g.parent) for g in doc.groups] == [
        ("doc-g01", "doc-p01"),
        ("doc-g02", "doc-p02"),
    ]
    assert [(i.id, i.part, i.group, i.title) for i in doc.items] == [
        ("doc-t01", "doc-p01", "doc-g01", "第一项任务"),
        ("doc-t02", "doc-p01", "doc-g01", "第二项任务"),
        ("doc-t03", "doc-p02", "doc-g02", "第三项任务"),
    ]
    first = doc.items[0]
    assert text[first.span.start : first.span.end] == "1.第一项任务。正文。"
    assert first.span.line == 4


def test_a_numbering_gap_is_a_warning_and_numbers_are_kept() -> None:
    text = "一、部分\n(一) 第一条措施。\n(三) 第三条措施。\n抄送：各单位。\n"
    doc = parse_document(text, MEASURES, is_word=never_word)
    assert [i.id for i in doc.items] == ["doc-m01", "doc-m03"]
    assert [w.code for w in doc.warnings] == ["numbering-gap"]
    assert "(二)" in doc.warnings[0].message
    assert doc.warnings[0].line == 3
    assert "抄送" not in doc.items[-1].text.text


def test_duplicate_item_numbers_fail_with_the_line() -> None:
    text = "一、部分\n1.任务甲。\n2.任务乙。\n2.任务丙。\n"
    with pytest.raises(StructureError, match=r"appears twice \(first at line 3\)") as e:
        parse_document(text, TASKS, is_word=never_word)
    assert e.value.line == 4


def test_numbering_going_backwards_fails() -> None:
    text = "一、部分\n2.任务乙。\n1.任务甲。\n"
    with pytest.raises(StructureError, match="goes backwards"):
        parse_document(text, TASKS, is_word=never_word)


def test_a_document_without_recognisable_numbering_fails_clearly() -> None:
    with pytest.raises(StructureError, match="no part heading"):
        parse_document("只是一段没有编号的文字。\n又一段。\n", TASKS, is_word=never_word)


def test_parts_without_items_fail() -> None:
    with pytest.raises(StructureError, match="no task"):
        parse_document("一、部分\n说明文字。\n", TASKS, is_word=never_word)


def test_title_is_the_phrase_before_the_first_full_stop() -> None:
    assert title_of("实施关键核心技术攻关。优化机制。") == "实施关键核心技术攻关"
    assert title_of("没有句号的标题") == "没有句号的标题"
