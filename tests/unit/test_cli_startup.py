"""The command line starts at once: its help imports none of the heavy libraries.

Every command imports what it uses inside its own body, so ``policykg --help`` and the help
of every command (which also runs the root callback) never wait for rdflib, scikit-learn,
jieba, the Neo4j driver, FastAPI … to load. Each case runs in a fresh interpreter and
reports the modules it imported; no timing is asserted (``bench/cli_bench.py`` times it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.models import CommandInfo

from policykg.cli import _register, app
from policykg.cli.neo4j import neo4j_app

REPO = Path(__file__).resolve().parents[2]

#: Libraries (and the project's own layers below the command line) that a help text must
#: not load. pydantic is not among them: typer itself imports it to parse a command's options.
HEAVY = (
    "rdflib",
    "pyshacl",
    "owlrl",
    "sklearn",
    "scipy",
    "numpy",
    "jieba",
    "opencc",
    "neo4j",
    "fastapi",
    "starlette",
    "uvicorn",
    "networkx",
    "pandas",
    "pydantic_settings",
    "loaders",
    "align",
    "ontology",
    "graph",
    "api",
)

PROBE = """
import json, sys
runs, report = json.loads(sys.argv[1]), sys.argv[2]
from policykg.cli import main
imported = {}
for args in runs:
    sys.argv = ["policykg", *args]
    try:
        main()
    except SystemExit:
        pass
    imported[" ".join(args)] = sorted({name.split(".", 1)[0] for name in sys.modules})
with open(report, "w") as out:
    json.dump(imported, out)
"""


def _name(command: CommandInfo) -> str:
    callback = command.callback.__name__ if command.callback else ""
    return command.name or callback.replace("_", "-")


def _commands() -> list[list[str]]:
    _register()
    top = [[_name(c)] for c in app.registered_commands]
    nested = [["neo4j", _name(c)] for c in neo4j_app.registered_commands]
    return [[], ["neo4j"], *top, *nested]


def imported_by(runs: list[list[str]], tmp_path: Path) -> dict[str, set[str]]:
    """The top-level packages imported once each of ``policykg <args>`` has run, in turn,
    in one fresh interpreter (so a package first shows up after the run that imported it)."""
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "POLICYKG_"))}
    env["POLICYKG_STATE_DIR"] = str(tmp_path / "state")  # no user state is looked at
    subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(runs), str(out)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=120,
    )
    return {args: set(names) for args, names in json.loads(out.read_text()).items()}


def test_no_help_imports_a_heavy_library(tmp_path: Path) -> None:
    runs = [[*command, "--help"] for command in _commands()]
    imported = imported_by(runs, tmp_path)
    assert len(imported) == len(runs)
    heavy = {args: sorted(names & set(HEAVY)) for args, names in imported.items()}
    assert heavy == {args: [] for args in imported}


def test_every_command_is_covered() -> None:
    names = {" ".join(c) for c in _commands()}
    assert {"load", "up", "build", "serve", "neo4j start", "neo4j status"} <= names
    assert len(names) >= 16


def test_the_probe_sees_what_a_command_imports(tmp_path: Path) -> None:
    # the same probe, on a command that does its work: that one imports the Neo4j driver
    imported = imported_by([["--help"], ["neo4j", "status"]], tmp_path)
    assert "neo4j" not in imported["--help"]
    assert "neo4j" in imported["neo4j status"]
