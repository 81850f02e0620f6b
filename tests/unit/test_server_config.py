"""The managed server's configuration, without Java: memory sizes, neo4j.conf, log configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Neo4jServerError
from graph.server import config, memory
from tests.unit.server_settings import settings_in

GIB = 1024**3
MACHINE = 24 * GIB  # the project's 2-core, 24 GB machine


def _conf(tmp_path: Path, **overrides: object) -> dict[str, list[str]]:
    text = config.render_neo4j_conf(
        config.server_config(settings_in(tmp_path, **overrides), MACHINE)
    )
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            entries.setdefault(name, []).append(value)
    return entries


def _single(entries: dict[str, list[str]], name: str) -> str:
    assert len(entries[name]) == 1, name
    return entries[name][0]


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
    assert memory.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "two gigs", "2x", "-1g", "1.5g"])
def test_parse_size_rejects_nonsense_naming_the_setting(text: str) -> None:
    with pytest.raises(Neo4jServerError, match="POLICYKG_NEO4J_HEAP"):
        memory.parse_size(text, name="POLICYKG_NEO4J_HEAP")


@pytest.mark.parametrize(
    ("n_bytes", "expected"),
    [(2 * GIB, "2g"), (1536 * 1024**2, "1536m"), (1000 * 1024, "1000k")],
)
def test_format_size_is_exact_and_short(n_bytes: int, expected: str) -> None:
    assert memory.format_size(n_bytes) == expected
    assert memory.parse_size(memory.format_size(n_bytes)) == n_bytes


def test_default_memory_plan_fits_the_machine_and_a_large_load() -> None:
    plan = memory.plan_memory("2g", "1g", MACHINE)
    assert plan.heap == 2 * GIB
    assert plan.pagecache == 1 * GIB
    # a 500k-entity load transaction measured ~0.59 GB of transaction state
    assert plan.transaction_total_max == 1 * GIB
    assert plan.transaction_total_max > 0.59e9
    assert plan.transaction_total_max < plan.heap


def test_transaction_budget_scales_with_the_heap() -> None:
    assert memory.transaction_budget(4 * GIB) == 2 * GIB
    assert memory.transaction_budget(512 * 1024**2) == 256 * 1024**2


def test_memory_larger_than_the_machine_is_refused_before_neo4j_would_exit() -> None:
    with pytest.raises(Neo4jServerError, match="exceed this machine"):
        memory.plan_memory("16g", "8g", MACHINE)


def test_a_tiny_heap_is_refused() -> None:
    with pytest.raises(Neo4jServerError, match="at least 512m"):
        memory.plan_memory("256m", "1g", MACHINE)


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


def test_conf_takes_memory_and_timeout_from_thesettings_in(tmp_path: Path) -> None:
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
    assert conf["server.jvm.additional"] == list(config.JVM_ADDITIONAL)


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
        config.server_config(settings_in(tmp_path, **override), MACHINE)


def test_log_configs_write_into_the_configured_logs_folder() -> None:
    server_logs = config.render_server_logs_xml()
    user_logs = config.render_user_logs_xml()
    for name in ("debug.log", "http.log", "query.log", "security.log"):
        assert f'fileName="${{config:server.directories.logs}}/{name}"' in server_logs
    assert 'fileName="${config:server.directories.logs}/neo4j.log"' in user_logs
    # the loggers Neo4j looks up by name must exist
    for logger in ("QueryLogger", "HttpLogger", "SecurityLogger"):
        assert f'name="{logger}"' in server_logs
