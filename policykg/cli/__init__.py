"""The ``policykg`` command line: one entry point over the pipeline and the layers.

Each command group lives in its own module and registers itself on :data:`app`. The
commands import what they use inside their own bodies, so that ``policykg --help`` and the
start of any command do not wait for the whole stack (rdflib, scikit-learn, jieba …) to load.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

if TYPE_CHECKING:
    from core.settings import Settings

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
    from core.settings import load_settings
    from policykg.cli.display import configure_logging

    configure_logging(verbose)
    state.settings = load_settings()


def fail_on_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's errors into a one-line message and exit status 1, not a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from core.errors import PolicyKGError

        try:
            return command(*args, **kwargs)
        except PolicyKGError as e:
            from policykg.cli.display import error_console

            error_console().print(f"[bold red]error:[/] {e}", highlight=False, markup=True)
            raise typer.Exit(1) from e

    return run


def _register() -> None:
    # Imported for their side effect of adding commands to ``app``.
    from policykg.cli import align, build, corpus, graph, neo4j  # noqa: F401


def main() -> None:
    """Console-script entry point."""
    _register()
    logging.captureWarnings(True)
    app()
