"""``NEO4J_URI``: a server the project did not start for itself — a second one this module
starts, reached with a user and password of its own, by ``bolt://`` and by the ``neo4j://``
routing scheme that Aura and clusters use — loaded, served and queried end to end; then
that server stopped while queries it cannot interrupt run on it."""

from __future__ import annotations

import os
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import neo4j
import pytest

from api.cypher.service import METADATA_KEY
from api.main import create_app
from core.settings import Settings
from graph import server
from graph.connection import Neo4jConnection, open_driver
from graph.server import process
from policykg.pipeline import Build, start_and_load
from tests.integration.conftest import assert_problem
from tests.plugins.neo4j import free_port, serve

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
USER = "researcher"


class OtherServer:
    """The second server: how this module started it, and the login it made on it."""

    def __init__(self, managed: Settings, password: str):
        self.managed = managed
        self.password = password

    @property
    def bolt_port(self) -> int:
        return self.managed.neo4j_bolt_port

    def external(self, scheme: str, state_dir: Path) -> Settings:
        """Settings of a project that reaches this server only through ``NEO4J_*``."""
        return Settings(
            state_dir=state_dir,
            neo4j_uri=f"{scheme}://127.0.0.1:{self.bolt_port}",
            neo4j_user=USER,
            neo4j_password=self.password,
            neo4j_database="neo4j",
            cypher_timeout_s=3.0,
            api_cache=False,
        )


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OtherServer]:
    managed = Settings.isolated(tmp_path_factory.mktemp("other"), free_port(), free_port())
    try:
        server.start_server(managed)
        password = secrets.token_urlsafe(16)
        with open_driver(server.connection_for(managed)) as admin:
            admin.execute_query(
                "CREATE USER researcher SET PASSWORD $password CHANGE NOT REQUIRED",
                password=password,
                database_="system",
            )
        yield OtherServer(managed, password)
    finally:
        server.stop_server(managed)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_an_external_server_is_loaded_served_and_queried(
    other: OtherServer, built: Build, tmp_path: Path, scheme: str
) -> None:
    settings = other.external(scheme, tmp_path)
    status = server.server_status(settings)
    assert (status.managed, status.answering) == (False, True)

    loaded = start_and_load(settings, built)
    assert loaded.connection.uri.startswith(f"{scheme}://")
    assert loaded.connection.user == USER
    assert loaded.nodes > 800
    assert not settings.neo4j_home.exists()  # nothing of a server of its own was made

    with serve(create_app(settings)) as url, httpx.Client(base_url=url, timeout=30) as http:
        health = http.get("/health").json()
        assert (health["status"], health["graph_version"]) == ("ok", loaded.version)
        assert http.get("/tasks/gd2025-t01").json()["id"] == "gd2025-t01"
        one = http.post("/cypher", json={"query": "RETURN 1 AS one"}).json()
        assert one["rows"] == [[1]]
        started = time.monotonic()
        slow = http.post("/cypher", json={"query": "MATCH p = ()-[*]-() RETURN count(p)"})
        assert assert_problem(slow, 422)["reason"] == "timeout"
        assert time.monotonic() - started < 3.0 + 2
    with open_driver(loaded.connection) as driver:
        time.sleep(2.5)  # the watcher, logged in as the researcher, ended it
        records, _, _ = driver.execute_query(
            f"SHOW TRANSACTIONS YIELD metaData WHERE metaData.{METADATA_KEY} IS NOT NULL "
            "RETURN count(*) AS n",
            database_="neo4j",
        )
        assert records[0]["n"] == 0

    assert server.stop_server(settings) is False  # never stops a server it did not start
    assert server.server_status(settings).answering


def test_a_load_against_an_unreachable_server_says_so_in_one_line(tmp_path: Path) -> None:
    """11: no raw driver log line, no driver wording, no traceback in `policykg load`."""
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
           "POLICYKG_STATE_DIR": str(tmp_path), "COLUMNS": "200"}  # fmt: skip
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "policykg"), "load"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    output = done.stdout + done.stderr
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: Neo4j is unreachable (connection refused); could not reach Neo4j at "
        f"{env['NEO4J_URI']}"
    ], output
    for leak in ("Traceback", "ResolvedIPv4Address", "[#", "<CONNECTION>", "defunct"):
        assert leak not in output, output


def _run_forever(connection: Neo4jConnection, query: str) -> None:
    """Send a query Neo4j cannot interrupt and wait, connection open, until the server goes."""
    try:
        with open_driver(connection, verify=False) as driver, driver.session() as session:
            session.run(query).consume()
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError):
        pass  # the server went away under it, as it should


def test_a_stop_is_not_held_by_queries_neo4j_cannot_interrupt(other: OtherServer) -> None:
    connection = server.connection_for(other.managed)
    runaway = "RETURN size(reduce(s = '', x IN range(1, 10000000) | s + 'xxxxxxxxxx')) AS n"
    threads = [
        threading.Thread(target=_run_forever, args=(connection, runaway), daemon=True)
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    with open_driver(connection) as driver:
        deadline = time.monotonic() + 20
        while True:
            records, _, _ = driver.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery STARTS WITH 'RETURN size' "
                "RETURN count(*) AS n",
                database_="neo4j",
            )
            if records[0]["n"] == 2:
                break
            assert time.monotonic() < deadline, "the runaway queries did not start"
            time.sleep(0.2)
    pid = server.server_status(other.managed).pid
    assert pid is not None

    started = time.monotonic()
    assert server.stop_server(other.managed) is True
    assert time.monotonic() - started < 30  # it was 60 s and a SIGKILL
    assert not process.alive(pid)
    assert not process.port_in_use(other.bolt_port)
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive()
