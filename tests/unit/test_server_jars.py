"""Finding Java and Maven and fetching the jars, with stand-ins: no Java, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Neo4jServerError
from graph.server import config, jars
from tests.unit.server_settings import settings_in


def test_the_pom_pins_the_server_and_browser_versions() -> None:
    pom = jars.POM_PATH.read_text(encoding="utf-8")
    assert f"<neo4j.version>{config.NEO4J_VERSION}</neo4j.version>" in pom
    assert f"<neo4j-browser.version>{config.BROWSER_VERSION}</neo4j-browser.version>" in pom


def test_jar_folder_is_versioned_under_the_cache(tmp_path: Path) -> None:
    lib = jars.jar_dir(settings_in(tmp_path))
    assert lib == (tmp_path / "cache").resolve() / "neo4j-5.26.30" / "lib"
    assert not jars.jars_present(lib)


def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_missing_java_names_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jars, "DEFAULT_JAVA_HOME", tmp_path / "no-jdk")
    with pytest.raises(Neo4jServerError, match="openjdk-17"):
        jars.find_java({"PATH": str(tmp_path)})


def test_an_old_java_home_is_skipped_for_a_new_enough_java(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jars, "DEFAULT_JAVA_HOME", tmp_path / "no-jdk")
    _script(tmp_path / "jdk8" / "bin" / "java", "echo 'java version \"1.8.0_392\"' >&2\n")
    java21 = _script(tmp_path / "bin" / "java", "echo 'openjdk version \"21.0.2\"' >&2\n")
    found = jars.find_java({"JAVA_HOME": str(tmp_path / "jdk8"), "PATH": str(tmp_path / "bin")})
    assert (found.executable, found.version) == (java21, 21)


def test_missing_maven_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.server.jars.shutil.which", lambda _name: None)
    with pytest.raises(Neo4jServerError, match="apt-get install maven"):
        jars.find_maven()


def _fake_maven(tmp_path: Path, *, succeed: bool) -> Path:
    # Counts its runs; "resolves" by writing the required jars into -DoutputDirectory.
    lines = [
        f"echo run >> {tmp_path / 'mvn-runs'}",
        'for arg in "$@"; do case "$arg" in',
        '  -DoutputDirectory=*) out="${arg#-DoutputDirectory=}";;',
        "esac; done",
    ]
    if succeed:
        lines.append(f'for jar in {" ".join(jars.REQUIRED_JARS)}; do echo j > "$out/$jar"; done')
    else:
        lines += [
            f'echo partial > "$out/{jars.REQUIRED_JARS[0]}"',
            'echo "[ERROR] network down"',
            "exit 1",
        ]
    return _script(tmp_path / "fake-mvn", "\n".join(lines) + "\n")


def _use_stand_ins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mvn: Path) -> None:
    java = jars.JavaRuntime(executable=tmp_path / "jdk" / "bin" / "java", version=17)
    monkeypatch.setattr(jars, "find_java", lambda: java)
    monkeypatch.setattr(jars, "find_maven", lambda: mvn)


def test_fetch_puts_jars_in_place_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use_stand_ins(tmp_path, monkeypatch, _fake_maven(tmp_path, succeed=True))
    settings = settings_in(tmp_path)
    lib = jars.fetch_jars(settings)
    assert lib == jars.jar_dir(settings)
    assert jars.jars_present(lib)
    assert jars.fetch_jars(settings) == lib
    assert (tmp_path / "mvn-runs").read_text().count("run") == 1
    assert not list(lib.parent.glob(".lib-partial-*"))


def test_a_failed_fetch_leaves_nothing_that_looks_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_stand_ins(tmp_path, monkeypatch, _fake_maven(tmp_path, succeed=False))
    settings = settings_in(tmp_path)
    with pytest.raises(Neo4jServerError, match="network down"):
        jars.fetch_jars(settings)
    lib = jars.jar_dir(settings)
    assert not lib.exists()
    assert not list(lib.parent.glob(".lib-partial-*"))


def test_an_interrupted_fetch_is_cleaned_up_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_stand_ins(tmp_path, monkeypatch, _fake_maven(tmp_path, succeed=True))
    settings = settings_in(tmp_path)
    leftover = jars.jar_dir(settings).parent / ".lib-partial-killed"
    leftover.mkdir(parents=True)
    (leftover / jars.REQUIRED_JARS[0]).write_text("half")
    assert jars.jars_present(jars.fetch_jars(settings))
    assert not leftover.exists()
