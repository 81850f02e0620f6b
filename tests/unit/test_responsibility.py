"""Responsibility clauses: roles, prefix distribution, open-ended lists, 下同."""

from __future__ import annotations

from loaders.normalise import normalise
from loaders.records import Role
from loaders.responsibility import find_clause, parse_clause

KNOWN = {"人民银行广东省分行", "国家金融监督管理总局广东监管局", "省科技厅", "省发展改革委"}


def resolve(name: str) -> str | None:
    return name if name in KNOWN else None


def read(clause: str) -> tuple[list[tuple[str, str, bool, str]], bool]:
    normal = normalise(clause)
    parsed = parse_clause(normal, resolve)
    names = [(n.name, n.role.value, n.same_below, clause[n.start : n.end]) for n in parsed.names]
    return names, parsed.open_ended


def test_traditional_clause_with_xia_tong_and_implementing_role() -> None:
    names, open_ended = read(
        "(省發展改革委、科技廳、工業和信息化廳按職責分工負責;各地級以上市人民政府結合實際落實,下同)"
    )
    assert names == [
        ("省发展改革委", "shared", False, "省發展改革委"),
        ("省科技厅", "shared", False, "科技廳"),
        ("省工业和信息化厅", "shared", False, "工業和信息化廳"),
        ("各地级以上市人民政府", "implementing", True, "各地級以上市人民政府"),
    ]
    assert not open_ended


def test_province_prefix_distributes_over_a_list_and_commas_separate_groups() -> None:
    names, _ = read("（省委网信办，省保密局、密码管理局，省公安厅、政务和数据局按职责分工负责）")
    assert [n[0] for n in names] == [
        "省委网信办",
        "省保密局",
        "省密码管理局",
        "省公安厅",
        "省政务和数据局",
    ]


def test_party_committee_prefix_distributes_as_sheng_wei() -> None:
    names, _ = read("（省委宣传部、网信办牵头）")
    assert [(n[0], n[1]) for n in names] == [("省委宣传部", "lead"), ("省委网信办", "lead")]


def test_role_word_closes_every_group_since_the_last_one() -> None:
    names, _ = read("（省工业和信息化厅牵头，省委宣传部，省文化和旅游厅、广电局按职责分工负责）")
    assert [(n[0], n[1]) for n in names] == [
        ("省工业和信息化厅", "lead"),
        ("省委宣传部", "shared"),
        ("省文化和旅游厅", "shared"),
        ("省广电局", "shared"),
    ]


def test_names_without_a_role_word_are_shared() -> None:
    names, _ = read("（省法院，省检察院）")
    assert [(n[0], n[1]) for n in names] == [("省法院", "shared"), ("省检察院", "shared")]


def test_bodies_without_the_province_prefix_keep_their_own_names() -> None:
    names, _ = read(
        "（人民银行广东省分行牵头，省委金融办，国家金融监督管理总局广东监管局、"
        "中国证监会广东监管局按职责分工负责）"
    )
    assert [n[0] for n in names] == [
        "人民银行广东省分行",
        "省委金融办",
        "国家金融监督管理总局广东监管局",
        "中国证监会广东监管局",
    ]
    assert names[0][1] == Role.LEAD.value


def test_open_ended_markers_are_a_flag_not_an_agency() -> None:
    for clause, expected in [
        ("（省政务和数据局牵头，省国资委等单位按职责分工负责）", ["省政务和数据局", "省国资委"]),
        ("（省教育厅、能源局等按职责分工负责）", ["省教育厅", "省能源局"]),
    ]:
        names, open_ended = read(clause)
        assert [n[0] for n in names] == expected, clause
        assert open_ended, clause
        assert all(not n[0].endswith("等") for n in names)


def test_a_collective_phrase_is_a_generic_body_with_its_role_and_ends_the_list_open() -> None:
    for clause, expected in [
        ("（省有关单位按职责分工负责）", [("省有关单位", "shared", True)]),
        (
            "（省工业和信息化厅牵头，各有关单位按职责分工负责）",
            [("省工业和信息化厅", "lead", False), ("各有关单位", "shared", True)],
        ),
        (
            "（省发展改革委、各有关部门牵头）",
            [("省发展改革委", "lead", False), ("各有关部门", "lead", True)],
        ),
    ]:
        parsed = parse_clause(normalise(clause), resolve)
        assert [(n.name, n.role.value, n.generic) for n in parsed.names] == expected, clause
        assert parsed.open_ended, clause
        for n in parsed.names:
            assert clause[n.start : n.end] == n.name  # the span is the name as written


def test_a_supporting_role_closes_its_group() -> None:
    names, _ = read("（省发展改革委牵头，省科技厅、省财政厅配合）")
    assert [(n[0], n[1]) for n in names] == [
        ("省发展改革委", "lead"), ("省科技厅", "supporting"), ("省财政厅", "supporting"),
    ]  # fmt: skip


def test_the_role_words_of_the_yearly_plans() -> None:
    names, _ = read(
        "（省政务服务数据管理局牵头，省财政厅协助，省统计局参与；"
        "各地级以上市人民政府负责落实，省有关单位按职责分工落实）"
    )
    assert [(n[0], n[1]) for n in names] == [
        ("省政务服务数据管理局", "lead"),
        ("省财政厅", "supporting"),
        ("省统计局", "supporting"),
        ("各地级以上市人民政府", "implementing"),
        ("省有关单位", "shared"),
    ]


def test_clause_is_found_at_the_end_despite_brackets_in_the_body() -> None:
    text = "支持超高清视频(共建)、新型储能等创新中心建设。(省工業和信息化廳牽頭)"
    at = find_clause(text)
    assert at is not None
    assert text[at[0] : at[1]] == "(省工業和信息化廳牽頭)"
    assert find_clause("没有责任单位的句子。") is None
