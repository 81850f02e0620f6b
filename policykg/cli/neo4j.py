"""``policykg neo4j …``: fetch, start, stop and inspect the managed Neo4j server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from policykg.cli import app, fail_on_errors, state

if TYPE_CHECKING:
    from graph.server import ServerStatus

# The library's defaults (graph.server.DEFAULT_START_TIMEOUT_S / _STOP_), written out so that
# `--help` need not import the server package; a test keeps them equal.
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 60.0

neo4j_app = typer.Typer(
    help="Run the project's own Neo4j Community server (listening on 127.0.0.1 only), or "
    "check the external one named by NEO4J_URI.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command(
    help="Download the Neo4j server and Browser jars with Maven into the cache (once).\n\n"
    "Needs Java 17+ and Maven; about 170 MB from Maven Central the first time, into "
    "POLICYKG_CACHE_DIR (.cache/). A second run does nothing. "
    "`start` also fetches them when they are missing.",
    short_help="Download the Neo4j jars with Maven (once).",
)
@fail_on_errors
def fetch() -> None:
    """``policykg neo4j fetch``."""
    from graph import server
    from policykg.cli.display import output_console

    lib_dir = server.fetch_jars(state.settings)
    output_console().print(f"Neo4j {server.NEO4J_VERSION} jars: {lib_dir}", highlight=False)


@neo4j_app.command(
    help="Start the managed Neo4j server in the background and wait until it answers.\n\n"
    "The server lives in POLICYKG_STATE_DIR/neo4j (configuration, data, logs, and the "
    "generated password of user 'neo4j' in its 'password' file), listens on 127.0.0.1 only, "
    "at POLICYKG_NEO4J_BOLT_PORT (7687) and POLICYKG_NEO4J_HTTP_PORT (7474), and keeps "
    "running after this command returns. Its heap and page cache are POLICYKG_NEO4J_HEAP "
    "and POLICYKG_NEO4J_PAGECACHE, by default sized to the graph in the build folder. "
    "Fetches the jars first if needed. Does nothing when NEO4J_URI names an external "
    "server, or when the server already runs.",
    short_help="Start the managed Neo4j server and wait until it answers.",
)
@fail_on_errors
def start(
    timeout: float = typer.Option(
        START_TIMEOUT_S, help="Seconds to wait for the server to answer."
    ),
) -> None:
    """``policykg neo4j start``."""
    from graph import server
    from policykg.build_record import ROWS_FILE
    from policykg.pipeline import sized_to_graph

    settings = state.settings
    sized = sized_to_graph(settings, settings.build_dir / ROWS_FILE)
    status = server.start_server(sized, timeout_s=timeout)
    _print_status(status)
    if not status.answering:  # only possible for an external server
        raise typer.Exit(code=1)


@neo4j_app.command(
    help="Stop the managed Neo4j server: a clean shutdown (SIGTERM), killed only if it "
    "does not finish within --timeout seconds.\n\n"
    "Does nothing when NEO4J_URI names an external server or when no server runs.",
    short_help="Stop the managed Neo4j server.",
)
@fail_on_errors
def stop(
    timeout: float = typer.Option(
        STOP_TIMEOUT_S, help="Seconds to wait for a clean shutdown before killing the server."
    ),
) -> None:
    """``policykg neo4j stop``."""
    from graph import server
    from policykg.cli.display import output_console

    stopped = server.stop_server(state.settings, timeout_s=timeout)
    if stopped:
        message = "Neo4j stopped."
    elif state.settings.manages_neo4j:
        message = "Neo4j was not running."
    else:
        message = "An external Neo4j server is configured (NEO4J_URI); nothing to stop."
    output_console().print(message)


@neo4j_app.command(
    help="Show whether Neo4j runs and answers: pid, memory, bolt URI, Browser URL, version "
    "and home folder.\n\n"
    "With NEO4J_URI set it checks the connection to that external server instead. "
    "Exits with code 1 when the server does not answer.",
    short_help="Show whether Neo4j runs and answers.",
)
@fail_on_errors
def status() -> None:
    """``policykg neo4j status``."""
    from graph import server

    result = server.server_status(state.settings)
    _print_status(result)
    if not result.answering:
        raise typer.Exit(code=1)


def _print_status(status: ServerStatus) -> None:
    from rich.markup import escape
    from rich.table import Table

    from graph import server
    from policykg.cli.display import output_console

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
    output_console().print(table)
