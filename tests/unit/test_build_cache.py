"""The build folder is reused while its inputs and code are unchanged, and only then.

``ensure_built`` keys a build by the digest of its inputs and code (``build.json``); these
tests count the builds it starts (the build itself is the session's, so each test costs
milliseconds) and check what is reused, what is rebuilt, and the rows a load reads.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from core.settings import REPO_ROOT, Settings
from graph.mapping import mapping_and_rows
from graph.rows_file import read_rows, rows_json
from policykg import pipeline
from policykg.build_record import CODE, RECORD_FILE, ROWS_FILE, build_key, read_record
from policykg.pipeline import Build


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, built: Build) -> list[Settings]:
    """Every build ``ensure_built`` starts, by its settings (each returns the session's)."""
    started: list[Settings] = []

    def build(settings: Settings, **_: Any) -> Build:
        started.append(settings)
        return built

    monkeypatch.setattr(pipeline, "build", build)
    return started


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(state_dir=tmp_path / "state")


def _stamps(built: pipeline.Built) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in built.files}


def test_an_up_to_date_build_is_reused_as_it_is(settings: Settings, builds: list[Any]) -> None:
    first = pipeline.ensure_built(settings)
    assert (first.reused, len(builds)) == (False, 1)
    assert {p.name for p in first.files} >= {"policykg.ttl", ROWS_FILE, RECORD_FILE}
    stamps = _stamps(first)

    again = pipeline.ensure_built(settings)
    assert (again.reused, len(builds)) == (True, 1)  # nothing parsed, aligned or validated
    assert again.record == first.record
    assert _stamps(again) == stamps  # and nothing rewritten


def test_force_rebuilds(settings: Settings, builds: list[Any]) -> None:
    pipeline.ensure_built(settings)
    forced = pipeline.ensure_built(settings, force=True)
    assert (forced.reused, len(builds)) == (False, 2)


def test_a_changed_input_rebuilds(tmp_path: Path, builds: list[Any]) -> None:
    data = tmp_path / "data"
    shutil.copytree(Settings().data_dir, data)
    settings = Settings(state_dir=tmp_path / "state", data_dir=data)
    first = pipeline.ensure_built(settings)
    agencies = data / "vocab" / "agencies.toml"
    agencies.write_text(agencies.read_text(encoding="utf-8") + "\n# a new line\n", "utf-8")
    changed = pipeline.ensure_built(settings)
    assert (changed.reused, len(builds)) == (False, 2)
    assert changed.record.key != first.record.key
    assert pipeline.ensure_built(settings).reused  # and the new build is reused in turn


def test_a_build_file_changed_on_disk_rebuilds(settings: Settings, builds: list[Any]) -> None:
    first = pipeline.ensure_built(settings)
    turtle = first.folder / "policykg.ttl"
    turtle.write_text(turtle.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not pipeline.ensure_built(settings).reused
    assert len(builds) == 2


def test_a_build_cut_short_is_not_reused(settings: Settings, builds: list[Any]) -> None:
    pipeline.ensure_built(settings)
    (settings.build_dir / RECORD_FILE).unlink()  # as after a build that died mid-write
    assert read_record(settings.build_dir) is None
    assert not pipeline.ensure_built(settings).reused


def _code_copy(root: Path) -> Path:
    for part in CODE:
        source, target = REPO_ROOT / part, root / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return root


def test_the_key_follows_the_code(tmp_path: Path) -> None:
    settings = Settings()
    code = _code_copy(tmp_path / "code")
    before = build_key(settings, code)
    assert build_key(settings, code) == before
    config = code / "align" / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build_key(settings, code) != before


def test_the_key_follows_input_times_unless_source_date_epoch_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(Settings().data_dir, data)
    settings = Settings(data_dir=data)
    manifest = data / "corpus" / "manifest.toml"
    # the newest input's time becomes the load's recorded time, so it changes the build
    before = build_key(settings)
    os.utime(manifest, (1_700_000_000, 1_700_000_000))
    assert build_key(settings) != before

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    pinned = build_key(settings)
    os.utime(manifest, (1_800_000_000, 1_800_000_000))
    assert build_key(settings) == pinned
    assert build_key(Settings(data_dir=data, iri_base="https://example.org/kg/")) != pinned


def test_the_rows_file_gives_back_the_rows_of_the_graph(graph: Graph, tmp_path: Path) -> None:
    mapping, rows = mapping_and_rows(graph)
    path = tmp_path / ROWS_FILE
    path.write_text(rows_json(mapping, rows, len(graph)), encoding="utf-8")
    back = read_rows(path)
    assert (back.mapping, back.rows, back.triples) == (mapping, rows, len(graph))
    pairs = [
        (value, back.rows.nodes[labels][i]["props"][key])
        for labels, group in rows.nodes.items()
        for i, row in enumerate(group)
        for key, value in row["props"].items()
    ]
    # dates stay dates, integers integers (a numpy float becomes the float it is to Neo4j)
    assert all(type(a) is type(b) or (isinstance(a, float) and type(b) is float) for a, b in pairs)
    assert {type(a).__name__ for a, _ in pairs} >= {"str", "int", "date", "datetime"}
    # the same graph gives the same bytes, whatever the order its triples come in
    again = Graph()
    for triple in sorted(graph, key=lambda t: tuple(map(str, t)), reverse=True):
        again.add(triple)
    assert rows_json(*mapping_and_rows(again), len(again)) == path.read_text(encoding="utf-8")
