"""How the command line shows things: logging, consoles, and the pipeline's progress."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from typing import TYPE_CHECKING

from rich.console import Console
from rich.logging import RichHandler

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# The driver logs every refused or reset connection at ERROR with its own wording; the
# project reports those failures itself, in one clear line.
QUIET_LOGGERS = {"jieba": logging.WARNING, "neo4j": logging.CRITICAL}


def configure_logging(verbose: bool) -> None:
    """Log to standard error (standard output stays clean for JSON and TSV)."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=error_console(), show_path=False)],
    )
    if not verbose:
        for name, level in QUIET_LOGGERS.items():
            logging.getLogger(name).setLevel(level)


@cache
def output_console() -> Console:
    """Standard output: tables and results."""
    return Console()


@cache
def error_console() -> Console:
    """Standard error: progress, messages and errors."""
    return Console(stderr=True)


class ConsoleSteps:
    """The pipeline's steps as spinners, and its loading as a progress bar."""

    def __init__(self, console: Console | None = None):
        self.console = console or error_console()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def stage(self, message: str) -> AbstractContextManager[None]:
        return self._spinner(message)

    @contextmanager
    def _spinner(self, message: str) -> Iterator[None]:
        with self.console.status(message):
            yield

    def rows(self, done: int, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        if self._progress is None:
            self._progress = Progress(
                TextColumn("Loading into Neo4j"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=self.console,
            )  # fmt: skip
            self._progress.start()
            self._task = self._progress.add_task("load", total=total)
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)
        if done >= total:
            self._progress.stop()
            self._progress = None
