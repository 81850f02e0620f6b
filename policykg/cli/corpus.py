"""``policykg parse`` and ``policykg report``: the corpus as records, and what loading did."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policykg.cli import app, fail_on_errors, state

if TYPE_CHECKING:
    from loaders.records import Corpus

DocOption = Annotated[
    list[str] | None,
    typer.Option("--doc", help="Only this document (a manifest key such as gd2021); repeatable."),
]


def _load(doc: list[str] | None) -> Corpus:
    from loaders.corpus import load_corpus
    from policykg.cli.display import error_console

    s = state.settings
    with error_console().status("Loading the corpus…"):
        return load_corpus(s.corpus_manifest, s.vocab_dir, keys=doc)


@app.command()
@fail_on_errors
def parse(
    doc: DocOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the JSON here instead of standard output.")
    ] = None,
) -> None:
    """Parse the corpus into records (documents, parts, groups, items) and print them as JSON.

    Items carry their official number, title, original and Simplified text, part and group,
    responsibilities with roles, mentions, and character spans in the original file. The load
    report (repairs, warnings, unresolved names) is included.
    """
    from core.files import write_atomically
    from policykg.cli.display import error_console

    corpus = _load(doc)
    payload = corpus.model_dump_json(indent=2) + "\n"
    if out is None:
        typer.echo(payload, nl=False)
    else:
        write_atomically(out, payload)
        items = sum(len(d.items) for d in corpus.documents)
        error_console().print(f"Wrote {items} items to {out}")


@app.command()
@fail_on_errors
def report(doc: DocOption = None) -> None:
    """Print the load report: counts per document, warnings, every repair, unresolved names."""
    print_report(_load(doc))


def print_report(corpus: Corpus) -> None:
    """Render the load report on the console."""
    from rich.table import Table

    from loaders.report import document_counts
    from policykg.cli.display import output_console

    console = output_console()
    counts = [document_counts(corpus, d) for d in corpus.documents]
    table = Table(title="Documents", title_justify="left")
    table.add_column("")
    for c in counts:
        table.add_column(c.key, justify="right")
    rows: list[tuple[str, list[str]]] = [
        ("title", [c.title for c in counts]),
        ("parts", [str(c.parts) for c in counts]),
        ("groups", [str(c.groups) for c in counts]),
        ("items", [f"{c.items} {c.item_kind}s" for c in counts]),
        ("responsibilities", [str(c.responsibilities) for c in counts]),
        ("  carried by 下同", [str(c.inherited) for c in counts]),
        ("open-ended lists", [str(c.open_ended) for c in counts]),
    ]
    for kind in sorted({k for c in counts for k in c.mentions}):
        rows.append((f"{kind} mentions", [str(c.mentions.get(kind, 0)) for c in counts]))
    rows += [
        ("repairs", [str(c.repairs) for c in counts]),
        ("warnings", [str(c.warnings) for c in counts]),
    ]
    for label, values in rows:
        table.add_row(label, *values)
    console.print(table)

    rep = corpus.report
    console.print(f"\n[bold]Warnings[/] ({len(rep.warnings)})")
    for w in rep.warnings:
        where = f"{w.document}:{w.line}" if w.line else w.document
        console.print(f"  [yellow]{w.code}[/] {where}  {w.message}")

    repairs = Table(title=f"Repairs ({len(rep.repairs)})", title_justify="left")
    for col in ("document", "line", "offset", "kind", "before", "after"):
        repairs.add_column(col)
    for r in rep.repairs:
        repairs.add_row(
            r.document, str(r.line), str(r.offset), r.kind, repr(r.before), repr(r.after)
        )
    console.print()
    console.print(repairs)

    console.print(f"\n[bold]Unresolved names[/] ({len(rep.unresolved)})")
    for u in rep.unresolved:
        console.print(f"  line {u.span.line}: {u.surface} ({u.name}), role {u.role.value}")
    if not rep.unresolved:
        console.print("  none: every responsible body resolved to the agency registry")
