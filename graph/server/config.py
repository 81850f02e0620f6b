"""The managed server's configuration, as pure functions: memory sizes, the validated
:class:`ServerConfig`, and the text of ``neo4j.conf`` and the two log4j files.

Nothing here touches files, processes or the network, so all of it is unit-tested without
Java.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from core.errors import Neo4jServerError
from core.settings import Settings

NEO4J_VERSION = "5.26.30"


BROWSER_VERSION = "5.24.0"


ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"


ADMIN_ENTRY_POINT = "org.neo4j.server.startup.Neo4jAdminCommand"


LOOPBACK = "127.0.0.1"


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


#: The value of ``POLICYKG_NEO4J_HEAP`` / ``_PAGECACHE`` (and their default) that sizes the
#: server to the graph it is to hold (:func:`memory_for_graph`).
AUTO = "auto"


#: Heap per byte of the graph's Neo4j rows (``neo4j-rows.json``). Measured on 5.26.30, the
#: loader's one transaction holds about 7.5 bytes per byte of rows (at least 404 MiB for the
#: 54 MB of the 494k-triple benchmark graph, which a 1g heap's 384 MiB refused) and one
#: transaction may hold 3/8 of the heap: 20 bytes of heap per byte, and 40 % to spare.
HEAP_PER_ROW_BYTE = 28


#: Page cache per byte of rows: the store takes a few times the rows' size on disk.
PAGECACHE_PER_ROW_BYTE = 4


MIN_PAGECACHE_BYTES = 64 * MIB


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


_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


_DURATION_RE = re.compile(r"^\d+(?:ms|s|m|h|d)?$")


_DATABASE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]{2,62}$")


_UNIT_BYTES = {"": 1, "k": KIB, "m": MIB, "g": GIB, "t": 1024 * GIB}


class MemoryPlan(BaseModel):
    """The server's memory budget in bytes.

    ``transaction_total_max`` caps the memory of all open transactions together
    (``dbms.memory.transaction.total.max``) and ``transaction_max`` that of any one
    (``db.memory.transaction.max``); going over either fails the transaction cleanly instead
    of running the heap out of memory.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    heap: int
    pagecache: int
    transaction_total_max: int
    transaction_max: int


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


def _round_up(n_bytes: int, unit: int) -> int:
    return -(-n_bytes // unit) * unit


def memory_for_graph(rows_bytes: int, physical_memory: int) -> tuple[int, int]:
    """Heap and page cache for a graph whose Neo4j rows take ``rows_bytes`` (0: unknown).

    Small graphs get the least the server runs well with (512 MiB of heap, 64 MiB of page
    cache: the real corpus's 2 MB of rows makes an 11 MB store): a small heap is quick to
    pre-touch and to start. Larger ones get :data:`HEAP_PER_ROW_BYTE` and
    :data:`PAGECACHE_PER_ROW_BYTE` per byte, within three quarters of what the machine has.
    """
    heap = max(MIN_HEAP_BYTES, _round_up(HEAP_PER_ROW_BYTE * rows_bytes, 256 * MIB))
    pagecache = max(MIN_PAGECACHE_BYTES, _round_up(PAGECACHE_PER_ROW_BYTE * rows_bytes, 64 * MIB))
    room = (physical_memory - OS_RESERVE_BYTES) * 3 // 4
    if heap + pagecache > room:
        share = max(room, MIN_HEAP_BYTES + MIN_PAGECACHE_BYTES) / (heap + pagecache)
        heap = max(MIN_HEAP_BYTES, int(heap * share) // MIB * MIB)
        pagecache = max(MIN_PAGECACHE_BYTES, int(pagecache * share) // MIB * MIB)
    return heap, pagecache


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


def transaction_limit(total_max: int) -> int:
    """``db.memory.transaction.max``, what one transaction may hold: 3/4 of the shared pool.

    The limit is static in Community (``dbms.setConfigValue`` is Enterprise-only), so it must
    let the loader's one whole-graph transaction through; a quarter of the pool stays free
    whatever a single query does, for the API's reads and the other queries running.
    """
    return (total_max * 3 // 4) // MIB * MIB


def plan_memory(
    heap: str, pagecache: str, physical_memory: int, transaction_max: str | None = None
) -> MemoryPlan:
    """Validate heap and page-cache sizes against the machine and derive the transaction caps
    (``transaction_max``, when given, overrides the per-transaction one)."""
    auto_heap, auto_pagecache = memory_for_graph(0, physical_memory)
    heap_bytes = auto_heap if heap == AUTO else parse_size(heap, name="POLICYKG_NEO4J_HEAP")
    pagecache_bytes = (
        auto_pagecache
        if pagecache == AUTO
        else parse_size(pagecache, name="POLICYKG_NEO4J_PAGECACHE")
    )
    heap_bytes = heap_bytes // KIB * KIB  # the JVM flags are written in KiB
    if heap_bytes < MIN_HEAP_BYTES:
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_HEAP={heap} is below the {format_size(MIN_HEAP_BYTES)} the server "
            "needs; give it at least 512m (or auto, the default: sized to the graph)."
        )
    if pagecache_bytes < 8 * MIB:
        raise Neo4jServerError(
            f"POLICYKG_NEO4J_PAGECACHE={pagecache} is too small; give it at least 64m "
            "(or auto, the default: sized to the graph)."
        )
    budget = physical_memory - OS_RESERVE_BYTES
    if heap_bytes + pagecache_bytes > budget:
        raise Neo4jServerError(
            f"Heap {format_size(heap_bytes)} plus page cache {format_size(pagecache_bytes)} "
            f"exceed this machine's {physical_memory / GIB:.1f} GiB of memory less "
            f"{format_size(OS_RESERVE_BYTES)} for the system; lower POLICYKG_NEO4J_HEAP or "
            "POLICYKG_NEO4J_PAGECACHE."
        )
    total_max = transaction_budget(heap_bytes)
    per_transaction = transaction_limit(total_max)
    if transaction_max:
        per_transaction = parse_size(transaction_max, name="POLICYKG_NEO4J_TX_MEMORY")
        if not 8 * MIB <= per_transaction <= total_max:
            raise Neo4jServerError(
                f"POLICYKG_NEO4J_TX_MEMORY={transaction_max} must lie between 8m and the "
                f"{format_size(total_max)} all transactions share (half the heap)."
            )
    return MemoryPlan(
        heap=heap_bytes,
        pagecache=pagecache_bytes,
        transaction_total_max=total_max,
        transaction_max=per_transaction,
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
