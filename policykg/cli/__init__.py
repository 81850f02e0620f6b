"""The ``policykg`` command line: one entry composing every layer.

Each command group lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler

from policykg.errors import PolicyKGError
from policykg.settings import Settings, load_settings

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="policykg",
    help="A knowledge graph of Guangdong's digital-development policies: "
    "corpus → records → RDF → Neo4j → REST API.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


class State:
    """What every command receives: the settings, read once at start-up."""

    settings: Settings


state = State()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages."),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        datefmt="[%X]",
        # logs go to stderr, so that commands printing JSON or TSV keep stdout clean
        handlers=[RichHandler(console=Console(stderr=True), show_path=False)],
    )
    # jieba logs its dictionary loading at INFO on every start
    logging.getLogger("jieba").setLevel(logging.WARNING)
    state.settings = load_settings()


def fail_on_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's errors into a one-line message and exit status 1, not a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PolicyKGError as e:
            Console(stderr=True).print(f"[bold red]error:[/] {e}", highlight=False)
            raise typer.Exit(1) from e

    return run


def _register() -> None:
    # Imported for their side effect of adding commands to ``app``.
    from policykg.cli import align, build, corpus, graph, neo4j  # noqa: F401


def main() -> None:
    """Console-script entry point."""
    _register()
    app()
