"""The managed Neo4j server's pure parts: configuration text, memory, command lines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graph import server
from policykg.errors import Neo4jServerError, Neo4jUnavailable
from policykg.settings import Settings

GIB = 1024**3
MACHINE = 24 * GIB  # the project's 2-core, 24 GB machine


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "state_dir": tmp_path / "state",
        "cache_dir": tmp_path / "cache",
        "neo4j_uri": None,
        "neo4j_bolt_port": 7687,
        "neo4j_http_port": 7474,
        "neo4j_heap": "2g",
        "neo4j_pagecache": "1g",
        "neo4j_tx_timeout": "120s",
        "neo4j_database": "neo4j",
    }
    values.update(overrides)
    return Settings.model_validate(values)


def _conf(tmp_path: Path, **overrides: object) -> dict[str, list[str]]:
    text = server.render_neo4j_conf(server.server_config(_settings(tmp_path, **overrides), MACHINE))
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            entries.setdefault(name, []).append(value)
    return entries


def _single(entries: dict[str, list[str]], name: str) -> str:
    assert len(entries[name]) == 1, name
    return entries[name][0]


# --- sizes and memory ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2g", 2 * GIB),
        ("2G", 2 * GIB),
        ("512m", 512 * 1024**2),
        ("1536M", 1536 * 1024**2),
        ("1024k", 1024 * 1024),
        ("2GiB", 2 * GIB),
        ("1048576", 1048576),
    ],
)
def test_parse_size_reads_neo4j_and_jvm_notation(text: str, expected: int) -> None:
    assert server.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "two gigs", "2x", "-1g", "1.5g"])
def test_parse_size_rejects_nonsense_naming_the_setting(text: str) -> None:
    with pytest.raises(Neo4jServerError, match="POLICYKG_NEO4J_HEAP"):
        server.parse_size(text, name="POLICYKG_NEO4J_HEAP")


@pytest.mark.parametrize(
    ("n_bytes", "expected"),
    [(2 * GIB, "2g"), (1536 * 1024**2, "1536m"), (1000 * 1024, "1000k")],
)
def test_format_size_is_exact_and_short(n_bytes: int, expected: str) -> None:
    assert server.format_size(n_bytes) == expected
    assert server.parse_size(server.format_size(n_bytes)) == n_bytes


def test_default_memory_plan_fits_the_machine_and_a_large_load() -> None:
    plan = server.plan_memory("2g", "1g", MACHINE)
    assert plan.heap == 2 * GIB
    assert plan.pagecache == 1 * GIB
    # a 500k-entity load transaction measured ~0.59 GB of transaction state
    assert plan.transaction_total_max == 1 * GIB
    assert plan.transaction_total_max > 0.59e9
    assert plan.transaction_total_max < plan.heap


def test_transaction_budget_scales_with_the_heap() -> None:
    assert server.transaction_budget(4 * GIB) == 2 * GIB
    assert server.transaction_budget(512 * 1024**2) == 256 * 1024**2


def test_memory_larger_than_the_machine_is_refused_before_neo4j_would_exit() -> None:
    with pytest.raises(Neo4jServerError, match="exceed this machine"):
        server.plan_memory("16g", "8g", MACHINE)


def test_a_tiny_heap_is_refused() -> None:
    with pytest.raises(Neo4jServerError, match="at least 512m"):
        server.plan_memory("256m", "1g", MACHINE)


# --- neo4j.conf --------------------------------------------------------------------------------


def test_conf_listens_on_loopback_only_at_the_configured_ports(tmp_path: Path) -> None:
    conf = _conf(tmp_path, neo4j_bolt_port=17687, neo4j_http_port=17474)
    assert _single(conf, "server.default_listen_address") == "127.0.0.1"
    assert _single(conf, "server.bolt.listen_address") == "127.0.0.1:17687"
    assert _single(conf, "server.bolt.advertised_address") == "127.0.0.1:17687"
    assert _single(conf, "server.http.listen_address") == "127.0.0.1:17474"
    assert _single(conf, "server.http.advertised_address") == "127.0.0.1:17474"
    assert _single(conf, "server.https.enabled") == "false"


def test_conf_locks_the_server_down(tmp_path: Path) -> None:
    conf = _conf(tmp_path)
    home = (tmp_path / "state" / "neo4j").resolve()
    assert _single(conf, "dbms.security.auth_enabled") == "true"
    assert _single(conf, "dbms.security.procedures.allowlist") == ""
    assert _single(conf, "dbms.security.allow_csv_import_from_file_urls") == "false"
    assert _single(conf, "server.directories.import") == str(home / "import")
    assert _single(conf, "server.directories.plugins") == str(home / "plugins")
    assert _single(conf, "dbms.usage_report.enabled") == "false"


def test_conf_puts_every_folder_and_log_config_under_the_home(tmp_path: Path) -> None:
    conf = _conf(tmp_path)
    home = (tmp_path / "state" / "neo4j").resolve()
    for name in ("data", "logs", "run"):
        assert _single(conf, f"server.directories.{name}") == str(home / name)
    assert _single(conf, "server.logs.config") == str(home / "conf" / "server-logs.xml")
    assert _single(conf, "server.logs.user.config") == str(home / "conf" / "user-logs.xml")


def test_conf_takes_memory_and_timeout_from_the_settings(tmp_path: Path) -> None:
    conf = _conf(tmp_path, neo4j_heap="4g", neo4j_pagecache="3g", neo4j_tx_timeout="45s")
    assert _single(conf, "server.memory.heap.initial_size") == "4g"
    assert _single(conf, "server.memory.heap.max_size") == "4g"
    assert _single(conf, "server.memory.pagecache.size") == "3g"
    assert _single(conf, "dbms.memory.transaction.total.max") == "2g"
    assert _single(conf, "db.transaction.timeout") == "45s"
    assert _single(conf, "db.tx_log.rotation.retention_policy") == "2 files"


def test_conf_has_no_duplicate_setting_that_strict_validation_would_refuse(
    tmp_path: Path,
) -> None:
    conf = _conf(tmp_path)
    repeated = {name for name, values in conf.items() if len(values) > 1}
    assert repeated == {"server.jvm.additional"}
    assert conf["server.jvm.additional"] == list(server.JVM_ADDITIONAL)


def test_conf_passes_the_launchers_add_opens(tmp_path: Path) -> None:
    flags = _conf(tmp_path)["server.jvm.additional"]
    for package in ("java.nio", "java.io", "sun.nio.ch"):
        assert f"--add-opens=java.base/{package}=ALL-UNNAMED" in flags


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"neo4j_bolt_port": 7474}, "different ports"),
        ({"neo4j_http_port": 70000}, "POLICYKG_NEO4J_HTTP_PORT"),
        ({"neo4j_tx_timeout": "2 minutes\ndbms.security.auth_enabled=false"}, "duration"),
        ({"neo4j_database": "x"}, "database name"),
    ],
)
def test_invalid_settings_never_reach_the_conf(
    tmp_path: Path, override: dict[str, object], message: str
) -> None:
    with pytest.raises(Neo4jServerError, match=message):
        server.server_config(_settings(tmp_path, **override), MACHINE)


def test_log_configs_write_into_the_configured_logs_folder() -> None:
    server_logs = server.render_server_logs_xml()
    user_logs = server.render_user_logs_xml()
    for name in ("debug.log", "http.log", "query.log", "security.log"):
        assert f'fileName="${{config:server.directories.logs}}/{name}"' in server_logs
    assert 'fileName="${config:server.directories.logs}/neo4j.log"' in user_logs
    # the loggers Neo4j looks up by name must exist
    for logger in ("QueryLogger", "HttpLogger", "SecurityLogger"):
        assert f'name="{logger}"' in server_logs


# --- command lines -----------------------------------------------------------------------------


def test_jvm_arguments_follow_the_launcher_with_equal_initial_and_max_heap() -> None:
    args = server.jvm_arguments(server.plan_memory("2g", "1g", MACHINE))
    assert args[: len(server.JVM_ADDITIONAL)] == list(server.JVM_ADDITIONAL)
    assert args[-3:] == ["-Dfile.encoding=UTF-8", "-Xms2097152k", "-Xmx2097152k"]


def test_classpath_puts_plugins_before_lib_only_when_present() -> None:
    lib, plugins = Path("/c/lib"), Path("/h/plugins")
    assert server.classpath(lib) == "/c/lib/*"
    assert server.classpath(lib, plugins) == "/h/plugins/*:/c/lib/*"


def test_server_command_runs_the_community_entry_point_in_console_mode(tmp_path: Path) -> None:
    config = server.server_config(_settings(tmp_path), MACHINE)
    home = config.layout.home
    command = server.server_command(Path("/jdk/bin/java"), Path("/c/lib"), config)
    assert command[:3] == ["/jdk/bin/java", "-cp", "/c/lib/*"]
    assert command[-4:] == [
        "org.neo4j.server.CommunityEntryPoint",
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
        "--console-mode",
    ]
    assert server.is_server_cmdline(command, home)
    assert not server.is_server_cmdline(command, home.parent / "other")


def test_initial_password_is_passed_in_a_file_not_on_the_command_line() -> None:
    command = server.set_initial_password_command(
        Path("/jdk/bin/java"), Path("/c/lib"), Path("/h/run/args")
    )
    assert command[3:] == [
        "org.neo4j.server.startup.Neo4jAdminCommand",
        "dbms",
        "set-initial-password",
        "@/h/run/args",
    ]


def test_maven_copies_runtime_jars_with_a_local_repository_in_the_cache() -> None:
    command = server.maven_command(
        Path("/usr/bin/mvn"), Path("/r/pom.xml"), Path("/c/m2"), Path("/c/tmp")
    )
    assert command[:3] == ["/usr/bin/mvn", "-B", "-q"]
    assert "-Dmaven.repo.local=/c/m2" in command
    assert "dependency:copy-dependencies" in command
    assert "-DoutputDirectory=/c/tmp" in command


def test_the_pom_pins_the_server_and_browser_versions() -> None:
    pom = server.POM_PATH.read_text(encoding="utf-8")
    assert f"<neo4j.version>{server.NEO4J_VERSION}</neo4j.version>" in pom
    assert f"<neo4j-browser.version>{server.BROWSER_VERSION}</neo4j-browser.version>" in pom


def test_jar_folder_is_versioned_under_the_cache(tmp_path: Path) -> None:
    lib = server.jar_dir(_settings(tmp_path))
    assert lib == (tmp_path / "cache").resolve() / "neo4j-5.26.30" / "lib"
    assert not server.jars_present(lib)


# --- diagnostics -------------------------------------------------------------------------------


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
    assert server.parse_java_version(output) == major


@pytest.mark.parametrize(
    ("code", "words"),
    [(1, "failed to start"), (2, "database"), (3, "invalid configuration"), (4, "licence")],
)
def test_exit_codes_are_explained(code: int, words: str) -> None:
    assert words in server.exit_code_meaning(code)


def test_a_signal_death_is_named() -> None:
    assert server.exit_code_meaning(-9) == "killed by SIGKILL"


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
    summary = server.summarize_failure(log_text)
    assert summary.splitlines() == [
        "2026-01-01 ERROR Failed to start Neo4j on 127.0.0.1:7474.",
        "Caused by: PortBindException: Address already in use",
    ]


def test_failure_summary_falls_back_to_the_last_lines() -> None:
    text = "\n".join(f"line {i}" for i in range(30))
    assert server.summarize_failure(text, max_lines=3).splitlines() == [
        "line 27",
        "line 28",
        "line 29",
    ]


def test_generated_passwords_are_long_alphanumeric_and_distinct() -> None:
    passwords = [server.generate_password() for _ in range(20)]
    assert all(len(p) == 32 and p.isalnum() for p in passwords)
    assert max(Counter(passwords).values()) == 1
    assert "neo4j" not in passwords


# --- connections -------------------------------------------------------------------------------


def test_external_connection_comes_from_the_neo4j_settings(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        neo4j_uri="neo4j+s://example.databases.neo4j.io",
        neo4j_user="reader",
        neo4j_password="s3cret-value",
        neo4j_database="policies",
    )
    connection = server.connection_for(settings)
    assert connection.uri == "neo4j+s://example.databases.neo4j.io"
    assert connection.auth == ("reader", "s3cret-value")
    assert connection.database == "policies"
    assert "s3cret-value" not in repr(connection)


def test_managed_connection_reads_the_generated_password(tmp_path: Path) -> None:
    settings = _settings(tmp_path, neo4j_bolt_port=17687, neo4j_user="ignored")
    home = settings.neo4j_home
    home.mkdir(parents=True)
    (home / "password").write_text("Abc123generated\n", encoding="utf-8")
    connection = server.connection_for(settings)
    assert connection.uri == "bolt://127.0.0.1:17687"
    assert connection.auth == ("neo4j", "Abc123generated")


def test_managed_connection_without_a_password_says_to_start_the_server(
    tmp_path: Path,
) -> None:
    with pytest.raises(Neo4jUnavailable, match="policykg neo4j start"):
        server.connection_for(_settings(tmp_path))


# --- finding Java and Maven, fetching (with stand-ins: no Java, no network) --------------------


def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_missing_java_names_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "DEFAULT_JAVA_HOME", tmp_path / "no-jdk")
    with pytest.raises(Neo4jServerError, match="openjdk-17"):
        server.find_java({"PATH": str(tmp_path)})


def test_an_old_java_home_is_skipped_for_a_new_enough_java(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "DEFAULT_JAVA_HOME", tmp_path / "no-jdk")
    _script(tmp_path / "jdk8" / "bin" / "java", "echo 'java version \"1.8.0_392\"' >&2\n")
    java21 = _script(tmp_path / "bin" / "java", "echo 'openjdk version \"21.0.2\"' >&2\n")
    found = server.find_java({"JAVA_HOME": str(tmp_path / "jdk8"), "PATH": str(tmp_path / "bin")})
    assert (found.executable, found.version) == (java21, 21)


def test_missing_maven_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.server.shutil.which", lambda _name: None)
    with pytest.raises(Neo4jServerError, match="apt-get install maven"):
        server.find_maven()


def _fake_maven(tmp_path: Path, *, succeed: bool) -> Path:
    # Counts its runs; "resolves" by writing the required jars into -DoutputDirectory.
    lines = [
        f"echo run >> {tmp_path / 'mvn-runs'}",
        'for arg in "$@"; do case "$arg" in',
        '  -DoutputDirectory=*) out="${arg#-DoutputDirectory=}";;',
        "esac; done",
    ]
    if succeed:
        lines.append(f'for jar in {" ".join(server.REQUIRED_JARS)}; do echo j > "$out/$jar"; done')
    else:
        lines += [
            f'echo partial > "$out/{server.REQUIRED_JARS[0]}"',
            'echo "[ERROR] network down"',
            "exit 1",
        ]
    return _script(tmp_path / "fake-mvn", "\n".join(lines) + "\n")


def _use_stand_ins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mvn: Path) -> None:
    java = server.JavaRuntime(executable=tmp_path / "jdk" / "bin" / "java", version=17)
    monkeypatch.setattr(server, "find_java", lambda: java)
    monkeypatch.setattr(server, "find_maven", lambda: mvn)


def test_fetch_puts_jars_in_place_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use_stand_ins(tmp_path, monkeypatch, _fake_maven(tmp_path, succeed=True))
    settings = _settings(tmp_path)
    lib = server.fetch_jars(settings)
    assert lib == server.jar_dir(settings)
    assert server.jars_present(lib)
    assert server.fetch_jars(settings) == lib
    assert (tmp_path / "mvn-runs").read_text().count("run") == 1
    assert not list(lib.parent.glob(".lib-partial-*"))


def test_a_failed_fetch_leaves_nothing_that_looks_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_stand_ins(tmp_path, monkeypatch, _fake_maven(tmp_path, succeed=False))
    settings = _settings(tmp_path)
    with pytest.raises(Neo4jServerError, match="network down"):
        server.fetch_jars(settings)
    lib = server.jar_dir(settings)
    assert not lib.exists()
    assert not list(lib.parent.glob(".lib-partial-*"))


def test_an_interrupted_fetch_is_cleaned_up_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_stand_ins(tmp_path, monkeypatch, _fake_maven(tmp_path, succeed=True))
    settings = _settings(tmp_path)
    leftover = server.jar_dir(settings).parent / ".lib-partial-killed"
    leftover.mkdir(parents=True)
    (leftover / server.REQUIRED_JARS[0]).write_text("half")
    assert server.jars_present(server.fetch_jars(settings))
    assert not leftover.exists()
