"""``policykg neo4j …``: fetch, start, stop and inspect the managed Neo4j server."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graph import server
from policykg.cli import app, state
from policykg.errors import PolicyKGError

neo4j_app = typer.Typer(
    help="Run the project's own Neo4j Community server (listening on 127.0.0.1 only), or "
    "check the external one named by NEO4J_URI.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(neo4j_app, name="neo4j")

console = Console()


def _fail(error: PolicyKGError) -> typer.Exit:
    console.print(f"[bold red]Error:[/] {escape(str(error))}", highlight=False)
    return typer.Exit(code=1)


@neo4j_app.command(
    help="Download the Neo4j server and Browser jars with Maven into the cache (once).\n\n"
    "Needs Java 17+ and Maven; about 170 MB from Maven Central the first time, into "
    "POLICYKG_CACHE_DIR (.cache/). A second run does nothing. "
    "`start` also fetches them when they are missing.",
    short_help="Download the Neo4j jars with Maven (once).",
)
def fetch() -> None:
    """``policykg neo4j fetch``."""
    try:
        lib_dir = server.fetch_jars(state.settings)
    except PolicyKGError as e:
        raise _fail(e) from e
    console.print(f"Neo4j {server.NEO4J_VERSION} jars: {lib_dir}", highlight=False)


@neo4j_app.command(
    help="Start the managed Neo4j server in the background and wait until it answers.\n\n"
    "The server lives in POLICYKG_STATE_DIR/neo4j (configuration, data, logs, and the "
    "generated password of user 'neo4j' in its 'password' file), listens on 127.0.0.1 only, "
    "at POLICYKG_NEO4J_BOLT_PORT (7687) and POLICYKG_NEO4J_HTTP_PORT (7474), and keeps "
    "running after this command returns. Fetches the jars first if needed. Does nothing "
    "when NEO4J_URI names an external server, or when the server already runs.",
    short_help="Start the managed Neo4j server and wait until it answers.",
)
def start(
    timeout: float = typer.Option(
        server.DEFAULT_START_TIMEOUT_S, help="Seconds to wait for the server to answer."
    ),
) -> None:
    """``policykg neo4j start``."""
    try:
        status = server.start_server(state.settings, timeout_s=timeout)
    except PolicyKGError as e:
        raise _fail(e) from e
    _print_status(status)
    if not status.answering:  # only possible for an external server
        raise typer.Exit(code=1)


@neo4j_app.command(
    help="Stop the managed Neo4j server: a clean shutdown (SIGTERM), killed only if it "
    "does not finish within --timeout seconds.\n\n"
    "Does nothing when NEO4J_URI names an external server or when no server runs.",
    short_help="Stop the managed Neo4j server.",
)
def stop(
    timeout: float = typer.Option(
        server.DEFAULT_STOP_TIMEOUT_S,
        help="Seconds to wait for a clean shutdown before killing the server.",
    ),
) -> None:
    """``policykg neo4j stop``."""
    try:
        stopped = server.stop_server(state.settings, timeout_s=timeout)
    except PolicyKGError as e:
        raise _fail(e) from e
    if stopped:
        console.print("Neo4j stopped.")
    elif state.settings.manages_neo4j:
        console.print("Neo4j was not running.")
    else:
        console.print("An external Neo4j server is configured (NEO4J_URI); nothing to stop.")


@neo4j_app.command(
    help="Show whether Neo4j runs and answers: pid, memory, bolt URI, Browser URL, version "
    "and home folder.\n\n"
    "With NEO4J_URI set it checks the connection to that external server instead. "
    "Exits with code 1 when the server does not answer.",
    short_help="Show whether Neo4j runs and answers.",
)
def status() -> None:
    """``policykg neo4j status``."""
    try:
        result = server.server_status(state.settings)
    except PolicyKGError as e:
        raise _fail(e) from e
    _print_status(result)
    if not result.answering:
        raise typer.Exit(code=1)


def _print_status(status: server.ServerStatus) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    colour = "green" if status.answering else ("yellow" if status.running else "red")
    table.add_row("state", f"[{colour}]{escape(status.message)}[/]")
    table.add_row("server", "managed by policykg" if status.managed else "external (NEO4J_URI)")
    table.add_row("bolt", status.uri)
    table.add_row("database", status.database)
    if status.version:
        table.add_row("version", f"Neo4j {status.version} {status.edition or ''}".rstrip())
    if status.pid is not None:
        table.add_row("pid", str(status.pid))
    if status.rss_bytes is not None:
        table.add_row("memory (RSS)", f"{status.rss_bytes / 2**30:.2f} GiB")
    if status.browser_url and status.running:
        table.add_row("browser", status.browser_url)
    if status.home is not None:
        table.add_row("home", str(status.home))
        table.add_row("password", str(status.home / server.PASSWORD_FILE_NAME))
    console.print(table)
