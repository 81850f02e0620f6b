"""``policykg align``, ``coverage`` and ``evaluate``: how items carry on from one document
to another."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from policykg.cli import app, fail_on_errors, state

if TYPE_CHECKING:
    from align.records import Alignment
    from policykg.pipeline import Inputs

SourceOption = Annotated[str, typer.Option("--source", help="Document whose items are matched.")]
TargetOption = Annotated[str, typer.Option("--target", help="Document matched against.")]
GOLD_FILE = "gd2021-gd2025.toml"


def _align(source: str, target: str) -> tuple[Inputs, Alignment]:
    from policykg import pipeline
    from policykg.cli.display import error_console

    with error_console().status(f"Aligning {source} → {target}…"):
        inputs = pipeline.read_inputs(state.settings)
        return inputs, pipeline.align(inputs, source, target)


def _titles(inputs: Inputs) -> dict[str, str]:
    return {i.id: i.title_simplified for i in inputs.corpus.items()}


@app.command("align")
@fail_on_errors
def align_command(
    source: SourceOption = "gd2021",
    target: TargetOption = "gd2025",
    fmt: Annotated[
        Literal["json", "tsv", "table"],
        typer.Option("--format", help="json (links with evidence), tsv (SSSOM) or table."),
    ] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write here, not to stdout.")] = None,
) -> None:
    """Rank every target item for every source item, with scores and evidence.

    Each link has a score in [0, 1] (similarity corrected for hub items), its rank among the
    source item's candidates, whether it is accepted as a continuation, and the evidence:
    each signal's contribution, shared key terms with their spans in both texts, shared
    concepts, programmes, places and agencies.
    """
    from align.sssom import to_sssom_tsv
    from core.files import write_atomically
    from policykg.cli.display import error_console

    inputs, alignment = _align(source, target)
    titles = _titles(inputs)
    if fmt == "table" and out is None:
        _print_links(alignment, titles)
        return
    if fmt == "tsv":
        payload = to_sssom_tsv(alignment, state.settings.iri_base, titles)
    else:
        payload = alignment.model_dump_json(indent=2) + "\n"
    if out is None:
        typer.echo(payload, nl=False)
    else:
        write_atomically(out, payload)
        error_console().print(f"Wrote {len(alignment.links)} links to {out}")


def _print_links(alignment: Alignment, titles: dict[str, str]) -> None:
    from rich.table import Table

    from policykg.cli.display import output_console

    table = Table(title=f"{alignment.source} → {alignment.target} ({alignment.method_version})")
    for col in ("source", "rank", "target", "score", "accepted", "shared terms"):
        table.add_column(col)
    for link in alignment.links:
        if link.rank > 3:
            continue
        terms = "、".join(t.term for t in link.evidence.shared_terms[:5])
        table.add_row(
            f"{link.source} {titles[link.source]}" if link.rank == 1 else "",
            str(link.rank),
            f"{link.target} {titles[link.target]}",
            f"{link.score:.3f}",
            "✓" if link.accepted else "",
            terms,
        )
    console = output_console()
    console.print(table)
    console.print("Top three candidates per item; --format json for all kept links and evidence.")


@app.command()
@fail_on_errors
def coverage(
    source: SourceOption = "gd2021",
    target: TargetOption = "gd2025",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List source items with no accepted successor (dropped or absorbed) and target items
    with no accepted predecessor (new), each with its best candidate and score."""
    from rich.table import Table

    from policykg.cli.display import output_console

    _, alignment = _align(source, target)
    if as_json:
        typer.echo(alignment.coverage.model_dump_json(indent=2))
        return
    for label, entries in (
        (f"{source} items with no accepted successor in {target} (dropped or absorbed)",
         alignment.coverage.dropped),
        (f"{target} items with no accepted predecessor in {source} (new)",
         alignment.coverage.new),
    ):  # fmt: skip
        table = Table(title=f"{label}: {len(entries)}", title_justify="left")
        for col in ("item", "title", "best candidate", "score"):
            table.add_column(col)
        for e in entries:
            table.add_row(e.item, e.title, f"{e.best} {e.best_title or ''}", f"{e.score:.3f}")
        output_console().print(table)


@app.command()
@fail_on_errors
def evaluate(
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help=f"Gold standard (TOML); default data/gold/{GOLD_FILE}."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score the alignment against a hand-written gold standard: precision@1, recall@3 of
    primary links, MRR, and the accuracy of the dropped and new lists."""
    from rich.table import Table

    from align.evaluate import evaluate as evaluate_alignment
    from align.evaluate import read_gold
    from policykg.cli.display import output_console

    gold_path = gold or state.settings.gold_dir / GOLD_FILE
    gold_standard = read_gold(gold_path)
    inputs, alignment = _align(gold_standard.source, gold_standard.target)
    metrics = evaluate_alignment(
        alignment,
        gold_standard,
        [i.id for i in inputs.corpus.document(gold_standard.source).items],
        [i.id for i in inputs.corpus.document(gold_standard.target).items],
    )
    if as_json:
        typer.echo(json.dumps(metrics.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    console = output_console()
    table = Table(title=f"{gold_path.name}: {metrics.evaluated} source items with primary links")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in (
        ("precision@1", metrics.precision_at_1),
        ("recall@3 (primary links)", metrics.recall_at_3),
        ("MRR", metrics.mrr),
        ("dropped-list accuracy", metrics.dropped_accuracy),
        ("new-list accuracy", metrics.new_accuracy),
    ):
        table.add_row(name, f"{value:.3f}")
    console.print(table)
    for source_id, top, primary in metrics.misses_at_1:
        console.print(f"  miss: {source_id} ranked {top} first; gold says {', '.join(primary)}")
