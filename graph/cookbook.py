"""The Cypher cookbook: one file per question, each saying what it answers and its parameters.

File format: comment lines first (``// …``); the first says what the query answers, a line
``// params: {…}`` gives example parameters as JSON; then the query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import GraphStoreError

COOKBOOK_DIR = Path(__file__).resolve().parent / "cookbook"


@dataclass(frozen=True)
class Recipe:
    name: str
    question: str
    parameters: dict[str, Any]
    query: str


def read_recipe(path: Path) -> Recipe:
    """Read one cookbook file.

    Raises:
        GraphStoreError: the file has no question comment, or its params line is not JSON.
    """
    comments: list[str] = []
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not body and line.startswith("//"):
            comments.append(line[2:].strip())
        elif line.strip() or body:
            body.append(line)
    params: dict[str, Any] = {}
    question = []
    for c in comments:
        if c.startswith("params:"):
            try:
                params = json.loads(c.removeprefix("params:"))
            except json.JSONDecodeError as e:
                raise GraphStoreError(f"{path}: the params line is not JSON: {e}") from e
        else:
            question.append(c)
    if not question:
        raise GraphStoreError(
            f"{path}: a cookbook query starts with a comment saying what it answers"
        )
    return Recipe(path.stem, " ".join(question), params, "\n".join(body).strip())


def recipes(folder: Path = COOKBOOK_DIR) -> list[Recipe]:
    """Every recipe of the cookbook, by file name."""
    return [read_recipe(p) for p in sorted(folder.glob("*.cypher"))]


def recipe(name: str, folder: Path = COOKBOOK_DIR) -> Recipe:
    path = folder / f"{name}.cypher"
    if not path.is_file():
        raise GraphStoreError(f"no cookbook query named {name!r} in {folder}")
    return read_recipe(path)
