"""``policykg align``, ``coverage`` and ``evaluate``: how items carry on from one document
to another."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from policykg.cli import app, fail_on_errors, state

if TYPE_CHECKING:
    from align.records import Alignment, ClauseRef
    from policykg.pipeline import Inputs

SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="Document whose items are matched (default: the first pair the build aligns, "
        "gd2021 → gd2025 in the shipped corpus; --source alone: the document after it in "
        "its series).",
    ),
]
TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        help="Document matched against (--target alone: the document before it in its series).",
    ),
]
GOLD_FILE = "gd2021-gd2025.toml"


def _align(source: str | None, target: str | None) -> tuple[Inputs, Alignment]:
    """Align ``source`` → ``target``, either or both picked from the build's pairs."""
    from policykg import pipeline
    from policykg.cli.display import error_console

    inputs = pipeline.read_inputs(state.settings)
    pairs = pipeline.document_pairs(inputs.corpus, inputs.manifest)
    source, target = pipeline.pick_pair(pairs, source, target)
    with error_console().status(f"Aligning {source} → {target}…"):
        return inputs, pipeline.align(inputs, source, target)


def _titles(inputs: Inputs) -> dict[str, str]:
    return {i.id: i.title_simplified for i in inputs.corpus.items()}


@app.command("align")
@fail_on_errors
def align_command(
    source: SourceOption = None,
    target: TargetOption = None,
    fmt: Annotated[
        Literal["json", "tsv", "table"],
        typer.Option(
            "--format",
            help="json (links with evidence), tsv (SSSOM; item level only) or table.",
        ),
    ] = "table",
    level: Annotated[
        Literal["item", "clause"],
        typer.Option(
            "--level",
            help="item: item → item links (2021 measure → 2025 task); clause: sentence → "
            "sentence links.",
        ),
    ] = "item",
    out: Annotated[Path | None, typer.Option("--out", help="Write here, not to stdout.")] = None,
) -> None:
    """Rank every target item for every source item, with scores and evidence.

    Each item link has a score in [0, 1] (similarity corrected for hub items) and its rank
    among the source item's candidates, whether it is accepted (at least one of its clause
    links is), the kind of succession (continued, split, merged, partial), the clause links
    behind it, and the evidence: each signal's contribution, shared key terms with their
    spans in both texts, shared concepts, programmes, places and agencies.

    With --level clause: every source sentence's kept candidates, each the target sentence
    most like it in a candidate item, with the clause model's probability, whether it was
    accepted and the signals the model weighed; spans are character offsets in the files.
    """
    from align.sssom import to_sssom_tsv
    from core.files import write_atomically
    from policykg.cli.display import error_console

    if level == "clause" and fmt == "tsv":
        raise typer.BadParameter(
            "SSSOM is written at item level; use --format json or table with --level clause",
            param_hint="'--format'",
        )
    inputs, alignment = _align(source, target)
    titles = _titles(inputs)
    if fmt == "table" and out is None:
        if level == "clause":
            titles_of = {i.clauses[0].id for i in inputs.corpus.items() if len(i.clauses) > 1}
            _print_clause_links(alignment, _clause_texts(inputs), titles_of)
        else:
            _print_links(alignment, titles)
        return
    count = len(alignment.links) if level == "item" else len(alignment.clause_links)
    if fmt == "tsv":
        payload = to_sssom_tsv(alignment, state.settings.iri_base, titles)
    elif level == "clause":
        payload = _clause_links_json(alignment, _clause_texts(inputs))
    else:
        payload = alignment.model_dump_json(indent=2) + "\n"
    if out is None:
        typer.echo(payload, nl=False)
    else:
        write_atomically(out, payload)
        error_console().print(f"Wrote {count} {level} links to {out}")


def _clause_texts(inputs: Inputs) -> dict[str, str]:
    return {c.id: c.text_simplified for i in inputs.corpus.items() for c in i.clauses}


