"""The managed Neo4j server: fetch its jars, lay out its home, start, stop and report it.

The project runs its own Neo4j Community 5.26 LTS server unless ``NEO4J_URI`` names an
external one. No Neo4j distribution is installed: Maven resolves the server's jars (and the
Browser web app) from Maven Central into ``settings.cache_dir``, and this module launches
``org.neo4j.server.CommunityEntryPoint`` with the same JVM flags Neo4j's own ``bin/neo4j``
launcher would pass. The server listens on 127.0.0.1 only, with authentication on and a
generated password that is set with Neo4j's own admin tool before the first start.

Layout of the managed home (``settings.neo4j_home``)::

    conf/neo4j.conf           rendered by :func:`render_neo4j_conf` on every start
    conf/server-logs.xml      log4j configuration of debug/http/query/security logs
    conf/user-logs.xml        log4j configuration of neo4j.log (and the console)
    data/                     databases, transaction logs, data/dbms/auth.ini
    logs/                     neo4j.log, debug.log, … and console.log (stdout/stderr)
    run/neo4j.pid             the server's process id while it runs
    import/                   kept empty: LOAD CSV may only read from here
    plugins/                  kept empty: no APOC, no plugin procedures
    password                  the generated password of user ``neo4j`` (mode 0600)

The module is split into pure functions (configuration text, JVM arguments, command lines,
memory sizes, log summaries; unit-tested without Java) and the I/O around them (running
Maven, writing files, spawning, waiting, stopping).

Public entry points for the rest of the project:

* :func:`connection_for` — how to reach the server the settings point at.
* :func:`ensure_running` — start the managed server if needed and return its connection.
* :func:`fetch_jars`, :func:`start_server`, :func:`stop_server`, :func:`server_status` —
  what ``policykg neo4j fetch|start|stop|status`` run.

Errors are :class:`~policykg.errors.Neo4jServerError` (cannot fetch, configure, start or
stop) and :class:`~policykg.errors.Neo4jUnavailable` (cannot reach a server).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import neo4j
from neo4j import exceptions as neo4j_exc
from pydantic import BaseModel, ConfigDict, Field

from policykg.errors import Neo4jServerError, Neo4jUnavailable
from policykg.settings import Settings

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------

NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_ENTRY_POINT = "org.neo4j.server.startup.Neo4jAdminCommand"
POM_PATH = Path(__file__).resolve().parent / "neo4j" / "pom.xml"
#: The jars whose presence marks a complete fetch (the folder is renamed into place whole).
REQUIRED_JARS = (f"neo4j-{NEO4J_VERSION}.jar", f"neo4j-browser-{BROWSER_VERSION}.jar")

LOOPBACK = "127.0.0.1"
MIN_JAVA_VERSION = 17
DEFAULT_JAVA_HOME = Path("/usr/lib/jvm/java-17-openjdk-amd64")
PASSWORD_FILE_NAME = "password"
MANAGED_USER = "neo4j"

DEFAULT_START_TIMEOUT_S = 120.0
DEFAULT_STOP_TIMEOUT_S = 60.0

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
#: Below this the server spends its time in garbage collection on the benchmark graph.
MIN_HEAP_BYTES = 512 * MIB
#: Left to the operating system and the JVM's own off-heap needs (metaspace, threads, Netty).
OS_RESERVE_BYTES = 1 * GIB

#: JVM flags of the 5.26 distribution's conf/neo4j.conf (``server.jvm.additional``), which the
#: ``bin/neo4j`` launcher passes before ``-Dfile.encoding`` and the heap flags. They are both
#: written into neo4j.conf (so the file documents the process) and put on the command line.
JVM_ADDITIONAL: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
)

#: What the server's exit codes mean (``NeoBootstrapper``), as observed on 5.26.30: an unknown
#: or malformed setting, a missing log configuration or a port that cannot be bound all end
#: with 1, because they fail before the database starts or escape as uncaught exceptions.
EXIT_CODE_MEANINGS: Mapping[int, str] = {
    1: "the server failed to start: an invalid or unknown setting, a missing log "
    "configuration, a port it could not bind, or the web server",
    2: "the database failed to start",
    3: "invalid configuration, e.g. heap plus page cache larger than the physical memory",
    4: "the licence was not accepted",
}

_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_DURATION_RE = re.compile(r"^\d+(?:ms|s|m|h|d)?$")
_DATABASE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]{2,62}$")
_JAVA_VERSION_RE = re.compile(r'version "(\d+)(?:\.(\d+))?[^"]*"')
_UNIT_BYTES = {"": 1, "k": KIB, "m": MIB, "g": GIB, "t": 1024 * GIB}
_FAILURE_MARKERS = ("ERROR", "Exception", "Caused by", "Error:", "error:")

# ---------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------


class Neo4jConnection(BaseModel):
    """How to reach a Neo4j server: the bolt URI, credentials and database.

    For the managed server the password is the generated one from the home folder; for an
    external server (``NEO4J_URI``) these are the ``NEO4J_*`` settings.

    Example::

        conn = ensure_running(settings)
        with neo4j.GraphDatabase.driver(conn.uri, auth=conn.auth) as driver:
            driver.execute_query("RETURN 1", database_=conn.database)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    uri: str
    user: str
    password: str | None = Field(default=None, repr=False)
    database: str

    @property
    def auth(self) -> tuple[str, str] | None:
        """The driver's ``auth=`` argument (``None`` for a server without authentication)."""
        return (self.user, self.password) if self.password is not None else None


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


