"""The managed server's configuration, as pure functions: the validated
:class:`ServerConfig` (its memory from :mod:`graph.server.memory`), and the text of
``neo4j.conf`` and the two log4j files.

Nothing here touches files, processes or the network, so all of it is unit-tested without
Java.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from core.errors import Neo4jServerError
from core.settings import Settings
from graph.server.memory import (
    MemoryPlan,
    format_size,
    plan_memory,
)

NEO4J_VERSION = "5.26.30"


BROWSER_VERSION = "5.24.0"


ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"


ADMIN_ENTRY_POINT = "org.neo4j.server.startup.Neo4jAdminCommand"


LOOPBACK = "127.0.0.1"


PASSWORD_FILE_NAME = "password"


MANAGED_USER = "neo4j"


DEFAULT_START_TIMEOUT_S = 120.0


DEFAULT_STOP_TIMEOUT_S = 60.0


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


_DURATION_RE = re.compile(r"^\d+(?:ms|s|m|h|d)?$")


_DATABASE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]{2,62}$")


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
    def store_lock(self) -> Path:
        """Locked by the server while its stores are open."""
        return self.data_dir / "databases" / "store_lock"

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
        memory=plan_memory(
            settings.neo4j_heap,
            settings.neo4j_pagecache,
            physical_memory,
            settings.neo4j_tx_memory,
        ),
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
                "# Look for transactions past their timeout every half second (not every 2 s).",
                "db.transaction.monitor.check.interval=500ms",
                "# A stop waits this long for running transactions, not 10 s: one that Neo4j",
                "# cannot interrupt (pure expression work) would otherwise hold every stop.",
                "db.shutdown_transaction_end_timeout=2s",
                "# and the Bolt workers are given 1 s, not 5 s (an internal setting of 5.26).",
                "internal.server.bolt.thread_pool_shutdown_wait_time=1s",
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
                "# What one transaction may hold: the loader's fits, and a quarter of the pool",
                "# stays for everything else whatever one query does. Values that expressions",
                "# build (a list comprehension, a reduce) are not counted: the API refuses the",
                "# shapes that build unbounded ones before they reach the server.",
                f"db.memory.transaction.max={format_size(mem.transaction_max)}",
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
