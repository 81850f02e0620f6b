"""The managed Neo4j server, run for real: it answers, is locked down, reports and stops."""

from __future__ import annotations

import os
import stat
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from neo4j import exceptions as neo4j_exc

from core.errors import Neo4jServerError
from core.settings import Settings
from graph import server
from graph.server import config, process
from tests.plugins.neo4j import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def driver(neo4j_server: server.ManagedServer) -> Iterator[neo4j.Driver]:
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as created:
        yield created


def _setting(driver: neo4j.Driver, database: str, name: str) -> str:
    records, _, _ = driver.execute_query(
        "SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value",
        name=name,
        database_=database,
    )
    return str(records[0]["value"])


def test_server_answers_cypher(neo4j_server: server.ManagedServer, driver: neo4j.Driver) -> None:
    records, _, _ = driver.execute_query(
        "UNWIND range(1, 3) AS i RETURN sum(i) AS total", database_=neo4j_server.database
    )
    assert records[0]["total"] == 6


def test_server_is_the_pinned_community_version(
    neo4j_server: server.ManagedServer, driver: neo4j.Driver
) -> None:
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
        database_=neo4j_server.database,
    )
    assert (records[0]["v"], records[0]["edition"]) == (server.NEO4J_VERSION, "community")


def test_status_reports_the_running_server(neo4j_server: server.ManagedServer) -> None:
    status = server.server_status(neo4j_server.settings)
    assert (status.managed, status.running, status.answering) == (True, True, True)
    assert status.pid == neo4j_server.pid
    bolt, http = neo4j_server.settings.neo4j_bolt_port, neo4j_server.settings.neo4j_http_port
    assert status.uri == f"bolt://127.0.0.1:{bolt}"
    assert status.browser_url == f"http://127.0.0.1:{http}/browser/"
    assert status.version == server.NEO4J_VERSION
    assert status.home == neo4j_server.settings.neo4j_home.resolve()
    assert status.rss_bytes is not None
    assert status.rss_bytes > 500 * 2**20  # the 1 GiB heap is pre-touched


def test_browser_is_served(neo4j_server: server.ManagedServer) -> None:
    status = server.server_status(neo4j_server.settings)
    assert status.browser_url is not None
    with urllib.request.urlopen(status.browser_url, timeout=10) as response:
        assert response.status == 200
        assert "<title>Neo4j Browser</title>" in response.read().decode("utf-8")


def test_wrong_password_is_rejected(neo4j_server: server.ManagedServer) -> None:
    with (
        neo4j.GraphDatabase.driver(
            neo4j_server.uri, auth=(neo4j_server.user, "not-the-password")
        ) as wrong,
        pytest.raises(neo4j_exc.AuthError),
    ):
        wrong.verify_connectivity()


def test_default_credentials_do_not_work(neo4j_server: server.ManagedServer) -> None:
    assert neo4j_server.password != "neo4j"
    with (
        neo4j.GraphDatabase.driver(neo4j_server.uri, auth=("neo4j", "neo4j")) as default,
        pytest.raises(neo4j_exc.AuthError),
    ):
        default.verify_connectivity()


def test_generated_password_file_is_private(neo4j_server: server.ManagedServer) -> None:
    password_file = neo4j_server.settings.neo4j_home / server.PASSWORD_FILE_NAME
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password_file.read_text(encoding="utf-8").strip() == neo4j_server.password


def test_server_runs_with_the_hardened_settings(
    neo4j_server: server.ManagedServer, driver: neo4j.Driver
) -> None:
    home = neo4j_server.settings.neo4j_home.resolve()
    expected = {
        "server.bolt.listen_address": f"127.0.0.1:{neo4j_server.settings.neo4j_bolt_port}",
        "server.http.listen_address": f"127.0.0.1:{neo4j_server.settings.neo4j_http_port}",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "dbms.security.procedures.allowlist": "",
        "dbms.security.allow_csv_import_from_file_urls": "false",
        "dbms.usage_report.enabled": "false",
        "server.directories.import": str(home / "import"),
        "db.transaction.timeout": "2m",
        "server.memory.heap.max_size": "1.00GiB",
        "dbms.memory.transaction.total.max": "512.00MiB",
    }
    actual = {name: _setting(driver, neo4j_server.database, name) for name in expected}
    assert actual == expected


