"""Scoring the content extractors: the gold's split, name matching, kappa, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.errors import LoaderError
from loaders.content_evaluate import (
    Agreement,
    evaluate_content,
    names_match,
    part_of,
    read_content_gold,
    read_fresh_instruments,
)
from loaders.records import Corpus
from policykg.cli import _register, app

GOLD = Path(__file__).resolve().parents[2] / "data" / "gold" / "content.toml"
FRESH = GOLD.with_name("instruments-fresh.toml")


def test_the_split_is_by_item_number_parity() -> None:
    assert part_of("gd2025-t04") == "tuning"
    assert part_of("gd2025-t03-c02") == "held-out"
    assert part_of("gd2021-m36-c02") == "tuning"
    with pytest.raises(ValueError, match="not an item"):
        part_of("t03")


def test_names_match_when_one_contains_the_other_or_they_share_most_bigrams() -> None:
    assert names_match("行动方案", "省制造业数字化转型行动方案")
    assert names_match("广东省数据条例", "广东省数据管理条例")
    assert not names_match("工作指引", "办事指南")


def test_kappa_is_one_for_agreement_and_zero_for_chance() -> None:
    same = Agreement([("a", "a"), ("b", "b"), ("a", "a")])
    assert (same.observed, same.kappa) == (1.0, 1.0)
    chance = Agreement([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")])
    assert chance.observed == 0.5
    assert chance.kappa == pytest.approx(0.0)


def test_the_gold_covers_every_item_and_names_only_real_clauses(corpus: Corpus) -> None:
    gold = read_content_gold(GOLD)
    assert set(gold.reviewed) == {i.id for i in corpus.items()}
    clauses = {c.id for i in corpus.items() for c in i.clauses}
    named = {d.clause for d in gold.deliverable} | {t.clause for t in gold.target}
    assert named <= clauses
    assert len(gold.instruments) >= 120
    assert {k[:6] for k in gold.instruments} == {"gd2021", "gd2025"}
    assert gold.second_pass is not None and set(gold.second_pass.instruments) <= set(
        gold.instruments
    )


def test_a_gold_naming_an_unknown_clause_is_refused(corpus: Corpus, tmp_path: Path) -> None:
    bad = tmp_path / "content.toml"
    bad.write_text(
        'split = {rule = "parity"}\nreviewed = []\n[instruments]\n"gd2025-t99-c01" = []\n',
        encoding="utf-8",
    )
    with pytest.raises(LoaderError, match="gd2025-t99-c01"):
        evaluate_content(corpus, read_content_gold(bad))


def test_evaluate_content_prints_both_parts_as_json() -> None:
    _register()
    result = CliRunner().invoke(app, ["evaluate", "--content", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output[result.output.index("{") :])
    assert set(body["method"]) == {"tuning", "held-out"}
    held_out = body["method"]["held-out"]
    assert held_out["deliverables_gold"] > 0 and held_out["main_type_clauses"] >= 60
    assert 0 <= held_out["main_type_kappa"] <= 1
    assert set(body["second_pass_against_first"]["held-out"]) >= {"main_type_kappa"}


def test_the_fresh_sample_codes_other_clauses_than_the_gold(corpus: Corpus) -> None:
    gold, fresh = read_content_gold(GOLD), read_fresh_instruments(FRESH)
    clauses = {c.id for i in corpus.items() for c in i.clauses}
    assert len(fresh.instruments) == 109
    assert set(fresh.instruments) <= clauses
    assert not set(fresh.instruments) & set(gold.instruments)
    figures = evaluate_content(corpus, gold, fresh)
    assert figures.fresh is not None and figures.fresh.main_type.n == 109


def test_a_fresh_sample_overlapping_the_gold_is_refused(corpus: Corpus, tmp_path: Path) -> None:
    gold = read_content_gold(GOLD)
    overlapping = tmp_path / "fresh.toml"
    cid = next(iter(gold.instruments))
    overlapping.write_text(f'[instruments]\n"{cid}" = []\n', encoding="utf-8")
    with pytest.raises(LoaderError, match="not fresh"):
        evaluate_content(corpus, gold, read_fresh_instruments(overlapping))


def test_evaluate_content_reports_the_fresh_sample() -> None:
    _register()
    result = CliRunner().invoke(app, ["evaluate", "--content", "--json"])
    assert result.exit_code == 0, result.output
    fresh = json.loads(result.output[result.output.index("{") :])["instruments_fresh_sample"]
    assert fresh["main_type_clauses"] == 109
    assert 0 <= fresh["main_type_agreement"] <= 1
