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
        typer.Option(
            "--out",
            help="Write the graph files to this folder instead, built afresh (default: the "
            "build folder, var/build under the project, reused when up to date).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Rebuild even when the folder holds an up-to-date build."),
    ] = False,
) -> None:
    """Build the RDF graph (corpus, vocabularies, alignments, load provenance), check it
    against the SHACL shapes, and write policykg.ttl, policykg.jsonld, context.jsonld, one
    SSSOM file per aligned document pair and the Neo4j name mapping.

    The same inputs give byte-identical files; the load's recorded time comes from the
    inputs (SOURCE_DATE_EPOCH, or the newest input file), not from the clock. The folder
    keeps the key of the build (build.json: a digest of the inputs and the code); when the
    key still matches and the files are unchanged, nothing is rebuilt (--force rebuilds).
    """
    from policykg import pipeline
    from policykg.cli.display import ConsoleSteps, error_console

    settings, console = state.settings, error_console()
    if out is not None:
        fresh = pipeline.build(settings, steps=ConsoleSteps())
        written = pipeline.write_outputs(settings, fresh, out)
        console.print(f"{len(fresh.graph)} triples; the data conforms to the shapes.")
    else:
        built = pipeline.ensure_built(settings, ConsoleSteps(), force=force)
        if built.reused:
            console.print(
                f"{built.folder} already holds the build of these inputs and code "
                f"({built.record.triples} triples, validated); nothing rebuilt."
            )
            return
        console.print(f"{built.record.triples} triples; the data conforms to the shapes.")
        written = built.files
    for path in written:
        console.print(f"  wrote {path}")