def _clause_links_json(alignment: Alignment, texts: dict[str, str]) -> str:
    """The kept clause links as JSON: each end with its id, item, span and Simplified text."""

    def end(ref: ClauseRef) -> dict[str, object]:
        return {**ref.model_dump(mode="json"), "text_simplified": texts[ref.id]}

    payload = {
        "source": alignment.source,
        "target": alignment.target,
        "method": alignment.method,
        "method_version": alignment.method_version,
        "clause_links": [
            {
                "source": end(c.source),
                "target": end(c.target),
                "score": c.score,
                "accepted": c.accepted,
                "signals": c.signals,
            }
            for c in alignment.clause_links
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _print_clause_links(alignment: Alignment, texts: dict[str, str], titles: set[str]) -> None:
    """Each source sentence's kept candidates, best first; a title sentence never decides."""
    from rich.table import Table

    from policykg.cli.display import output_console

    table = Table(
        title=f"{alignment.source} → {alignment.target} sentence by sentence "
        f"({alignment.method_version})"
    )
    for col in ("source clause", "target clause", "probability", "accepted"):
        table.add_column(col)
    previous = None
    for link in sorted(alignment.clause_links, key=lambda c: (c.source.id, -c.score)):
        first = link.source.id != previous
        previous = link.source.id
        table.add_row(
            f"{link.source.id} {_clip(texts[link.source.id])}" if first else "",
            f"{link.target.id} {_clip(texts[link.target.id])}",
            f"{link.score:.3f}",
            "✓" if link.accepted else ("title" if link.source.id in titles else ""),
        )
    console = output_console()
    console.print(table)
    accepted = sum(c.accepted for c in alignment.clause_links)
    console.print(
        f"{len(alignment.clause_links)} kept clause links, {accepted} accepted (an item's title "
        "sentence only restates its topic and is never accepted); --format json for spans and "
        "signals."
    )


def _clip(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_links(alignment: Alignment, titles: dict[str, str]) -> None:
    from rich.table import Table

    from policykg.cli.display import output_console

    table = Table(title=f"{alignment.source} → {alignment.target} ({alignment.method_version})")
    for col in ("source", "rank", "target", "score", "accepted", "relation", "shared terms"):
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
            link.relation or "",
            terms,
        )
    console = output_console()
    console.print(table)
    console.print("Top three candidates per item; --format json for all kept links and evidence.")


@app.command()
@fail_on_errors
def coverage(
    source: SourceOption = None,
    target: TargetOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What the target does not carry on, judged sentence by sentence: source items none of
    whose sentences is carried on (dropped), target items carrying no source sentence on
    (new), each with its best candidate and score, and every source sentence not carried on
    with the target sentence most like it anyway."""
    from rich.table import Table

    from policykg.cli.display import output_console

    inputs, alignment = _align(source, target)
    source, target = alignment.source, alignment.target
    if as_json:
        typer.echo(alignment.coverage.model_dump_json(indent=2))
        return
    console = output_console()
    for label, entries in (
        (f"{source} items none of whose sentences {target} carries on (dropped)",
         alignment.coverage.dropped),
        (f"{target} items carrying no {source} sentence on (new)", alignment.coverage.new),
    ):  # fmt: skip
        table = Table(title=f"{label}: {len(entries)}", title_justify="left")
        for col in ("item", "title", "best candidate", "score"):
            table.add_column(col)
        for e in entries:
            table.add_row(e.item, e.title, f"{e.best or ''} {e.best_title or ''}", f"{e.score:.3f}")
        console.print(table)
    texts = _clause_texts(inputs)
    verdicts = alignment.coverage.not_continued
    table = Table(
        title=f"{source} sentences {target} does not carry on: {len(verdicts)}",
        title_justify="left",
    )
    for col in ("sentence", "best candidate (rejected)", "probability"):
        table.add_column(col)
    for v in verdicts:
        best = f"{v.best.id} {_clip(texts[v.best.id])}" if v.best else ""
        table.add_row(f"{v.clause.id} {_clip(texts[v.clause.id])}", best, f"{v.score:.3f}")
    console.print(table)


CLAUSE_GOLD_FILE = "gd2021-gd2025-clauses.toml"


@app.command()
@fail_on_errors
def evaluate(
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help=f"Item-level gold (TOML); default data/gold/{GOLD_FILE}."),
    ] = None,
    clause_gold: Annotated[
        Path | None,
        typer.Option(
            "--clause-gold", help=f"Clause judgements; default data/gold/{CLAUSE_GOLD_FILE}."
        ),
    ] = None,
    fit_model: Annotated[
        bool,
        typer.Option(
            "--fit",
            help="Fit the clause model on every judgement and write align/clause-model.toml.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    content: Annotated[
        bool,
        typer.Option(
            "--content",
            help="Measure the content extractors (deliverables, targets, citations, "
            "instruments) against data/gold/content.toml instead, per part of its split.",
        ),
    ] = False,
    content_gold: Annotated[
        Path | None, typer.Option("--content-gold", help="Content gold (TOML).")
    ] = None,
) -> None:
    """Measure the alignment on judgements it was not fitted on, and the shipped method.

    With --content: the content extractors' precision and recall, and the instruments'
    agreement and Cohen's kappa, on the tuning and the held-out part of the content gold.

    The clause judgements are split by source and target item: the held-out half is
    predicted by a model fitted on the tune half, and every item once more by 4-fold
    cross-validation (clause P@1, clause links, carried clauses, dropped and new items, and
    the item-level P@1 / R@3 / MRR of the clause-share ranking). The shipped method (its
    item-level weights and its clause model fitted on all judgements) is also scored on the
    item-level gold: in-sample figures, shown apart.
    """
    from rich.table import Table

    from align.clause_level import clause_candidates
    from align.clause_model import write_model
    from align.clause_space import align_clauses
    from align.evaluate import evaluate as evaluate_alignment
    from align.evaluate import read_gold
    from align.tuning import cross_validated, fit_all, held_out, judge, read_clause_gold
    from policykg import pipeline
    from policykg.cli.display import error_console, output_console

    settings = state.settings
    if content:
        from policykg.cli.content import evaluate_content

        evaluate_content(settings, content_gold, as_json=as_json)
        return
    item_gold = read_gold(gold or settings.gold_dir / GOLD_FILE)
    judgements = read_clause_gold(clause_gold or settings.gold_dir / CLAUSE_GOLD_FILE)
    with error_console().status("Measuring on held-out judgements…"):
        inputs = pipeline.read_inputs(settings)
        source, target = (inputs.corpus.document(k) for k in (item_gold.source, item_gold.target))
        candidates = clause_candidates(
            align_clauses(source.items), align_clauses(target.items), inputs.lexicon.vocab,
            inputs.config,
        )  # fmt: skip
        judged = judge(candidates, judgements, inputs.config.clauses.keep)
        if fit_model:
            write_model(fit_all(judged))
            error_console().print(
                "Fitted the clause model on every judgement: align/clause-model.toml"
            )
        figures = [held_out(judged, item_gold), cross_validated(judged, item_gold)]
        alignment = pipeline.align(inputs, item_gold.source, item_gold.target)
        shipped = evaluate_alignment(
            alignment, item_gold, [i.id for i in source.items], [i.id for i in target.items]
        )
    if as_json:
        payload = {"held_out": [f.model_dump(mode="json") for f in figures],
                   "shipped_in_sample": shipped.model_dump(mode="json")}  # fmt: skip
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console = output_console()
    table = Table(title="On judgements the model was not fitted on", title_justify="left")
    table.add_column("metric")
    for f in figures:
        table.add_column(f"{f.part}\n({f.source_items} measures, {f.target_items} tasks)",
                         justify="right")  # fmt: skip
    rows = [
        ("item precision@1 (clause share)", "item_precision_at_1"),
        ("item recall@3", "item_recall_at_3"),
        ("item MRR", "item_mrr"),
        ("clause precision@1", "clause_precision_at_1"),
        ("clause links: precision", "clause_link_precision"),
        ("clause links: recall", "clause_link_recall"),
        ("carried clauses: precision", "carried_precision"),
        ("carried clauses: recall", "carried_recall"),
        ("dropped measures: precision", "dropped_precision"),
        ("dropped measures: recall", "dropped_recall"),
        ("new tasks: precision", "new_precision"),
        ("new tasks: recall", "new_recall"),
    ]
    for label, key in rows:
        table.add_row(label, *(f"{getattr(f, key):.3f}" for f in figures))
    console.print(table)
    for f in figures:
        console.print(
            f"  {f.part}: dropped {', '.join(f.dropped) or '—'}; new {', '.join(f.new) or '—'}"
        )
    table = Table(title=f"The shipped method on {item_gold.source} → {item_gold.target}, in-sample "
                  "(item weights and clause model chosen on these judgements)",
                  title_justify="left")  # fmt: skip
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in (
        ("precision@1", shipped.precision_at_1),
        ("recall@3 (primary links)", shipped.recall_at_3),
        ("MRR", shipped.mrr),
        ("dropped-list accuracy", shipped.dropped_accuracy),
        ("new-list accuracy", shipped.new_accuracy),
    ):
        table.add_row(name, f"{value:.3f}")
    console.print(table)
    for source_id, top, primary in shipped.misses_at_1:
        console.print(f"  miss: {source_id} ranked {top} first; gold says {', '.join(primary)}")