class MemoryPlan(BaseModel):
    """The server's memory budget in bytes.

    ``transaction_total_max`` caps the memory of all open transactions together
    (``dbms.memory.transaction.total.max``); going over it fails the transaction cleanly
    instead of running the heap out of memory.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    heap: int
    pagecache: int
    transaction_total_max: int


class ServerLayout(BaseModel):
    """The folders and files of a managed server's home."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    home: Path

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def conf_file(self) -> Path:
        return self.conf_dir / "neo4j.conf"

    @property
    def server_logs_config(self) -> Path:
        return self.conf_dir / "server-logs.xml"

    @property
    def user_logs_config(self) -> Path:
        return self.conf_dir / "user-logs.xml"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def import_dir(self) -> Path:
        return self.home / "import"

    @property
    def plugins_dir(self) -> Path:
        return self.home / "plugins"

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.logs_dir / "console.log"

    @property
    def password_file(self) -> Path:
        return self.home / PASSWORD_FILE_NAME

    @property
    def auth_ini(self) -> Path:
        """Where ``set-initial-password`` writes the initial user (read at first start)."""
        return self.data_dir / "dbms" / "auth.ini"

    @property
    def system_database_dir(self) -> Path:
        """Exists once the server has started: the system database holds the users."""
        return self.data_dir / "databases" / "system"

    @property
    def folders(self) -> tuple[Path, ...]:
        return (
            self.conf_dir,
            self.data_dir,
            self.logs_dir,
            self.run_dir,
            self.import_dir,
            self.plugins_dir,
        )


class ServerConfig(BaseModel):
    """Everything that goes into the managed server's neo4j.conf, validated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    layout: ServerLayout
    bolt_port: int
    http_port: int
    transaction_timeout: str
    default_database: str
    memory: MemoryPlan

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{LOOPBACK}:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}/browser/"


class JavaRuntime(BaseModel):
    """A Java executable and its major version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    executable: Path
    version: int

    @property
    def home(self) -> Path:
        """JAVA_HOME for child processes (Maven, the admin tool's forked JVM)."""
        return Path(os.path.realpath(self.executable)).parent.parent


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


# ---------------------------------------------------------------------------------------------
# Pure logic: sizes, memory, configuration text, command lines, log summaries
# ---------------------------------------------------------------------------------------------


def parse_size(text: str, *, name: str = "size") -> int:
    """Bytes in a Neo4j/JVM-style size (``2g``, ``512m``, ``1024k``, ``2GiB``, ``1048576``)."""
    match = _SIZE_RE.match(text)
    if match is None:
        raise Neo4jServerError(
            f"{name}={text!r} is not a memory size; write it like 2g, 1536m or 512m."
        )
    return int(match.group(1)) * _UNIT_BYTES[match.group(2).lower()]


def format_size(n_bytes: int) -> str:
    """The shortest exact Neo4j size for a byte count, in whole KiB at least (``2g``, ``1536m``)."""
    for suffix, unit in (("g", GIB), ("m", MIB)):
        if n_bytes % unit == 0:
            return f"{n_bytes // unit}{suffix}"
    return f"{max(n_bytes // KIB, 1)}k"


def transaction_budget(heap_bytes: int) -> int:
    """``dbms.memory.transaction.total.max`` for a heap: half of it, in whole MiB.

    The loader writes the whole graph in one transaction. Measured on 5.26.30, a transaction
    that MERGEs 170k nodes (three string properties each) and creates 330k relationships —
    more than the ~500k-triple benchmark graph produces — holds ~0.59 GB of transaction state.
    Half of the default 2 GiB heap (1 GiB) fits it with ~70 % headroom and still leaves the
    other half to Cypher planning, caches and concurrent readers, so a runaway transaction
    fails with a memory-limit error instead of an OutOfMemoryError that kills the server.
    (Neo4j's own default, 70 % of the heap, leaves too little for the rest.)
    """
    return (heap_bytes // 2) // MIB * MIB


def plan_memory(heap: str, pagecache: str, physical_memory: int) -> MemoryPlan:
    """Validate heap and page-cache sizes against the machine and derive the transaction cap."""
    heap_bytes = parse_size(heap, name="POLICYKG_NEO4J_HEAP")
    pagecache_bytes = parse_size(pagecache, name="POLICYKG_NEO4J_PAGECACHE")
    heap_bytes = heap_bytes // KIB * KIB  # the JVM flags are written in KiB
    if heap_bytes < MIN_HEAP_BYTES:
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_HEAP={heap} is below the {format_size(MIN_HEAP_BYTES)} the server "
            "needs; give it at least 512m (the default is 2g)."
        )
    if pagecache_bytes < 8 * MIB:
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_PAGECACHE={pagecache} is too small; give it at least 64m "
            "(the default is 1g)."
        )
    budget = physical_memory - OS_RESERVE_BYTES
    if heap_bytes + pagecache_bytes > budget:
        raise Neo4jServerError(
            f"Heap {format_size(heap_bytes)} plus page cache {format_size(pagecache_bytes)} "
            f"exceed this machine's {physical_memory / GIB:.1f} GiB of memory less "
            f"{format_size(OS_RESERVE_BYTES)} for the system; lower POLICYKG_NEO4J_HEAP or "
            "POLICYKG_NEO4J_PAGECACHE."
        )
    return MemoryPlan(
        heap=heap_bytes,
        pagecache=pagecache_bytes,
        transaction_total_max=transaction_budget(heap_bytes),
    )


