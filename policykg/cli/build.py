"""``policykg build``: the corpus as a validated RDF graph in Turtle and JSON-LD."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policykg.cli import app, fail_on_errors, state


@app.command("build")
@fail_on_errors
def build_command(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: var/build under the project)."),
    ] = None,
) -> None:
    """Build the RDF graph (corpus, vocabularies, alignments, load provenance), check it
    against the SHACL shapes, and write policykg.ttl, policykg.jsonld, context.jsonld, one
    SSSOM file per aligned document pair and the Neo4j name mapping.

    The same inputs give byte-identical files; the load's recorded time comes from the
    inputs (SOURCE_DATE_EPOCH, or the newest input file), not from the clock.
    """
    from policykg import pipeline
    from policykg.cli.display import ConsoleSteps, error_console

    settings = state.settings
    built = pipeline.build(settings, steps=ConsoleSteps())
    written = pipeline.write_outputs(settings, built, out)
    console = error_console()
    console.print(f"{len(built.graph)} triples; the data conforms to the shapes.")
    for path in written:
        console.print(f"  wrote {path}")
