"""The managed server's command lines and what its processes say back, without Java."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graph.server import commands, config, memory
from tests.unit.server_settings import settings_in

MACHINE = 24 * 1024**3  # the project's 2-core, 24 GB machine


def test_jvm_arguments_follow_the_launcher_with_equal_initial_and_max_heap() -> None:
    args = commands.jvm_arguments(memory.plan_memory("2g", "1g", MACHINE))
    assert args[: len(config.JVM_ADDITIONAL)] == list(config.JVM_ADDITIONAL)
    assert args[-3:] == ["-Dfile.encoding=UTF-8", "-Xms2097152k", "-Xmx2097152k"]


def test_classpath_puts_plugins_before_lib_only_when_present() -> None:
    lib, plugins = Path("/c/lib"), Path("/h/plugins")
    assert commands.classpath(lib) == "/c/lib/*"
    assert commands.classpath(lib, plugins) == "/h/plugins/*:/c/lib/*"


def test_server_command_runs_the_community_entry_point_in_console_mode(tmp_path: Path) -> None:
    server_config = config.server_config(settings_in(tmp_path), MACHINE)
    home = server_config.layout.home
    command = commands.server_command(Path("/jdk/bin/java"), Path("/c/lib"), server_config)
    assert command[:3] == ["/jdk/bin/java", "-cp", "/c/lib/*"]
    assert command[-4:] == [
        "org.neo4j.server.CommunityEntryPoint",
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
        "--console-mode",
    ]
    assert commands.is_server_cmdline(command, home)
    assert not commands.is_server_cmdline(command, home.parent / "other")


def test_initial_password_is_passed_in_a_file_not_on_the_command_line() -> None:
    command = commands.set_initial_password_command(
        Path("/jdk/bin/java"), Path("/c/lib"), Path("/h/run/args")
    )
    assert command[3:] == [
        "org.neo4j.server.startup.Neo4jAdminCommand",
        "dbms",
        "set-initial-password",
        "@/h/run/args",
    ]


def test_maven_copies_runtime_jars_with_a_local_repository_in_the_cache() -> None:
    command = commands.maven_command(
        Path("/usr/bin/mvn"), Path("/r/pom.xml"), Path("/c/m2"), Path("/c/tmp")
    )
    assert command[:3] == ["/usr/bin/mvn", "-B", "-q"]
    assert "-Dmaven.repo.local=/c/m2" in command
    assert "dependency:copy-dependencies" in command
    assert "-DoutputDirectory=/c/tmp" in command


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
        ("no java here", None),
    ],
)
def test_parse_java_version(output: str, major: int | None) -> None:
    assert commands.parse_java_version(output) == major


@pytest.mark.parametrize(
    ("code", "words"),
    [(1, "failed to start"), (2, "database"), (3, "invalid configuration"), (4, "licence")],
)
def test_exit_codes_are_explained(code: int, words: str) -> None:
    assert words in commands.exit_code_meaning(code)


def test_a_signal_death_is_named() -> None:
    assert commands.exit_code_meaning(-9) == "killed by SIGKILL"


def test_failure_summary_picks_the_error_lines() -> None:
    log_text = "\n".join(
        [
            "2026-01-01 INFO  Starting...",
            "2026-01-01 ERROR Failed to start Neo4j on 127.0.0.1:7474.",
            "\tat org.neo4j.server.NeoBootstrapper.start(NeoBootstrapper.java:185)",
            "Caused by: PortBindException: Address already in use",
            "2026-01-01 INFO  Stopped.",
        ]
    )
    summary = commands.summarize_failure(log_text)
    assert summary.splitlines() == [
        "2026-01-01 ERROR Failed to start Neo4j on 127.0.0.1:7474.",
        "Caused by: PortBindException: Address already in use",
    ]


def test_failure_summary_falls_back_to_the_last_lines() -> None:
    text = "\n".join(f"line {i}" for i in range(30))
    assert commands.summarize_failure(text, max_lines=3).splitlines() == [
        "line 27",
        "line 28",
        "line 29",
    ]


def test_generated_passwords_are_long_alphanumeric_and_distinct() -> None:
    passwords = [commands.generate_password() for _ in range(20)]
    assert all(len(p) == 32 and p.isalnum() for p in passwords)
    assert max(Counter(passwords).values()) == 1
    assert "neo4j" not in passwords
