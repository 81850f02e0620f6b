"""Heads shared over a 、-list (suffix) and generic bodies, on their own."""

from __future__ import annotations

import pytest

from loaders.heads import is_generic, shared_suffix, with_head
from loaders.normalise import normalise
from loaders.responsibility import parse_clause

PLACES = {"广州", "广州市", "深圳", "深圳市", "珠海", "珠海市"}


def is_place(text: str) -> bool:
    return text in PLACES


def never(_: str) -> str | None:
    return None


def test_the_last_name_lends_its_head_to_bare_places() -> None:
    names = ["广州", "深圳", "珠海出入境边防检查总站"]
    assert shared_suffix(names, is_place) == "出入境边防检查总站"
    assert shared_suffix(["广州", "深圳市人民政府"], is_place) == "市人民政府"


def test_no_head_is_shared_when_an_earlier_name_is_a_body() -> None:
    assert shared_suffix(["省商务厅", "珠海出入境边防检查总站"], is_place) is None
    assert shared_suffix(["珠海出入境边防检查总站"], is_place) is None


@pytest.mark.parametrize(
    ("name", "head", "full"),
    [("广州", "市人民政府", "广州市人民政府"), ("广州市", "市人民政府", "广州市人民政府")],
)
def test_a_head_is_written_once_where_it_meets_a_place(name: str, head: str, full: str) -> None:
    assert with_head(name, head) == full


def test_a_clause_distributes_the_suffix_and_keeps_each_span() -> None:
    clause = "（省商务厅牵头，廣州、深圳、珠海出入境邊防檢查總站按職責分工負責）"
    parsed = parse_clause(normalise(clause), never, is_place)
    assert [(n.name, n.role.value, clause[n.start : n.end]) for n in parsed.names] == [
        ("省商务厅", "lead", "省商务厅"),
        ("广州出入境边防检查总站", "shared", "廣州"),
        ("深圳出入境边防检查总站", "shared", "深圳"),
        ("珠海出入境边防检查总站", "shared", "珠海出入境邊防檢查總站"),
    ]


def test_without_a_gazetteer_no_suffix_is_shared() -> None:
    parsed = parse_clause("（广州、深圳市人民政府负责）", never)
    assert [n.name for n in parsed.names] == ["广州", "深圳市人民政府"]


@pytest.mark.parametrize(
    "name", ["相关地市政府", "各地级以上市人民政府", "各县（市、区）政府", "有关地市"]
)
def test_generic_bodies(name: str) -> None:
    assert is_generic(name)


@pytest.mark.parametrize("name", ["省政务和数据局", "广州市人民政府", "省有关单位牵头"])
def test_named_bodies_are_not_generic(name: str) -> None:
    assert not is_generic(name)
