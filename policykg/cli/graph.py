"""``policykg load``, ``export``, ``serve`` and ``up``: the graph in Neo4j, and the API over it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from align.sssom import to_sssom_tsv
from graph import server
from graph.mapping import derive_mapping
from graph.store import counts, export_graph, load_graph, open_driver
from ontology.serialise import to_jsonld, to_turtle, write_graph
from ontology.validate import validate
from policykg.cli import app, fail_on_errors, state
from policykg.errors import OntologyError
from policykg.files import write_atomically
from policykg.pipeline import align_all, build, input_digest, read_inputs
from policykg.settings import Settings

console = Console(stderr=True)


def build_and_load(settings: Settings, *, write_files: bool = True) -> None:
    """Corpus → validated graph (written to the build folder) → Neo4j, with progress."""
    with console.status("Reading the corpus and vocabularies…"):
        inputs = read_inputs(settings)
    with console.status("Aligning documents…"):
        alignments = align_all(inputs)
    with console.status("Building the RDF graph…"):
        graph = build(settings, inputs, alignments)
    with console.status(f"Validating {len(graph)} triples against the SHACL shapes…"):
        report = validate(graph)
    if not report.conforms:
        raise OntologyError("the graph does not conform; nothing was loaded.\n" + report.summary())
    if write_files:
        out = settings.build_dir
        write_graph(graph, out, settings.iri_base)
        titles = {i.id: i.title_simplified for i in inputs.corpus.items()}
        for a in alignments:
            write_atomically(
                out / f"alignment-{a.source}-{a.target}.sssom.tsv",
                to_sssom_tsv(a, settings.iri_base, titles),
            )
        write_atomically(out / "neo4j-mapping.json", derive_mapping(graph).to_json() + "\n")
        console.print(f"Wrote the graph files to {out}")

    with console.status("Starting Neo4j…" if settings.manages_neo4j else "Connecting to Neo4j…"):
        connection = server.ensure_running(settings)
    driver = open_driver(connection)
    try:
        with Progress(
            TextColumn("Loading into Neo4j"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console,
        ) as progress:  # fmt: skip
            task = progress.add_task("load", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            result = load_graph(
                driver, connection.database, graph,
                input_digest=input_digest(inputs.files, settings.data_dir.parent),
                progress=advance,
            )  # fmt: skip
        nodes, relationships = counts(driver, connection.database)
    finally:
        driver.close()
    console.print(
        f"Loaded {result.triples} triples: [bold]{nodes}[/] nodes and "
        f"[bold]{relationships}[/] relationships in Neo4j ({connection.uri}, database "
        f"{connection.database}), graph version {result.version}."
    )
    if settings.manages_neo4j:
        console.print(
            f"Neo4j Browser: http://127.0.0.1:{settings.neo4j_http_port}/browser/ "
            f"(user neo4j, password in {settings.neo4j_home / server.PASSWORD_FILE_NAME})"
        )


@app.command()
@fail_on_errors
def load() -> None:
    """Build the graph and load it into Neo4j, replacing the previous graph all at once.

    Starts the managed Neo4j first if needed (or uses NEO4J_URI). The load is one
    transaction: readers see the previous graph until it commits, and a failed load leaves
    the previous graph in place. Also writes the graph files and the Neo4j name mapping
    (neo4j-mapping.json) into the build folder.
    """
    build_and_load(state.settings)


@app.command()
@fail_on_errors
def export(
    fmt: Annotated[
        Literal["turtle", "jsonld"], typer.Option("--format", help="turtle or jsonld")
    ] = "turtle",
    out: Annotated[Path | None, typer.Option("--out", help="Write here, not to stdout.")] = None,
) -> None:
    """Export the graph held in Neo4j back to RDF (isomorphic to what was loaded)."""
    settings = state.settings
    connection = server.connection_for(settings)
    driver = open_driver(connection)
    try:
        with console.status("Reading the graph from Neo4j…"):
            graph = export_graph(driver, connection.database)
    finally:
        driver.close()
    text = to_turtle(graph) if fmt == "turtle" else to_jsonld(graph, settings.iri_base)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomically(out, text)
        console.print(f"Wrote {len(graph)} triples to {out}")


HostOption = Annotated[str | None, typer.Option("--host", help="Address to listen on.")]
PortOption = Annotated[int | None, typer.Option("--port", help="Port to listen on.")]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", min=1, help="Worker processes (default 1).")
]


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    from api.app import create_app

    console.print(
        f"API docs: http://{host}:{port}/docs   explorer: http://{host}:{port}/   (Ctrl+C to stop)"
    )
    if workers > 1:
        # each worker process builds its own app (and driver) from the environment
        uvicorn.run(
            "api.app:create_app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
    else:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@app.command()
@fail_on_errors
def serve(host: HostOption = None, port: PortOption = None, workers: WorkersOption = None) -> None:
    """Serve the REST API and the web explorer (default http://127.0.0.1:8000)."""
    settings = state.settings
    _serve(settings, host or settings.api_host, port or settings.api_port,
           workers or settings.api_workers)  # fmt: skip


@app.command()
@fail_on_errors
def up(host: HostOption = None, port: PortOption = None, workers: WorkersOption = None) -> None:
    """The main job: corpus → graph files → Neo4j (fetched and started if needed) → API.

    Builds and validates the graph, loads it into Neo4j, prints the counts and where the
    Neo4j Browser, the API docs and the explorer are, then serves the API until Ctrl+C.
    The managed Neo4j keeps running afterwards; `policykg neo4j stop` stops it.
    """
    settings = state.settings
    build_and_load(settings)
    _serve(settings, host or settings.api_host, port or settings.api_port,
           workers or settings.api_workers)  # fmt: skip
