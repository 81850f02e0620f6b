"""The layers import one way only: a module never imports from a layer above its own.

From the bottom: ``core`` (errors, settings, files, version), ``loaders``, ``align``,
``ontology``, ``graph``, ``api``, and ``policykg`` (the pipeline and the command line) on
top. Every ``import`` in every module counts, including imports inside functions. The
benchmarks, tests and notebooks stand outside the layers and may import any of them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYERS = ("core", "loaders", "align", "ontology", "graph", "api", "policykg")


@dataclass(frozen=True)
class UpwardImport:
    module: Path
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}"


def _imported_names(tree: ast.AST) -> list[tuple[int, str]]:
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
    return names


def upward_imports(root: Path, layers: tuple[str, ...] = LAYERS) -> list[UpwardImport]:
    """Every import in ``root``'s layer packages of a layer above the importing one."""
    rank = {layer: n for n, layer in enumerate(layers)}
    found: list[UpwardImport] = []
    for layer in layers:
        for path in sorted((root / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, name in _imported_names(tree):
                top = name.split(".", 1)[0]
                if top in rank and rank[top] > rank[layer]:
                    found.append(UpwardImport(path.relative_to(root), line, name))
    return found


def test_no_layer_imports_a_layer_above_it() -> None:
    upward = upward_imports(REPO)
    assert upward == [], "imports against the layering:\n" + "\n".join(map(str, upward))


def test_every_layer_package_exists() -> None:
    assert [layer for layer in LAYERS if not (REPO / layer / "__init__.py").is_file()] == []


@pytest.mark.parametrize(
    ("module", "source", "line", "imported"),
    [
        ("loaders/corpus.py", "from api.schemas import Items\n", 2, "api.schemas"),
        ("core/errors.py", "def f() -> None:\n    import graph.store\n", 3, "graph.store"),
        ("graph/store.py", "import policykg.pipeline as p\n", 2, "policykg.pipeline"),
    ],
)
def test_a_reversed_import_is_caught(
    tmp_path: Path, module: str, source: str, line: int, imported: str
) -> None:
    for layer in LAYERS:
        (tmp_path / layer).mkdir()
        (tmp_path / layer / "__init__.py").write_text("")
    (tmp_path / module).write_text("from core.errors import PolicyKGError\n" + source)
    assert upward_imports(tmp_path) == [UpwardImport(Path(module), line, imported)]


def test_imports_downwards_and_within_a_layer_pass(tmp_path: Path) -> None:
    for layer in LAYERS:
        (tmp_path / layer).mkdir()
    (tmp_path / "api" / "routes.py").write_text(
        "import api.schemas\nfrom graph.store import load_graph\nfrom core import errors\n"
    )
    assert upward_imports(tmp_path) == []
