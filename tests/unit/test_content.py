"""The content extractors on invented sentences: deliverables, targets, citations, instruments."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import VocabularyError
from loaders.clause_content import ContentReader
from loaders.content import DEFAULT_CUES, read_cues

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def reader() -> ContentReader:
    return ContentReader.from_files(REPO / "data" / "vocab", {"某省数字经济促进条例": "doc-x"})


def test_a_verb_and_a_kind_make_a_deliverable(reader: ContentReader) -> None:
    found = reader.read("研究出台全省智慧养老服务管理办法，推动各地落实。").deliverables
    expected = [("办法", "出台", "全省智慧养老服务管理办法")]
    assert [(d.kind, d.verb, d.name) for d in found] == expected


def test_one_verb_can_promise_several_documents(reader: ContentReader) -> None:
    found = reader.read("编制港口数字化改造技术指引和运营规则。").deliverables
    assert [(d.kind, d.name) for d in found] == [
        ("指引", "港口数字化改造技术指引"),
        ("规则", "运营规则"),
    ]


def test_a_kind_word_inside_a_longer_name_does_not_end_it(reader: ContentReader) -> None:
    found = reader.read("制定标准化试点工作方案。").deliverables
    assert [(d.kind, d.name) for d in found] == [("方案", "标准化试点工作方案")]


def test_improving_a_standing_regime_and_documents_of_others_are_no_deliverables(
    reader: ContentReader,
) -> None:
    assert reader.read("完善数据市场监管规则，健全标准体系。").deliverables == ()
    assert reader.read("鼓励行业协会制定团体标准。").deliverables == ()
    assert reader.read("制定人才引进制度。").deliverables == ()


def test_legislation_follows_its_object(reader: ContentReader) -> None:
    quoted = reader.read("加快《某省数字经济促进条例》立法。").deliverables
    assert [(d.kind, d.verb, d.name) for d in quoted] == [("条例", "立法", "某省数字经济促进条例")]
    plain = reader.read("稳步推进人工智能领域立法工作。").deliverables
    assert [(d.kind, d.name) for d in plain] == [("法规", "人工智能领域立法")]


def test_a_quoted_name_after_the_verb_is_the_document(reader: ContentReader) -> None:
    found = reader.read("修订《某市公共数据开放暂行办法》。").deliverables
    expected = [("办法", "修订", "某市公共数据开放暂行办法")]
    assert [(d.kind, d.verb, d.name) for d in found] == expected


def test_targets_need_a_comparator(reader: ContentReader) -> None:
    found = reader.read("新建不少于200个5G基站，光纤入户率提升至90%，建设12英寸晶圆线。").targets
    assert [(t.value, t.unit, t.comparator) for t in found] == [
        (200.0, "个", "at_least"),
        (90.0, "%", "reach"),
    ]
    assert found[0].object.startswith("5G基站")
    assert found[1].object == "光纤入户率"


def test_a_goal_phrase_and_a_year(reader: ContentReader) -> None:
    found = reader.read("到2027年，以10E级算力为目标建设超算中心。").targets
    expected = [(10.0, "E级", "reach", 2027)]
    assert [(t.value, t.unit, t.comparator, t.year) for t in found] == expected
    assert found[0].object == "算力"
    before = reader.read("以5E级为目标，提升超算能力。").targets
    assert [(t.value, t.object) for t in before] == [(5.0, "提升超算能力")]
    assert reader.read("培育一批龙头企业和若干个产业园区。").targets == ()


def test_citations_resolve_to_corpus_documents(reader: ContentReader) -> None:
    found = reader.read("贯彻《某省数字经济促进条例》和《外省规划》。").citations
    assert [(c.title, document) for c, document in found] == [
        ("某省数字经济促进条例", "doc-x"),
        ("外省规划", None),
    ]


def test_instruments_come_with_their_cue_and_the_main_one_first(reader: ContentReader) -> None:
    text = "设立数字经济专项资金，开展智慧工厂试点。"
    found = reader.read(text).instruments
    assert [(i.type, i.tool) for i in found] == [("supply", "funding"), ("demand", "pilot")]
    assert all(text[i.start : i.end] == i.cue for i in found)


def test_a_promised_plan_codes_planning_and_hides_the_words_of_its_name(
    reader: ContentReader,
) -> None:
    found = reader.read("出台中小企业数字化转型行动方案。").instruments
    assert [i.tool for i in found] == ["planning"]


def test_a_clause_without_a_cue_has_no_instrument(reader: ContentReader) -> None:
    assert reader.read("提升整体水平。").instruments == ()


def test_a_cue_file_naming_an_unknown_tool_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "cues.toml"
    text = DEFAULT_CUES.read_text(encoding="utf-8")
    bad.write_text(text + '\n[instruments.tools.lobbying]\nstrong = ["游说"]\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match="lobbying"):
        ContentReader.from_files(REPO / "data" / "vocab", {}, cues_path=bad)


def test_a_malformed_cue_file_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "cues.toml"
    bad.write_text("[deliverables]\nverbs = []\nkinds = ?\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"cues\.toml:3: not valid TOML"):
        read_cues(bad)


def test_the_corpus_clauses_carry_their_content_with_spans_of_the_original() -> None:
    from loaders.corpus import load_corpus

    corpus = load_corpus(REPO / "data/corpus/manifest.toml", REPO / "data/vocab", ["gd2025"])
    original = (REPO / "data/corpus/gd-2025-digital-guangdong-workplan.txt").read_text("utf-8")
    cited = [(c, cl) for i in corpus.items() for cl in i.clauses for c in cl.citations]
    assert cited, "the 2025 plan cites documents in 《》"
    for c, _ in cited:
        assert original[c.span.start : c.span.end] == f"《{c.title}》"
    coded = [cl for i in corpus.items() for cl in i.clauses if cl.instruments]
    assert len(coded) > len([cl for i in corpus.items() for cl in i.clauses]) / 2
    for cl in coded:
        for ins in cl.instruments:
            assert cl.span.start <= ins.span.start < ins.span.end <= cl.span.end
