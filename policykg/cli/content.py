"""``policykg evaluate --content``: the content extractors against their gold standard."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from core.settings import Settings

CONTENT_GOLD_FILE = "content.toml"
FRESH_FILE = "instruments-fresh.toml"

_CODES = ("main_", "codes_")  # the keys of the instrument figures
ROWS = (
    ("deliverables: precision", "deliverables_precision"),
    ("deliverables: recall", "deliverables_recall"),
    ("deliverables in the gold", "deliverables_gold"),
    ("targets: precision", "targets_precision"),
    ("targets: recall", "targets_recall"),
    ("targets in the gold", "targets_gold"),
    ("targets with the gold's comparator", "target_comparator_correct"),
    ("citations: precision", "citations_precision"),
    ("citations: recall", "citations_recall"),
    ("citations in the gold", "citations_gold"),
    ("instruments: main type agreement", "main_type_agreement"),
    ("instruments: main type kappa", "main_type_kappa"),
    ("instruments: main tool agreement", "main_tool_agreement"),
    ("instruments: main tool kappa", "main_tool_kappa"),
    ("instrument codes: precision", "codes_precision"),
    ("instrument codes: recall", "codes_recall"),
    ("coded clauses", "main_type_clauses"),
)


def evaluate_content(settings: Settings, gold_path: Path | None, *, as_json: bool) -> None:
    """Print every content figure per part of the gold's split, and the coders' agreement."""
    from rich.table import Table

    from loaders.content_evaluate import (
        PARTS,
        evaluate_content,
        read_content_gold,
        read_fresh_instruments,
    )
    from policykg import pipeline
    from policykg.cli.display import error_console, output_console

    gold = read_content_gold(gold_path or settings.gold_dir / CONTENT_GOLD_FILE)
    fresh = read_fresh_instruments(settings.gold_dir / FRESH_FILE)
    with error_console().status("Reading the corpus…"):
        corpus = pipeline.read_inputs(settings).corpus
    figures = evaluate_content(corpus, gold, fresh)
    assert figures.fresh is not None
    instruments = {k: v for k, v in figures.fresh.as_dict().items() if k.startswith(_CODES)}
    method = {p: figures.parts[p].as_dict() for p in PARTS}
    coders = None
    if figures.second_pass is not None:  # the second pass codes instruments only
        coders = {
            p: {k: v for k, v in f.as_dict().items() if k.startswith(_CODES)}
            for p, f in figures.second_pass.items()
        }
    if as_json:
        payload = {
            "method": method,
            "instruments_fresh_sample": instruments,
            "second_pass_against_first": coders,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console = output_console()
    table = Table(title="Content extractors against data/gold/content.toml (tuning part: even "
                  "item numbers, held-out: odd; the instrument cues were tuned on both parts, "
                  "so their held-out figures are the fresh sample's, below)",
                  title_justify="left")  # fmt: skip
    table.add_column("metric")
    for p in PARTS:
        table.add_column(p, justify="right")
    for label, key in ROWS:
        table.add_row(label, *(str(method[p][key]) for p in PARTS))
    console.print(table)
    table = Table(title=f"Instruments on the fresh sample ({settings.gold_dir.name}/{FRESH_FILE}: "
                  "c04 and c05 of every item, coded apart, not looked at while tuning)",
                  title_justify="left")  # fmt: skip
    table.add_column("metric")
    table.add_column("fresh held-out", justify="right")
    for label, key in ROWS[10:]:
        table.add_row(label, str(instruments[key]))
    console.print(table)
    if coders is not None:
        table = Table(title="The gold's second coding pass against its first (instruments)",
                      title_justify="left")  # fmt: skip
        table.add_column("metric")
        for p in PARTS:
            table.add_column(p, justify="right")
        for label, key in ROWS[10:14] + ROWS[16:]:
            table.add_row(label, *(str(coders[p][key]) for p in PARTS))
        console.print(table)
    # Only the tuning part's misses are shown: reading the held-out ones would be tuning on them.
    for miss in figures.parts["tuning"].misses:
        console.print(f"  tuning: {miss}")
