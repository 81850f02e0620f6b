"""``policykg load``, ``export``, ``serve`` and ``up``: the graph in Neo4j, and the API over it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from policykg.cli import app, fail_on_errors, state

if TYPE_CHECKING:
    from core.settings import Settings


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Rebuild and reload even when the build folder and the database already hold "
        "the graph of the current inputs and code.",
    ),
]


def build_and_load(settings: Settings, force: bool = False, offline: bool = False) -> None:
    """The pipeline with progress on the console: corpus → validated graph → files → Neo4j,
    each step skipped when what it would make is there already (unless ``force``)."""
    from graph import server
    from policykg import pipeline
    from policykg.cli.display import ConsoleSteps, error_console

    console = error_console()
    steps = ConsoleSteps(console)
    if offline:
        built, loaded = pipeline.build_and_import(settings, steps, force=force)
    else:
        built, loaded = pipeline.build_start_and_load(settings, steps, force=force)
    if built.reused:
        console.print(f"The graph files in {built.folder} are up to date; nothing rebuilt.")
    else:
        console.print(f"Wrote the graph files to {built.folder}")
    where = f"Neo4j ({loaded.connection.uri}, database {loaded.connection.database})"
    if loaded.result is None:
        console.print(
            f"{where} already holds this graph (version {loaded.version}); nothing reloaded: "
            f"[bold]{loaded.nodes}[/] nodes and [bold]{loaded.relationships}[/] relationships."
        )
    else:
        console.print(
            f"Loaded {loaded.result.triples} triples: [bold]{loaded.nodes}[/] nodes and "
            f"[bold]{loaded.relationships}[/] relationships into {where} in "
            f"{loaded.result.seconds:.1f} s, graph version {loaded.version}."
        )
    if settings.manages_neo4j:
        console.print(
            f"Neo4j Browser: http://127.0.0.1:{settings.neo4j_http_port}/browser/ "
            f"(user neo4j, password in {settings.neo4j_home / server.PASSWORD_FILE_NAME})"
        )


@app.command()
@fail_on_errors
def load(
    force: ForceOption = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Import with Neo4j's own neo4j-admin instead, writing the store directly: "
            "for a first load of a very large graph, whose one transaction would need more "
            "server memory than the machine has. The managed server is stopped for it and "
            "started again; the import goes into a folder of its own first, so a failed one "
            "leaves the previous graph. Not for an external server (NEO4J_URI).",
        ),
    ] = False,
) -> None:
    """Build the graph and load it into Neo4j, replacing the previous graph all at once.

    Starts the managed Neo4j first if needed (or uses NEO4J_URI). The load is one
    transaction: readers see the previous graph until it commits, and a failed load leaves
    the previous graph in place. Also writes the graph files and the Neo4j name mapping
    (neo4j-mapping.json) into the build folder. A build folder that already holds the
    build of the current inputs and code is reused, and a database that already holds
    that build is not reloaded (--force redoes both).
    """
    build_and_load(state.settings, force, offline)


@app.command()
@fail_on_errors
def export(
    fmt: Annotated[
        Literal["turtle", "jsonld"], typer.Option("--format", help="turtle or jsonld")
    ] = "turtle",
    out: Annotated[Path | None, typer.Option("--out", help="Write here, not to stdout.")] = None,
) -> None:
    """Export the graph held in Neo4j back to RDF (isomorphic to what was loaded)."""
    from core.files import write_atomically
    from graph import server
    from graph.connection import open_driver
    from graph.store import export_graph
    from ontology.serialise import to_jsonld, to_turtle
    from policykg.cli.display import error_console

    settings = state.settings
    connection = server.connection_for(settings)
    with (
        open_driver(connection) as driver,
        error_console().status("Reading the graph from Neo4j…"),
    ):
        graph = export_graph(driver, connection.database)
    text = to_turtle(graph) if fmt == "turtle" else to_jsonld(graph, settings.iri_base)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomically(out, text)
        error_console().print(f"Wrote {len(graph)} triples to {out}")


HostOption = Annotated[str | None, typer.Option("--host", help="Address to listen on.")]
PortOption = Annotated[int | None, typer.Option("--port", help="Port to listen on.")]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", min=1, help="Worker processes (default 1).")
]


def _serve(settings: Settings, host: str | None, port: int | None, workers: int | None) -> None:
    import uvicorn

    from api.main import create_app
    from policykg.cli.display import error_console

    host = host or settings.api_host
    port = port or settings.api_port
    workers = workers or settings.api_workers
    error_console().print(
        f"API docs: http://{host}:{port}/docs   explorer: http://{host}:{port}/   (Ctrl+C to stop)"
    )
    if workers > 1:
        # each worker process builds its own app (and driver) from the environment
        uvicorn.run(
            "api.main:create_app_from_environment",
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
    _serve(state.settings, host, port, workers)


@app.command()
@fail_on_errors
def up(
    host: HostOption = None,
    port: PortOption = None,
    workers: WorkersOption = None,
    force: ForceOption = False,
) -> None:
    """The main job: corpus → graph files → Neo4j (fetched and started if needed) → API.

    Builds and validates the graph, loads it into Neo4j, prints the counts and where the
    Neo4j Browser, the API docs and the explorer are, then serves the API until Ctrl+C.
    What is already there is not redone: an up-to-date build folder is reused, and a
    database that holds the build is not reloaded (--force redoes both). The managed Neo4j
    keeps running afterwards; `policykg neo4j stop` stops it.
    """
    # The API's modules load in a thread meanwhile: the main job mostly waits for Neo4j.
    threading.Thread(target=_import_api, name="import-api", daemon=True).start()
    build_and_load(state.settings, force)
    _serve(state.settings, host, port, workers)


def _import_api() -> None:
    import uvicorn  # noqa: F401

    import api.main  # noqa: F401
