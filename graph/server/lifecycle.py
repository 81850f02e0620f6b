"""The managed server's lifecycle: how to reach it, whether it runs, start, stop.

These are what ``policykg neo4j start|stop|status`` and the pipeline call; each does nothing
but report when ``NEO4J_URI`` names an external server.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from core.errors import Neo4jServerError, Neo4jUnavailable
from core.files import write_atomically
from core.settings import Settings
from graph.connection import Neo4jConnection
from graph.server.commands import server_command
from graph.server.config import (
    DEFAULT_START_TIMEOUT_S,
    DEFAULT_STOP_TIMEOUT_S,
    LOOPBACK,
    MANAGED_USER,
    NEO4J_VERSION,
    ServerConfig,
    ServerLayout,
    server_config,
)
from graph.server.home import ensure_initial_password, read_password, write_home
from graph.server.jars import fetch_jars, find_java
from graph.server.memory import format_size
from graph.server.process import (
    exclusive_lock,
    find_server_pid,
    holds_lock,
    physical_memory,
    port_in_use,
    rss_bytes,
    spawn_detached,
    terminate,
)
from graph.server.readiness import end_transactions, query_server_version, wait_until_ready

log = logging.getLogger(__name__)


class ManagedServer(BaseModel):
    """A running managed server as a caller holds it: its settings, connection and pid.

    The integration suite's ``neo4j_server`` fixture yields one::

        def test_count(neo4j_server: ManagedServer) -> None:
            with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as d:
                d.execute_query("RETURN 1", database_=neo4j_server.database)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    settings: Settings
    connection: Neo4jConnection
    pid: int

    @property
    def uri(self) -> str:
        return self.connection.uri

    @property
    def user(self) -> str:
        return self.connection.user

    @property
    def password(self) -> str:
        return self.connection.password or ""

    @property
    def database(self) -> str:
        return self.connection.database

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)


