"""Checks of the content cookbook queries against the records the corpus load gives."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Any

from align.records import Alignment
from loaders.corpus import load_corpus
from loaders.records import Corpus, Item

REPO = Path(__file__).resolve().parents[2]
Rows = list[dict[str, Any]]


@functools.cache
def records() -> Corpus:
    return load_corpus(REPO / "data/corpus/manifest.toml", REPO / "data/vocab")


def _leads(item: Item) -> set[str]:
    return {r.agency for r in item.responsibilities if r.role == "lead" and r.agency}


def tasks_promising(rows: Rows, _: Alignment) -> None:
    corpus = records()
    expected = [
        (c.id, d.name)
        for i in corpus.document("gd2025").items
        for c in i.clauses
        for d in c.deliverables
        if d.kind == "方案"
    ]
    assert [(r["clause"], r["document"]) for r in rows] == sorted(expected)
    assert "gd2025-t14" in {r["task"] for r in rows}  # 出台省制造业数字化转型行动方案
    by_task = {i.id: i for i in corpus.items()}
    for r in rows:
        assert len(r["lead_agencies"]) == len(_leads(by_task[r["task"]]))
    t14 = next(r for r in rows if r["task"] == "gd2025-t14")
    assert t14["lead_agencies"] == ["广东省工业和信息化厅"]


def targets_by_part(rows: Rows, _: Alignment) -> None:
    corpus = records()
    expected = [
        (i.part, c.id, t.value, t.unit)
        for i in corpus.items()
        for c in i.clauses
        for t in c.targets
    ]
    assert sorted((r["part"], r["clause"], r["value"], r["unit"]) for r in rows) == sorted(expected)
    assert {(r["value"], r["unit"], r["comparator"]) for r in rows} >= {
        (30.0, "个", "at_least"),
        (75.0, "%", "reach"),
    }


def instrument_mix_by_year(rows: Rows, _: Alignment) -> None:
    corpus = records()
    for d in corpus.documents:
        codes = Counter(
            (i.type, i.tool) for item in d.items for c in item.clauses for i in c.instruments
        )
        mine = [r for r in rows if r["document"] == d.key]
        assert {(r["type"], r["tool"]): r["codes"] for r in mine} == dict(codes)
        assert {r["year"] for r in mine} == {d.date.year}
        assert abs(sum(r["share"] for r in mine) - 1.0) < 0.01
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)


def instrument_mix_by_lead_agency(rows: Rows, _: Alignment) -> None:
    corpus = records()
    codes: Counter[tuple[str, str]] = Counter()
    tools: Counter[tuple[str, str, str]] = Counter()
    for item in corpus.items():
        for agency in _leads(item):
            for c in item.clauses:
                codes.update((agency, i.type) for i in c.instruments)
                tools.update((agency, i.type, i.tool) for i in c.instruments)
    assert {(r["agency"], r["type"]): r["codes"] for r in rows} == dict(codes)
    for r in rows:
        # the most codes of that type, the first tool by name among equals
        mine = [
            (-n, tool) for (a, t, tool), n in tools.items() if (a, t) == (r["agency"], r["type"])
        ]
        assert r["main_tool"] == min(mine)[1], r


CONTENT_CHECKS = {
    "tasks-promising-a-kind-of-document": tasks_promising,
    "targets-by-part": targets_by_part,
    "instrument-mix-by-year": instrument_mix_by_year,
    "instrument-mix-by-lead-agency": instrument_mix_by_lead_agency,
}
