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

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="policykg",
    help="A knowledge graph of Guangdong's digital-development policies: "
    "corpus → records → RDF → Neo4j → REST API.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)


class State:
    """What every command receives: the settings, read once, when a command first asks.

    Not before: ``policykg load --help`` runs the root callback too, and needs neither the
    settings nor pydantic-settings, which reading them imports.
    """

    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from core.settings import load_settings

            self._settings = load_settings()
        return self._settings

    def reset(self) -> None:
        self._settings = None


state = State()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages."),
) -> None:
    from policykg.cli.display import configure_logging

    configure_logging(verbose)
    state.reset()  # each invocation reads the environment afresh (one process, many runs)


def fail_on_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's errors into a one-line message and exit status 1, not a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from core.errors import PolicyKGError

        # the mark `bench/cli_bench.py` waits for: the command's own work begins here
        log.debug("%s: starting", command.__name__)
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
