"""The managed Neo4j server: fetch its jars, lay out its home, start, stop and report it.

The project runs its own Neo4j Community 5.26 LTS server unless ``NEO4J_URI`` names an
external one. No Neo4j distribution is installed: Maven resolves the server's jars (and the
Browser web app) from Maven Central into ``settings.cache_dir``, and the launcher runs
``org.neo4j.server.CommunityEntryPoint`` with the same JVM flags Neo4j's own ``bin/neo4j``
would pass. The server listens on 127.0.0.1 only, with authentication on and a generated
password that is set with Neo4j's own admin tool before the first start.

Layout of the managed home (``settings.neo4j_home``)::

    conf/neo4j.conf           rendered by config.render_neo4j_conf on every start
    conf/server-logs.xml      log4j configuration of debug/http/query/security logs
    conf/user-logs.xml        log4j configuration of neo4j.log (and the console)
    data/                     databases, transaction logs, data/dbms/auth.ini
    logs/                     neo4j.log, debug.log, … and console.log (stdout/stderr)
    run/neo4j.pid             the server's process id while it runs
    import/                   kept empty: LOAD CSV may only read from here
    plugins/                  kept empty: no APOC, no plugin procedures
    password                  the generated password of user ``neo4j`` (mode 0600)

The package is split by concern, the pure parts first:

* :mod:`~graph.server.memory` — memory sizes: the heap and page cache for a graph, the
  transaction limits;
* :mod:`~graph.server.config` — the validated configuration, ``neo4j.conf``;
* :mod:`~graph.server.commands` — command lines, exit codes, log summaries;
* :mod:`~graph.server.jars` — Java, Maven and the jars;
* :mod:`~graph.server.home` — the home folder and the initial password;
* :mod:`~graph.server.process` — spawning, finding and stopping the process;
* :mod:`~graph.server.readiness` — the probe, and waiting for a start;
* :mod:`~graph.server.lifecycle` — start, stop, status: what the rest of the project calls.

How to reach a server and the drivers themselves are in :mod:`graph.connection`. Errors are
:class:`~core.errors.Neo4jServerError` (cannot fetch, configure, start or stop) and
:class:`~core.errors.Neo4jUnavailable` (cannot reach a server).
"""

from graph.server.config import (
    BROWSER_VERSION,
    DEFAULT_START_TIMEOUT_S,
    DEFAULT_STOP_TIMEOUT_S,
    NEO4J_VERSION,
    PASSWORD_FILE_NAME,
)
from graph.server.jars import fetch_jars
from graph.server.lifecycle import (
    ManagedServer,
    ServerStatus,
    connection_for,
    ensure_running,
    server_status,
    start_server,
    stop_server,
)

__all__ = [
    "BROWSER_VERSION",
    "DEFAULT_START_TIMEOUT_S",
    "DEFAULT_STOP_TIMEOUT_S",
    "NEO4J_VERSION",
    "PASSWORD_FILE_NAME",
    "ManagedServer",
    "ServerStatus",
    "connection_for",
    "ensure_running",
    "fetch_jars",
    "server_status",
    "start_server",
    "stop_server",
]