def _check_port(name: str, port: int) -> int:
    if not 1 <= port <= 65535:
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_{name.upper()}_PORT={port} is not a TCP port (1-65535)."
        )
    return port


def server_config(settings: Settings, physical_memory: int) -> ServerConfig:
    """The managed server's configuration from the settings, validated."""
    bolt = _check_port("bolt", settings.neo4j_bolt_port)
    http = _check_port("http", settings.neo4j_http_port)
    if bolt == http:
        raise Neo4jServerError(
            f"The bolt and HTTP ports are both {bolt}; set POLICYKG_NEO4J_BOLT_PORT and "
            "POLICYKG_NEO4J_HTTP_PORT to different ports."
        )
    if not _DURATION_RE.match(settings.neo4j_tx_timeout):
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_TX_TIMEOUT={settings.neo4j_tx_timeout!r} is not a duration; "
            "write it like 120s, 2m or 500ms."
        )
    if not _DATABASE_NAME_RE.match(settings.neo4j_database):
        raise Neo4jServerError(
            f"NEO4J_DATABASE={settings.neo4j_database!r} is not a valid Neo4j database name "
            "(3-63 letters, digits, dots or dashes, starting with a letter)."
        )
    home = settings.neo4j_home.resolve()
    if "\n" in str(home) or "\r" in str(home):
        raise Neo4jServerError(f"The Neo4j home {home!r} contains a line break.")
    return ServerConfig(
        layout=ServerLayout(home=home),
        bolt_port=bolt,
        http_port=http,
        transaction_timeout=settings.neo4j_tx_timeout,
        default_database=settings.neo4j_database,
        memory=plan_memory(settings.neo4j_heap, settings.neo4j_pagecache, physical_memory),
    )


def render_neo4j_conf(config: ServerConfig) -> str:
    """The text of conf/neo4j.conf. Every name was checked against 5.26.30's strict validation."""
    lay = config.layout
    mem = config.memory
    bolt = f"{LOOPBACK}:{config.bolt_port}"
    http = f"{LOOPBACK}:{config.http_port}"
    sections: list[tuple[str, list[str]]] = [
        (
            "Folders: everything lives under the managed home",
            [
                f"server.directories.data={lay.data_dir}",
                f"server.directories.logs={lay.logs_dir}",
                f"server.directories.run={lay.run_dir}",
                "# Kept empty: no APOC, no plugin procedures.",
                f"server.directories.plugins={lay.plugins_dir}",
                "# Kept empty. Without this setting LOAD CSV could read any file.",
                f"server.directories.import={lay.import_dir}",
                "# Set explicitly, so that a missing file fails the start instead of silently",
                "# falling back to the configurations embedded in the jars.",
                f"server.logs.config={lay.server_logs_config}",
                f"server.logs.user.config={lay.user_logs_config}",
            ],
        ),
        (
            "Network: loopback only, no TLS listener",
            [
                f"server.default_listen_address={LOOPBACK}",
                f"server.default_advertised_address={LOOPBACK}",
                "server.bolt.enabled=true",
                f"server.bolt.listen_address={bolt}",
                "# The Browser connects to the advertised bolt address, which would otherwise",
                "# keep the default port 7687.",
                f"server.bolt.advertised_address={bolt}",
                "server.http.enabled=true",
                f"server.http.listen_address={http}",
                f"server.http.advertised_address={http}",
                "server.https.enabled=false",
            ],
        ),
        (
            "Security and privacy",
            [
                "dbms.security.auth_enabled=true",
                "# In 5.26 this list governs only procedures and functions loaded from plugins/;",
                "# built-ins (dbms.components, db.labels, db.index.fulltext.queryNodes, ...) are",
                "# always available. Empty: no plugin code is loaded even if a jar appears.",
                "dbms.security.procedures.allowlist=",
                "dbms.security.allow_csv_import_from_file_urls=false",
                "dbms.usage_report.enabled=false",
                "# The Browser's usage analytics.",
                "client.allow_telemetry=false",
            ],
        ),
        (
            "Database and transactions",
            [
                f"initial.dbms.default_database={config.default_database}",
                f"db.transaction.timeout={config.transaction_timeout}",
                "# Little transaction log on disk: the graph is rebuilt from the corpus.",
                "db.tx_log.rotation.retention_policy=2 files",
                "db.tx_log.rotation.size=128m",
            ],
        ),
        (
            "Memory",
            [
                "# Initial heap = maximum heap, so the heap never resizes under load.",
                f"server.memory.heap.initial_size={format_size(mem.heap)}",
                f"server.memory.heap.max_size={format_size(mem.heap)}",
                f"server.memory.pagecache.size={format_size(mem.pagecache)}",
                "# Half the heap: the loader's whole-graph transaction (~0.6 GB measured for",
                "# 500k entities) fits, and the rest of the heap stays free for readers.",
                f"dbms.memory.transaction.total.max={format_size(mem.transaction_total_max)}",
            ],
        ),
        (
            "JVM flags of the standard launcher (policykg passes the same on its command line)",
            [f"server.jvm.additional={flag}" for flag in JVM_ADDITIONAL],
        ),
    ]
    lines = [
        f"# Neo4j {NEO4J_VERSION} configuration, generated by policykg (graph/server.py).",
        "# It is rewritten on every start: change the POLICYKG_NEO4J_* settings instead.",
    ]
    for title, settings_lines in sections:
        lines += ["", f"# {title}", *settings_lines]
    return "\n".join(lines) + "\n"


