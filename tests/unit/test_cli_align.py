"""``policykg align --level clause`` and ``policykg coverage``: what the command line prints
is the alignment the pipeline makes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from align.records import Alignment
from loaders.records import Corpus
from policykg.cli import _register, app


def test_clause_links_as_json_are_the_alignments_with_their_texts(
    tmp_path: Path, alignments: list[Alignment], corpus: Corpus
) -> None:
    (alignment,) = alignments
    out = tmp_path / "clauses.json"
    _register()
    result = CliRunner().invoke(app, ["align", "--level", "clause", "--format", "json",
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert (written["source"], written["target"]) == ("gd2021", "gd2025")
    links = written["clause_links"]
    assert [(x["source"]["id"], x["target"]["id"], x["score"], x["accepted"]) for x in links] == [
        (c.source.id, c.target.id, c.score, c.accepted) for c in alignment.clause_links
    ]
    clauses = {c.id: c for i in corpus.items() for c in i.clauses}
    for x in links[:40]:
        for end in (x["source"], x["target"]):
            clause = clauses[end["id"]]
            assert end["text_simplified"] == clause.text_simplified
            assert (end["span"]["start"], end["span"]["end"]) == (
                clause.span.start,
                clause.span.end,
            )
    assert f"Wrote {len(links)} clause links" in result.output


def test_sssom_at_clause_level_is_refused_by_name(tmp_path: Path) -> None:
    _register()
    result = CliRunner().invoke(app, ["align", "--level", "clause", "--format", "tsv"])
    assert result.exit_code == 2
    assert "--format" in result.output and "item level" in result.output


def test_coverage_lists_the_sentences_not_carried_on(alignments: list[Alignment]) -> None:
    (alignment,) = alignments
    _register()
    result = CliRunner().invoke(app, ["coverage"], terminal_width=200)
    assert result.exit_code == 0, result.output
    verdicts = alignment.coverage.not_continued
    assert f"gd2021 sentences gd2025 does not carry on: {len(verdicts)}" in result.output
    assert all(v.clause.id in result.output for v in verdicts)
    assert all(e.item in result.output for e in alignment.coverage.new)