class ServerStatus(BaseModel):
    """What ``policykg neo4j status`` reports.

    ``running`` means the managed process is alive (managed server) or the server answered
    (external server); ``answering`` means a Cypher query succeeded.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    managed: bool
    running: bool
    answering: bool
    uri: str
    database: str
    pid: int | None = None
    browser_url: str | None = None
    version: str | None = None
    edition: str | None = None
    home: Path | None = None
    rss_bytes: int | None = None
    message: str = ""


def _managed_layout(settings: Settings) -> ServerLayout:
    return ServerLayout(home=settings.neo4j_home.resolve())


def _managed_uri(settings: Settings) -> str:
    return f"bolt://{LOOPBACK}:{settings.neo4j_bolt_port}"


def connection_for(settings: Settings) -> Neo4jConnection:
    """How to reach the server the settings point at (external ``NEO4J_URI``, or managed).

    Raises:
        Neo4jUnavailable: the managed server has never been started (no generated password).
    """
    if settings.neo4j_uri is not None:
        return Neo4jConnection(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    layout = _managed_layout(settings)
    password = read_password(layout)
    if password is None:
        raise Neo4jUnavailable(
            f"The managed Neo4j server has no generated password yet ({layout.password_file} "
            "is missing): start it with `policykg neo4j start`."
        )
    return Neo4jConnection(
        uri=_managed_uri(settings),
        user=MANAGED_USER,
        password=password,
        database=settings.neo4j_database,
    )


def server_status(settings: Settings, *, timeout_s: float = 10.0) -> ServerStatus:
    """Whether the server runs and answers, with its pid, URIs, version and home."""
    if settings.neo4j_uri is not None:
        connection = connection_for(settings)
        try:
            version, edition = query_server_version(connection, timeout_s=timeout_s)
        except Neo4jUnavailable as e:
            up, version, edition, message = False, None, None, str(e)
        else:
            up, message = True, "external server (NEO4J_URI)"
        return ServerStatus(
            managed=False, running=up, answering=up, uri=connection.uri,
            database=connection.database, version=version, edition=edition, message=message,
        )  # fmt: skip
    layout = _managed_layout(settings)
    pid = find_server_pid(layout)

    def managed(**state: object) -> ServerStatus:
        return ServerStatus.model_validate(
            {
                "managed": True,
                "uri": _managed_uri(settings),
                "database": settings.neo4j_database,
                "browser_url": f"http://{LOOPBACK}:{settings.neo4j_http_port}/browser/",
                "home": layout.home,
                "pid": pid,
                "rss_bytes": rss_bytes(pid) if pid is not None else None,
                **state,
            }
        )

    if pid is None:
        return managed(running=False, answering=False, message="not running")
    try:
        version, edition = query_server_version(connection_for(settings), timeout_s=timeout_s)
    except Neo4jUnavailable as e:
        return managed(running=True, answering=False, message=f"running but not answering: {e}")
    return managed(
        running=True, answering=True, version=version, edition=edition, message="running"
    )


def start_server(settings: Settings, *, timeout_s: float = DEFAULT_START_TIMEOUT_S) -> ServerStatus:
    """Start the managed server (fetching its jars if needed) and wait until it answers.

    Does nothing for an external server (``NEO4J_URI``) and only waits when a server from
    this home already runs. Concurrent calls for one home are serialised by a lock file.

    Raises:
        Neo4jServerError: Java or the jars are missing, a port is taken, the configuration is
            invalid, or the server exits or does not answer in time.
    """
    if settings.neo4j_uri is not None:
        log.info(
            "An external Neo4j server is configured (NEO4J_URI=%s); not starting one.",
            settings.neo4j_uri,
        )
        return server_status(settings)
    config = server_config(settings, physical_memory())
    layout = config.layout
    with exclusive_lock(layout.home / ".start.lock"):
        running = find_server_pid(layout)
        if running is not None:
            log.info("Neo4j is already running from %s (pid %d).", layout.home, running)
            wait_until_ready(connection_for(settings), layout, running, timeout_s, 0)
        else:
            _launch(settings, config, timeout_s)
    return server_status(settings)


def _launch(settings: Settings, config: ServerConfig, timeout_s: float) -> None:
    layout = config.layout
    for name, port in (("bolt", config.bolt_port), ("http", config.http_port)):
        if port_in_use(port):
            raise Neo4jServerError(
                f"Port {port} ({name}) on {LOOPBACK} is already in use by another program, so "
                f"the managed Neo4j cannot listen there. Stop that program, or choose another "
                f"port with POLICYKG_NEO4J_{name.upper()}_PORT."
            )
    lib_dir = fetch_jars(settings)
    java = find_java()
    write_home(config)
    ensure_initial_password(config, java, lib_dir)
    layout.pid_file.unlink(missing_ok=True)  # stale: no server from this home is running
    plugins_present = any(layout.plugins_dir.glob("*.jar"))
    command = server_command(java.executable, lib_dir, config, plugins_present=plugins_present)
    log_offset = layout.console_log.stat().st_size if layout.console_log.exists() else 0
    started = time.monotonic()
    pid = spawn_detached(command, layout.console_log)
    write_atomically(layout.pid_file, f"{pid}\n")  # the server rewrites it with the same pid
    log.info(
        "Starting Neo4j %s (pid %d, Java %d, heap %s, page cache %s); waiting up to %.0f s …",
        NEO4J_VERSION,
        pid,
        java.version,
        format_size(config.memory.heap),
        format_size(config.memory.pagecache),
        timeout_s,
    )
    version = wait_until_ready(connection_for(settings), layout, pid, timeout_s, log_offset)
    log.info(
        "Neo4j %s is ready at %s after %.1f s (Browser: %s)",
        version,
        config.bolt_uri,
        time.monotonic() - started,
        config.browser_url,
    )


def stop_server(settings: Settings, *, timeout_s: float = DEFAULT_STOP_TIMEOUT_S) -> bool:
    """Stop the managed server; True if one ran.

    Its running transactions are terminated first (a load in progress rolls back, leaving
    the previous graph), then it gets SIGTERM. It is killed (SIGKILL) after ``timeout_s``,
    or a few seconds after it has closed its stores: past that point Neo4j 5.26 only waits
    for Bolt threads, and one busy with work it cannot interrupt would keep it waiting for
    ever with nothing left to lose.

    Does nothing for an external server (``NEO4J_URI``).
    """
    if settings.neo4j_uri is not None:
        log.info(
            "An external Neo4j server is configured (NEO4J_URI=%s); nothing to stop.",
            settings.neo4j_uri,
        )
        return False
    layout = _managed_layout(settings)
    pid = find_server_pid(layout)
    if pid is None:
        if layout.pid_file.exists():
            log.info("Removing stale pid file %s", layout.pid_file)
            layout.pid_file.unlink(missing_ok=True)
        log.info("Neo4j is not running (home %s).", layout.home)
        return False
    log.info("Stopping Neo4j (pid %d) …", pid)
    started = time.monotonic()
    with contextlib.suppress(Neo4jUnavailable):  # no password: nothing could have run
        ended = end_transactions(connection_for(settings))
        if ended:
            log.info("Terminated %d running transaction(s) first.", ended)
    outcome = terminate(pid, timeout_s, store_closed=lambda: not holds_lock(layout.store_lock))
    if outcome == "after-close":
        log.warning(
            "Neo4j (pid %d) closed its database but a query it cannot interrupt held its "
            "last threads; it was killed, with nothing lost.",
            pid,
        )
    elif outcome == "killed":
        log.warning(
            "Neo4j (pid %d) did not stop within %g s and was killed. The next start will run "
            "recovery on the transaction log.",
            pid,
            timeout_s,
        )
    layout.pid_file.unlink(missing_ok=True)
    log.info("Neo4j stopped after %.1f s.", time.monotonic() - started)
    return True


def ensure_running(
    settings: Settings, *, timeout_s: float = DEFAULT_START_TIMEOUT_S
) -> Neo4jConnection:
    """The connection to use, starting the managed server first if it is not running.

    For an external server (``NEO4J_URI``) this only returns its connection.
    """
    if settings.neo4j_uri is None:
        start_server(settings, timeout_s=timeout_s)
    return connection_for(settings)