def _rolling_appender(name: str, file: str, layout: str, keep: int) -> str:
    return f"""        <RollingRandomAccessFile name="{name}"
                fileName="${{config:server.directories.logs}}/{file}"
                filePattern="$${{config:server.directories.logs}}/{file}.%02i">
            {layout}
            <Policies>
                <SizeBasedTriggeringPolicy size="20 MB"/>
            </Policies>
            <DefaultRolloverStrategy fileIndex="min" max="{keep}"/>
        </RollingRandomAccessFile>"""


_PATTERN = '<PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSSZ}{GMT+0} %-5p %m%n"/>'
_DEBUG_PATTERN = (
    '<Neo4jDebugLogLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSSZ}{GMT+0} %-5p [%c{1.}] %m%n"/>'
)


def render_server_logs_xml() -> str:
    """conf/server-logs.xml: Neo4j's embedded default (debug, http, query, security logs)."""
    appenders = "\n".join(
        [
            _rolling_appender("DebugLog", "debug.log", _DEBUG_PATTERN, 7),
            _rolling_appender("HttpLog", "http.log", _PATTERN, 5),
            _rolling_appender("QueryLog", "query.log", _PATTERN, 7),
            _rolling_appender("SecurityLog", "security.log", _PATTERN, 7),
        ]
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by policykg (graph/server.py); rewritten on every start. -->
<Configuration status="ERROR">
    <Appenders>
{appenders}
    </Appenders>
    <Loggers>
        <Root level="INFO">
            <AppenderRef ref="DebugLog"/>
        </Root>
        <Logger name="QueryLogger" level="INFO" additivity="false">
            <AppenderRef ref="QueryLog"/>
        </Logger>
        <Logger name="HttpLogger" level="INFO" additivity="false">
            <AppenderRef ref="HttpLog"/>
        </Logger>
        <Logger name="SecurityLogger" level="INFO" additivity="false">
            <AppenderRef ref="SecurityLog"/>
        </Logger>
    </Loggers>
</Configuration>
"""


def render_user_logs_xml() -> str:
    """conf/user-logs.xml: neo4j.log, plus the console (which policykg sends to console.log)."""
    appender = _rolling_appender("RollingFile", "neo4j.log", _PATTERN, 5)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by policykg (graph/server.py); rewritten on every start. -->
<Configuration>
    <Appenders>
{appender}
        <Console name="ConsoleAppender" target="SYSTEM_OUT">
            {_PATTERN}
        </Console>
    </Appenders>
    <Loggers>
        <Root level="info">
            <AppenderRef ref="RollingFile"/>
            <AppenderRef ref="ConsoleAppender"/>
        </Root>
    </Loggers>
</Configuration>
"""


def jvm_arguments(memory: MemoryPlan) -> list[str]:
    """The JVM flags, in the order Neo4j's launcher passes them (flags, encoding, heap in KiB)."""
    heap_kib = max(memory.heap // KIB, 1)
    return [*JVM_ADDITIONAL, "-Dfile.encoding=UTF-8", f"-Xms{heap_kib}k", f"-Xmx{heap_kib}k"]


def classpath(lib_dir: Path, plugins_dir: Path | None = None) -> str:
    """The JVM class path: plugin jars first when there are any (as the launcher does), then lib."""
    parts = [f"{plugins_dir}/*"] if plugins_dir is not None else []
    return os.pathsep.join([*parts, f"{lib_dir}/*"])


def server_command(
    java: Path, lib_dir: Path, config: ServerConfig, *, plugins_present: bool = False
) -> list[str]:
    """The command line that runs the server in the foreground (``bin/neo4j console``)."""
    lay = config.layout
    return [
        str(java),
        "-cp",
        classpath(lib_dir, lay.plugins_dir if plugins_present else None),
        *jvm_arguments(config.memory),
        ENTRY_POINT,
        f"--home-dir={lay.home}",
        f"--config-dir={lay.conf_dir}",
        "--console-mode",
    ]


def set_initial_password_command(java: Path, lib_dir: Path, argument_file: Path) -> list[str]:
    """``neo4j-admin dbms set-initial-password``, reading the password from a picocli @-file.

    The @-file keeps the password out of the process list (``ps``) of both the launcher JVM and
    the admin JVM it forks.
    """
    return [
        str(java),
        "-cp",
        classpath(lib_dir),
        ADMIN_ENTRY_POINT,
        "dbms",
        "set-initial-password",
        f"@{argument_file}",
    ]


def maven_command(mvn: Path, pom: Path, repo_local: Path, output_dir: Path) -> list[str]:
    """The Maven invocation that copies the server's runtime jars into ``output_dir``."""
    return [
        str(mvn),
        "-B",
        "-q",
        "-f",
        str(pom),
        f"-Dmaven.repo.local={repo_local}",
        "dependency:copy-dependencies",
        f"-DoutputDirectory={output_dir}",
        "-DincludeScope=runtime",
    ]


def parse_java_version(version_output: str) -> int | None:
    """The major version from ``java -version`` output (``"1.8.0_392"`` → 8, ``"17.0.15"`` → 17)."""
    match = _JAVA_VERSION_RE.search(version_output)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:
        return int(match.group(2))
    return major


def is_server_cmdline(args: Sequence[str], home: Path) -> bool:
    """True if a process's arguments are those of a Neo4j server running from ``home``."""
    return ENTRY_POINT in args and f"--home-dir={home}" in args


def exit_code_meaning(code: int) -> str:
    """What a server exit code means, in words."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    return EXIT_CODE_MEANINGS.get(code, "an unexpected failure")


def summarize_failure(log_text: str, *, max_lines: int = 12) -> str:
    """The lines of a start-up log that explain a failure: errors first, else the last lines."""
    lines = [line.rstrip() for line in log_text.splitlines() if line.strip()]
    errors = [line for line in lines if any(marker in line for marker in _FAILURE_MARKERS)]
    chosen = errors[:max_lines] if errors else lines[-max_lines:]
    return "\n".join(chosen) if chosen else "(the log is empty)"


def generate_password(length: int = 32) -> str:
    """A random password of letters and digits (safe in a picocli @-file and a shell)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


# ---------------------------------------------------------------------------------------------
# I/O: Java, Maven, jars
# ---------------------------------------------------------------------------------------------


def _java_version(executable: Path) -> int | None:
    try:
        done = subprocess.run(
            [str(executable), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        log.debug("cannot run %s -version: %s", executable, e)
        return None
    return parse_java_version(done.stderr + done.stdout)


def find_java(env: Mapping[str, str] | None = None) -> JavaRuntime:
    """Java ≥ 17: ``$JAVA_HOME`` if it is new enough, else the Debian OpenJDK 17, else PATH."""
    env = os.environ if env is None else env
    candidates: list[tuple[str, Path]] = []
    if env.get("JAVA_HOME"):
        candidates.append(("JAVA_HOME", Path(env["JAVA_HOME"]) / "bin" / "java"))
    candidates.append(("the system OpenJDK 17", DEFAULT_JAVA_HOME / "bin" / "java"))
    on_path = shutil.which("java", path=env.get("PATH"))
    if on_path:
        candidates.append(("PATH", Path(on_path)))
    seen: list[str] = []
    for origin, executable in candidates:
        if not executable.is_file():
            continue
        version = _java_version(executable)
        if version is not None and version >= MIN_JAVA_VERSION:
            log.debug("using Java %d from %s: %s", version, origin, executable)
            return JavaRuntime(executable=executable, version=version)
        seen.append(f"{executable} (from {origin}: version {version or 'unknown'})")
        log.warning("Ignoring %s: Neo4j %s needs Java 17 or newer.", seen[-1], NEO4J_VERSION)
    found = "; found only " + ", ".join(seen) if seen else ""
    raise Neo4jServerError(
        f"Java {MIN_JAVA_VERSION} or newer is needed to run Neo4j {NEO4J_VERSION}{found}. "
        "Install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or point "
        "JAVA_HOME at a JDK 17+."
    )


def find_maven() -> Path:
    """The ``mvn`` executable, or a clear error naming what to install."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError(
            "Maven (mvn) is needed to fetch the Neo4j jars from Maven Central. Install it "
            "(Debian/Ubuntu: apt-get install maven) and run `policykg neo4j fetch` again."
        )
    return Path(mvn)


def jar_dir(settings: Settings) -> Path:
    """Where the server's jars live once fetched."""
    return settings.cache_dir.resolve() / f"neo4j-{NEO4J_VERSION}" / "lib"


def jars_present(lib_dir: Path) -> bool:
    """True when a complete fetch is in place."""
    return all((lib_dir / jar).is_file() for jar in REQUIRED_JARS)


def _folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total


@contextlib.contextmanager
def _exclusive_lock(lock_file: Path) -> Iterator[None]:
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fetch_jars(
    settings: Settings, *, progress_every_s: float = 15.0, timeout_s: float = 1800.0
) -> Path:
    """Resolve the server's jars with Maven into the cache, once; return the lib folder.

    Maven copies into a temporary folder beside the final one, which is renamed into place
    only when complete, so an interrupted fetch never leaves a folder that looks complete.
    A second call returns at once. Concurrent calls are serialised by a lock file.

    Raises:
        Neo4jServerError: Java or Maven is missing, or Maven fails (network, proxy).
    """
    lib_dir = jar_dir(settings)
    if jars_present(lib_dir):
        log.debug("Neo4j %s jars already in %s", NEO4J_VERSION, lib_dir)
        return lib_dir
    java = find_java()
    mvn = find_maven()
    dist_dir = lib_dir.parent
    with _exclusive_lock(dist_dir / ".fetch.lock"):
        if jars_present(lib_dir):  # another process finished while we waited for the lock
            return lib_dir
        for stale in dist_dir.glob(".lib-partial-*"):
            log.info("Removing an interrupted fetch: %s", stale)
            shutil.rmtree(stale, ignore_errors=True)
        if lib_dir.exists():
            log.warning("Replacing incomplete jar folder %s", lib_dir)
            shutil.rmtree(lib_dir)
        partial = Path(tempfile.mkdtemp(prefix=".lib-partial-", dir=dist_dir))
        repo_local = settings.cache_dir.resolve() / "m2"
        try:
            _run_maven(java, mvn, repo_local, partial, progress_every_s, timeout_s)
            missing = [jar for jar in REQUIRED_JARS if not (partial / jar).is_file()]
            if missing:
                raise Neo4jServerError(
                    f"Maven finished but did not produce {', '.join(missing)}; check {POM_PATH}."
                )
            os.chmod(partial, 0o755)  # mkdtemp made it private
            os.rename(partial, lib_dir)
        finally:
            if partial.exists():
                shutil.rmtree(partial, ignore_errors=True)
    jars = list(lib_dir.glob("*.jar"))
    log.info(
        "Neo4j %s and Browser %s are ready: %d jars, %.0f MB in %s",
        NEO4J_VERSION,
        BROWSER_VERSION,
        len(jars),
        sum(jar.stat().st_size for jar in jars) / 1e6,
        lib_dir,
    )
    return lib_dir


def _run_maven(
    java: JavaRuntime,
    mvn: Path,
    repo_local: Path,
    output_dir: Path,
    progress_every_s: float,
    timeout_s: float,
) -> None:
    command = maven_command(mvn, POM_PATH, repo_local, output_dir)
    env = {**os.environ, "JAVA_HOME": str(java.home)}
    log.info(
        "Fetching Neo4j %s and Browser %s from Maven Central into %s "
        "(about 170 MB the first time; a minute or two) …",
        NEO4J_VERSION,
        BROWSER_VERSION,
        output_dir.parent,
    )
    log.debug("running %s", " ".join(command))
    started = time.monotonic()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as output:
        try:
            proc = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
            )
        except OSError as e:
            raise Neo4jServerError(f"Cannot run Maven ({mvn}): {e}") from e
        try:
            while True:
                try:
                    code = proc.wait(timeout=progress_every_s)
                    break
                except subprocess.TimeoutExpired:
                    elapsed = time.monotonic() - started
                    if elapsed > timeout_s:
                        raise Neo4jServerError(
                            f"Maven did not finish within {timeout_s:.0f} s; check the network "
                            "connection to Maven Central and run `policykg neo4j fetch` again."
                        ) from None
                    log.info(
                        "… still resolving (%.0f s, %.0f MB in the local Maven repository)",
                        elapsed,
                        _folder_bytes(repo_local) / 1e6,
                    )
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if code != 0:
            output.seek(0)
            tail = summarize_failure(output.read(), max_lines=20)
            raise Neo4jServerError(
                f"Maven could not resolve the Neo4j jars (exit code {code}). Check access to "
                "Maven Central (https://repo.maven.apache.org; a proxy goes in "
                f"~/.m2/settings.xml), then run `policykg neo4j fetch` again.\n{tail}"
            )
    log.info("Maven finished in %.0f s", time.monotonic() - started)


# ---------------------------------------------------------------------------------------------
# I/O: the home folder and the initial password
# ---------------------------------------------------------------------------------------------


def physical_memory() -> int:
    """The machine's physical memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _write_atomically(path: Path, text: str, mode: int = 0o644) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_password(layout: ServerLayout) -> str | None:
    try:
        password = layout.password_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise Neo4jServerError(f"Cannot read {layout.password_file}: {e}") from e
    return password or None


def write_home(config: ServerConfig) -> None:
    """Create the home's folders and (re)write its configuration files."""
    lay = config.layout
    try:
        lay.home.mkdir(parents=True, exist_ok=True)
        os.chmod(lay.home, 0o700)  # it holds the password and the data
        for folder in lay.folders:
            folder.mkdir(exist_ok=True)
        _write_atomically(lay.conf_file, render_neo4j_conf(config), 0o600)
        _write_atomically(lay.server_logs_config, render_server_logs_xml())
        _write_atomically(lay.user_logs_config, render_user_logs_xml())
    except OSError as e:
        raise Neo4jServerError(f"Cannot prepare the Neo4j home {lay.home}: {e}") from e
    for folder, why in (
        (lay.import_dir, "LOAD CSV may read it"),
        (lay.plugins_dir, "plugin procedures are not on the allowlist and will not load"),
    ):
        if any(folder.iterdir()):
            log.warning("%s should be empty (%s); it is not.", folder, why)


def ensure_initial_password(config: ServerConfig, java: JavaRuntime, lib_dir: Path) -> None:
    """Generate the password and set it with ``neo4j-admin`` before the server's first start.

    Only while no system database exists: afterwards the users live in it and ``auth.ini``
    is no longer read.
    """
    lay = config.layout
    if lay.system_database_dir.exists():
        if _read_password(lay) is None:
            raise Neo4jServerError(
                f"The Neo4j home {lay.home} has a database but its generated password file "
                f"{lay.password_file} is missing, so nobody can log in. Restore the file, or "
                f"delete {lay.data_dir} to start with an empty database."
            )
        return
    password = _read_password(lay)
    if password is None:
        password = generate_password()
        try:
            _write_atomically(lay.password_file, password + "\n", 0o600)
        except OSError as e:
            raise Neo4jServerError(f"Cannot write {lay.password_file}: {e}") from e
        log.info("Generated the password of user 'neo4j' in %s", lay.password_file)
    if len(password) < 8 or not password.isalnum():
        # it travels in a picocli @-file, where spaces, quotes and '#' would change it
        raise Neo4jServerError(
            f"The password in {lay.password_file} must be at least 8 letters and digits; "
            "delete the file to have one generated."
        )
    argument_file = lay.run_dir / ".initial-password.args"
    env = {
        **os.environ,
        "NEO4J_HOME": str(lay.home),
        "NEO4J_CONF": str(lay.conf_dir),
        "JAVA_HOME": str(java.home),
    }
    try:
        _write_atomically(argument_file, password + "\n", 0o600)
        done = subprocess.run(
            set_initial_password_command(java.executable, lib_dir, argument_file),
            env=env,
            cwd=lay.home,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Neo4jServerError(f"Cannot run neo4j-admin set-initial-password: {e}") from e
    finally:
        with contextlib.suppress(OSError):
            argument_file.unlink()
    if done.returncode != 0 or not lay.auth_ini.is_file():
        raise Neo4jServerError(
            f"neo4j-admin dbms set-initial-password failed (exit code {done.returncode}):\n"
            + summarize_failure(done.stdout + done.stderr)
        )
    os.chmod(lay.auth_ini, 0o600)
    log.info("Set the initial password of user 'neo4j' (data/dbms/auth.ini)")


# ---------------------------------------------------------------------------------------------
# I/O: processes and ports
# ---------------------------------------------------------------------------------------------


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _reap(pid: int) -> int | None:
    """The exit code if ``pid`` is our child and has exited, else None (collects zombies)."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status) if done == pid else None


def _alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet collected) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # the state follows the parenthesised command name; Z = zombie, X = dead
    return stat.rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}


def _rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * KIB
    except (OSError, ValueError, IndexError):
        return None
    return None


def _read_pid_file(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def find_server_pid(layout: ServerLayout) -> int | None:
    """The pid of the server running from this home: its pid file, else a scan of /proc."""
    pid = _read_pid_file(layout.pid_file)
    if pid is not None:
        _reap(pid)  # collect our own child if it has died
    if pid is not None and _alive(pid):
        args = _cmdline(pid)
        if args is None or is_server_cmdline(args, layout.home):
            return pid
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    for entry in proc.iterdir():
        if entry.name.isdigit():
            args = _cmdline(int(entry.name))
            if args and is_server_cmdline(args, layout.home) and _alive(int(entry.name)):
                return int(entry.name)
    return None


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    """True if something already listens on ``host:port`` (binding as the server would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return True
            raise Neo4jServerError(f"Cannot use port {port} on {host}: {e}") from e
    return False


def _spawn_detached(command: Sequence[str], log_file: Path) -> int:
    """Start a process in its own session, stdout/stderr appended to ``log_file``."""
    # posix_spawn rather than Popen: the server outlives this process, and a Popen object for a
    # still-running child warns (ResourceWarning) when it is garbage-collected. Every path on
    # the command line is absolute, so the child's working directory does not matter.
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log_file), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    try:
        return os.posix_spawn(
            command[0], list(command), dict(os.environ), file_actions=actions, setsid=True
        )
    except OSError as e:
        raise Neo4jServerError(f"Cannot start {command[0]}: {e}") from e


def _log_since(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------
# I/O: talking to the server
# ---------------------------------------------------------------------------------------------

_COMPONENTS_QUERY = (
    "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition"
)
_NOT_YET = (neo4j_exc.ServiceUnavailable, neo4j_exc.SessionExpired, neo4j_exc.TransientError)


def _driver(connection: Neo4jConnection, timeout_s: float) -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(
        connection.uri,
        auth=connection.auth,
        connection_timeout=timeout_s,
        connection_acquisition_timeout=timeout_s,
        max_connection_pool_size=2,
    )


def _components(driver: neo4j.Driver, database: str) -> tuple[str, str]:
    # An auto-commit query: execute_query would retry transient failures for up to 30 s,
    # and the callers poll or report instead.
    with driver.session(database=database) as session:
        record = session.run(_COMPONENTS_QUERY).single(strict=True)
    return str(record["version"]), str(record["edition"])


def query_server_version(
    connection: Neo4jConnection, *, timeout_s: float = 10.0
) -> tuple[str, str]:
    """``(version, edition)`` from ``CALL dbms.components()``.

    Raises:
        Neo4jUnavailable: the server cannot be reached, refuses the credentials, or fails.
    """
    try:
        with _quiet_connection_errors(), _driver(connection, timeout_s) as driver:
            return _components(driver, connection.database)
    except neo4j_exc.AuthError as e:
        raise Neo4jUnavailable(
            f"Neo4j at {connection.uri} refused the credentials of user {connection.user!r}."
        ) from e
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, OSError) as e:
        raise Neo4jUnavailable(f"Neo4j at {connection.uri} does not answer: {e}") from e


def _drop_record(record: logging.LogRecord) -> bool:
    return False


@contextlib.contextmanager
def _quiet_connection_errors() -> Iterator[None]:
    """Silence the driver's own ERROR lines about refused or reset connections while polling."""
    loggers = [logging.getLogger(name) for name in ("neo4j.io", "neo4j.pool")]
    for logger in loggers:
        logger.addFilter(_drop_record)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(_drop_record)


def _wait_until_ready(
    connection: Neo4jConnection,
    layout: ServerLayout,
    pid: int,
    timeout_s: float,
    log_offset: int,
) -> str:
    """Poll the server until it answers a query; return its version."""
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    with _quiet_connection_errors(), _driver(connection, timeout_s=2.0) as driver:
        while True:
            if not _alive(pid):
                exit_code = _reap(pid)  # None when the process is not our child
                meaning = (
                    f"exit code {exit_code}: {exit_code_meaning(exit_code)}"
                    if exit_code is not None
                    else "exit code unknown"
                )
                raise Neo4jServerError(
                    f"Neo4j stopped during start-up ({meaning}). From {layout.console_log}:\n"
                    + summarize_failure(_log_since(layout.console_log, log_offset))
                )
            try:
                driver.verify_connectivity()
                version, _ = _components(driver, connection.database)
                return version
            except neo4j_exc.AuthError as e:
                raise Neo4jServerError(
                    f"Neo4j refused the generated password in {layout.password_file}. If the "
                    "file was replaced after the first start, restore it, or delete "
                    f"{layout.data_dir} to start with an empty database."
                ) from e
            except neo4j_exc.ClientError as e:
                raise Neo4jServerError(
                    f"Neo4j started but database {connection.database!r} is not usable: "
                    f"{e.message or e}"
                ) from e
            except (*_NOT_YET, OSError) as e:
                last_error = e
            if time.monotonic() > deadline:
                raise Neo4jServerError(
                    f"Neo4j (pid {pid}) did not answer on {connection.uri} within "
                    f"{timeout_s:.0f} s (last error: {last_error}). It may still be starting "
                    f"(see {layout.logs_dir / 'neo4j.log'}); check with `policykg neo4j status` "
                    "or stop it with `policykg neo4j stop`."
                )
            time.sleep(0.5)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


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
    password = _read_password(layout)
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
            return ServerStatus(
                managed=False,
                running=False,
                answering=False,
                uri=connection.uri,
                database=connection.database,
                message=str(e),
            )
        return ServerStatus(
            managed=False,
            running=True,
            answering=True,
            uri=connection.uri,
            database=connection.database,
            version=version,
            edition=edition,
            message="external server (NEO4J_URI)",
        )
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
                "rss_bytes": _rss_bytes(pid) if pid is not None else None,
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
    with _exclusive_lock(layout.home / ".start.lock"):
        running = find_server_pid(layout)
        if running is not None:
            log.info("Neo4j is already running from %s (pid %d).", layout.home, running)
            _wait_until_ready(connection_for(settings), layout, running, timeout_s, 0)
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
    pid = _spawn_detached(command, layout.console_log)
    _write_atomically(layout.pid_file, f"{pid}\n")  # the server rewrites it with the same pid
    log.info(
        "Starting Neo4j %s (pid %d, Java %d, heap %s, page cache %s); waiting up to %.0f s …",
        NEO4J_VERSION,
        pid,
        java.version,
        format_size(config.memory.heap),
        format_size(config.memory.pagecache),
        timeout_s,
    )
    version = _wait_until_ready(connection_for(settings), layout, pid, timeout_s, log_offset)
    log.info(
        "Neo4j %s is ready at %s after %.1f s (Browser: %s)",
        version,
        config.bolt_uri,
        time.monotonic() - started,
        config.browser_url,
    )


def stop_server(settings: Settings, *, timeout_s: float = DEFAULT_STOP_TIMEOUT_S) -> bool:
    """Stop the managed server: SIGTERM, then SIGKILL after ``timeout_s``; True if one ran.

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
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    except PermissionError as e:
        raise Neo4jServerError(f"Not allowed to stop Neo4j (pid {pid}): {e}") from e
    if not _wait_gone(pid, timeout_s):
        log.warning(
            "Neo4j (pid %d) did not stop within %g s; killing it. The next start will run "
            "recovery on the transaction log.",
            pid,
            timeout_s,
        )
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        if not _wait_gone(pid, 10.0):
            raise Neo4jServerError(f"Neo4j (pid {pid}) survived SIGKILL; check the machine.")
    layout.pid_file.unlink(missing_ok=True)
    log.info("Neo4j stopped after %.1f s.", time.monotonic() - started)
    return True


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while _reap(pid) is None and _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
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
