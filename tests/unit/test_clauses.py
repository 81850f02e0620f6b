"""Clauses: every item cut into its sentences, each with its span in the original file."""

from __future__ import annotations

import pytest

from core.settings import Settings
from loaders.clauses import clause_bounds, clause_id
from loaders.records import Corpus


def _cut(text: str) -> list[str]:
    return [text[a:b] for a, b in clause_bounds(text)]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("推进A；推进B。加快C。完善D；强化E", ["推进A；推进B。", "加快C。", "完善D；", "强化E"]),
        ("标题\n正文一。正文二。", ["标题", "正文一。", "正文二。"]),
        ("标题。打造“一网通办。”平台。其他。", ["标题。", "打造“一网通办。”平台。", "其他。"]),
        ("标题。支持（试点；推广）应用。", ["标题。", "支持（试点；推广）应用。"]),
        ("只有一句", ["只有一句"]),
        # a quotation the text leaves open does not swallow the rest
        ("标题。开展“强基。行动。后面。", ["标题。", "开展“强基。", "行动。", "后面。"]),
        ("标题。  第二句。\n第三句；  ", ["标题。", "第二句。", "第三句；"]),
    ],
)
def test_clauses_are_sentences_with_the_title_first(text: str, clauses: list[str]) -> None:
    assert _cut(text) == clauses


def test_clause_ids_number_from_one() -> None:
    assert clause_id("gd2021-m06", 2) == "gd2021-m06-c02"


def test_the_corpus_has_183_and_219_clauses(corpus: Corpus) -> None:
    counts = {d.key: sum(len(i.clauses) for i in d.items) for d in corpus.documents}
    assert counts == {"gd2021": 183, "gd2025": 219}
    m06 = corpus.document("gd2021").items[5]
    assert [c.id for c in m06.clauses] == [f"gd2021-m06-c0{n}" for n in range(1, 6)]
    assert m06.clauses[0].text == "推进基础设施“智慧+”改造升级。"
    assert m06.clauses[3].text.startswith("构建智慧化能源互联网")


def test_clause_spans_point_at_the_original_text(corpus: Corpus, repo_settings: Settings) -> None:
    for document in corpus.documents:
        original = (repo_settings.corpus_manifest.parent / document.file).read_text("utf-8")
        for item in document.items:
            for clause in item.clauses:
                assert item.span.start <= clause.span.start < clause.span.end <= item.span.end
                written = original[clause.span.start : clause.span.end]
                assert written.startswith(clause.text[:2])
                assert written.endswith(clause.text[-2:])
                assert original.count("\n", 0, clause.span.start) + 1 == clause.span.line


def test_a_task_clause_keeps_the_original_script_and_its_mentions(corpus: Corpus) -> None:
    t46 = corpus.document("gd2025").items[45]
    last = t46.clauses[-1]
    assert last.text.startswith("推進廣州南沙")  # Traditional, as written
    assert last.text_simplified.startswith("推进广州南沙")
    assert {m.ref for m in last.mentions if m.kind == "place"} >= {"nansha", "hengqin"}
    assert all(m in t46.mentions for m in last.mentions)
    assert "广州" in last.words or "广州南沙" in last.words


def test_responsibility_clauses_are_not_clauses(corpus: Corpus) -> None:
    for item in corpus.document("gd2025").items:
        assert item.responsibility_clause is not None
        assert all("牵头" not in c.text_simplified for c in item.clauses)
        assert item.clauses[-1].span.end <= (item.responsibility_span or item.span).start


def test_clauses_are_in_the_records_json_without_their_words(corpus: Corpus) -> None:
    record = corpus.document("gd2021").items[0].model_dump(mode="json")
    clause = record["clauses"][1]
    assert set(clause) == {
        "id", "item", "number", "text", "text_simplified", "span", "mentions",
        "deliverables", "targets", "citations", "instruments",
    }  # fmt: skip
    assert set(clause["span"]) == {"start", "end", "line"}
