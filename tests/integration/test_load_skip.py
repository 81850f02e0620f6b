"""A database that already holds a build is not loaded again; ``--force`` loads it anyway.

The build folder here holds the session's build (counted builds return it, as in
``tests/unit/test_build_cache.py``); the loads go into the suite's Neo4j.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from core.settings import Settings
from graph import server
from graph import store as graph_store
from graph.store import counts, read_meta
from policykg import pipeline
from policykg.cli import _register, app, state
from policykg.pipeline import Build, Built

pytestmark = pytest.mark.integration


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, built: Build) -> list[Settings]:
    started: list[Settings] = []

    def build(settings: Settings, **_: Any) -> Build:
        started.append(settings)
        return built

    monkeypatch.setattr(pipeline, "build", build)
    return started


@pytest.fixture
def folder(tmp_path: Path, builds: list[Settings]) -> Built:
    return pipeline.ensure_built(Settings(state_dir=tmp_path / "state"))


def _another(folder: Built) -> Built:
    """The same files under another build key: what the database holds after another build."""
    record = dataclasses.replace(folder.record, key="0" * 64)
    return dataclasses.replace(folder, record=record, reused=False)


@pytest.fixture
def load_transactions(
    monkeypatch: pytest.MonkeyPatch, neo4j_driver: neo4j.Driver, folder: Built
) -> list[str]:
    """The build keys of the load transactions started (``graph.store.load_rows`` calls),
    from a database that holds another build than ``folder``."""
    pipeline.load_built(neo4j_driver, "neo4j", _another(folder))
    started: list[str] = []
    real = graph_store.load_rows

    def load_rows(*args: Any, **kwargs: Any) -> graph_store.LoadResult:
        started.append(kwargs["build_digest"])
        return real(*args, **kwargs)

    monkeypatch.setattr(graph_store, "load_rows", load_rows)
    return started


def test_a_database_holding_the_build_is_not_loaded_again(
    neo4j_driver: neo4j.Driver, folder: Built, load_transactions: list[str]
) -> None:
    first = pipeline.load_built(neo4j_driver, "neo4j", folder)
    assert first is not None and load_transactions == [folder.record.key]
    meta = read_meta(neo4j_driver, "neo4j")
    assert meta is not None and meta.build_digest == folder.record.key
    held = counts(neo4j_driver, "neo4j")

    assert pipeline.load_built(neo4j_driver, "neo4j", folder) is None
    assert load_transactions == [folder.record.key]  # no load transaction ran
    assert read_meta(neo4j_driver, "neo4j") == meta  # same version, same time
    assert counts(neo4j_driver, "neo4j") == held == (folder.record.nodes, first.relationships)


def test_force_loads_it_again(
    neo4j_driver: neo4j.Driver, folder: Built, load_transactions: list[str]
) -> None:
    pipeline.load_built(neo4j_driver, "neo4j", folder)
    before = read_meta(neo4j_driver, "neo4j")
    again = pipeline.load_built(neo4j_driver, "neo4j", folder, force=True)
    assert again is not None and len(load_transactions) == 2
    after = read_meta(neo4j_driver, "neo4j")
    assert before is not None and after is not None
    assert after.version == again.version != before.version
    assert after.build_digest == before.build_digest == folder.record.key


def test_another_build_is_loaded(
    neo4j_driver: neo4j.Driver, folder: Built, load_transactions: list[str]
) -> None:
    pipeline.load_built(neo4j_driver, "neo4j", folder)
    other = _another(folder)
    assert pipeline.load_built(neo4j_driver, "neo4j", other) is not None
    assert load_transactions == [folder.record.key, other.record.key]
    meta = read_meta(neo4j_driver, "neo4j")
    assert meta is not None and meta.build_digest == other.record.key


def _policykg(args: list[str], neo4j_server: server.ManagedServer, state_dir: Path) -> str:
    connection = neo4j_server.connection
    env = {
        "NEO4J_URI": connection.uri,
        "NEO4J_USER": connection.user,
        "NEO4J_PASSWORD": connection.password or "",
        "NEO4J_DATABASE": connection.database,
        "POLICYKG_STATE_DIR": str(state_dir),
        "COLUMNS": "200",
    }
    _register()
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_policykg_load_skips_what_is_there_and_force_redoes_it(
    neo4j_server: server.ManagedServer,
    neo4j_driver: neo4j.Driver,
    tmp_path: Path,
    builds: list[Settings],
    load_transactions: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds.clear()  # the build folder of `folder` is another one: the command builds its own
    monkeypatch.setattr(state, "_settings", None)  # read from this test's environment
    output = _policykg(["load"], neo4j_server, tmp_path)
    assert "Wrote the graph files" in output and "Loaded" in output
    assert (len(builds), len(load_transactions)) == (1, 1)
    version = read_meta(neo4j_driver, "neo4j")

    monkeypatch.setattr(state, "_settings", None)
    output = _policykg(["load"], neo4j_server, tmp_path)
    assert "up to date; nothing rebuilt" in output
    assert "already holds this graph" in output and "nothing reloaded" in output
    assert (len(builds), len(load_transactions)) == (1, 1)
    assert read_meta(neo4j_driver, "neo4j") == version

    monkeypatch.setattr(state, "_settings", None)
    output = _policykg(["load", "--force"], neo4j_server, tmp_path)
    assert "Wrote the graph files" in output and "Loaded" in output
    assert (len(builds), len(load_transactions)) == (2, 2)
    after = read_meta(neo4j_driver, "neo4j")
    assert version is not None and after is not None and after.version != version.version