def test_builtin_procedures_the_api_needs_pass_the_allowlist(
    neo4j_server: server.ManagedServer, driver: neo4j.Driver
) -> None:
    db = neo4j_server.database
    driver.execute_query(
        "CREATE FULLTEXT INDEX serverTestText IF NOT EXISTS FOR (n:ServerTest) ON EACH [n.text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
        database_=db,
    )
    driver.execute_query("CALL db.awaitIndexes(60)", database_=db)
    driver.execute_query("CREATE (:ServerTest {text: '推进数字政府建设'})", database_=db)
    try:
        records, _, _ = driver.execute_query(
            "CALL db.index.fulltext.queryNodes('serverTestText', '数字') "
            "YIELD node RETURN node.text AS text",
            database_=db,
        )
        assert [r["text"] for r in records] == ["推进数字政府建设"]
        labels, _, _ = driver.execute_query(
            "CALL db.labels() YIELD label RETURN label", database_=db
        )
        assert "ServerTest" in {r["label"] for r in labels}
    finally:
        driver.execute_query("MATCH (n:ServerTest) DELETE n", database_=db)
        driver.execute_query("DROP INDEX serverTestText IF EXISTS", database_=db)


def test_load_csv_from_files_is_refused(
    neo4j_server: server.ManagedServer, driver: neo4j.Driver
) -> None:
    with pytest.raises(neo4j_exc.ClientError):
        driver.execute_query(
            "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN count(row)",
            database_=neo4j_server.database,
        )


def test_ensure_running_reuses_the_running_server(neo4j_server: server.ManagedServer) -> None:
    connection = server.ensure_running(neo4j_server.settings)
    assert connection == neo4j_server.connection
    assert server.server_status(neo4j_server.settings).pid == neo4j_server.pid


def test_a_second_home_cannot_take_the_same_ports(
    neo4j_server: server.ManagedServer, tmp_path: Path
) -> None:
    bolt = neo4j_server.settings.neo4j_bolt_port
    other = Settings.isolated(tmp_path, bolt, free_port())
    with pytest.raises(Neo4jServerError, match=rf"Port {bolt} \(bolt\) .* already in use"):
        server.start_server(other)
    assert not process.find_server_pid(config.ServerLayout(home=other.neo4j_home.resolve()))


def test_external_server_is_only_checked_never_started_or_stopped(
    neo4j_server: server.ManagedServer, tmp_path: Path
) -> None:
    external = Settings(
        state_dir=tmp_path,
        neo4j_uri=neo4j_server.uri,
        neo4j_user=neo4j_server.user,
        neo4j_password=neo4j_server.password,
        neo4j_database=neo4j_server.database,
    )
    assert server.start_server(external).answering
    assert server.stop_server(external) is False
    assert server.ensure_running(external).uri == neo4j_server.uri
    status = server.server_status(external)
    assert (status.managed, status.answering, status.version) == (
        False,
        True,
        server.NEO4J_VERSION,
    )
    assert not (tmp_path / "neo4j").exists()
    assert server.server_status(neo4j_server.settings).pid == neo4j_server.pid


def test_unreachable_external_server_is_reported_not_running(tmp_path: Path) -> None:
    external = Settings(
        state_dir=tmp_path,
        neo4j_uri="bolt://127.0.0.1:1",
        neo4j_user="neo4j",
        neo4j_password="whatever-it-is",
        neo4j_database="neo4j",
    )
    status = server.server_status(external, timeout_s=2.0)
    assert (status.running, status.answering) == (False, False)
    assert "does not answer" in status.message


def test_server_stops_cleanly_and_restarts_with_its_password(
    tmp_path: Path,
) -> None:
    """A second server in its own home: start, stop (process gone, ports free), start again."""
    bolt, http = free_port(), free_port()
    settings = Settings.isolated(tmp_path, bolt, http)
    layout = config.ServerLayout(home=settings.neo4j_home.resolve())
    try:
        first = server.start_server(settings)
        assert first.answering
        assert first.pid is not None
        password = server.connection_for(settings).password

        assert server.stop_server(settings) is True
        assert not _process_exists(first.pid)
        assert not layout.pid_file.exists()
        assert not process.port_in_use(bolt)
        assert not process.port_in_use(http)
        assert server.server_status(settings).running is False
        assert server.stop_server(settings) is False  # nothing left to stop

        second = server.start_server(settings)  # the auth database exists now
        assert second.answering
        assert second.pid != first.pid
        assert server.connection_for(settings).password == password
    finally:
        server.stop_server(settings)
    assert not process.port_in_use(bolt)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    )
