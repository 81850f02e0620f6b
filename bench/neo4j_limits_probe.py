"""What really stops a runaway read on Neo4j 5.26 Community: measured on a server of its own.

Starts a managed Neo4j (temporary folder, free ports, 1 GiB heap, 64 MiB per transaction)
and, talking to it directly with the driver (no API in between), measures:

* ``parser``: nesting depths and operator chains the parser answers, and the ones after
  which it never replies (each waited for 20 s);
* ``expression``: a ``reduce`` over ten million strings with a 2 s timeout — its status and
  the server's CPU after the timeout, and after ``TERMINATE TRANSACTION``;
* ``rows``: the same kind of loop over rows (``UNWIND``), stopped by the timeout;
* ``memory``: a ``collect`` of 100 million numbers and a list comprehension of as many,
  against the 64 MiB per-transaction limit, with the stop-the-world pauses logged meanwhile,
  and whether the server answers ``RETURN 1`` right after;
* ``stop``: how long stopping takes while two such expressions run with their connections
  open — with SIGTERM alone (what the launcher did), and with the launcher's stop.

    .venv/bin/python -m bench.neo4j_limits_probe > bench/results/neo4j-limits-probe.txt
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_exc

from bench.cypher_abuse import free_port
from bench.measure import cpu_seconds, machine
from core.settings import Settings
from graph import server
from graph.connection import Neo4jConnection, open_driver
from graph.server import process

REDUCE = "RETURN size(reduce(s = '', x IN range(1, 10000000) | s + 'xxxxxxxxxx')) AS n"


def _attempt(connection: Neo4jConnection, query: str, timeout_s: float | None, wait_s: float
             ) -> dict[str, Any]:  # fmt: skip
    """Run ``query`` in a thread; what came back within ``wait_s`` (or that nothing did)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            with open_driver(connection, verify=False) as driver, driver.session() as s:
                s.run(neo4j.Query(query, timeout=timeout_s)).consume()
            outcome["answer"] = "rows"
        except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, OSError) as e:
            outcome["answer"] = getattr(e, "code", None) or type(e).__name__
        outcome["seconds"] = round(time.monotonic() - started, 2)

    threading.Thread(target=run, daemon=True).start()
    deadline = time.monotonic() + wait_s
    while "answer" not in outcome and time.monotonic() < deadline:
        time.sleep(0.05)
    return dict(outcome) or {"answer": f"none within {wait_s:g} s"}


def parser(connection: Neo4jConnection) -> dict[str, Any]:
    shapes: dict[str, Callable[[int], str]] = {
        "parentheses": lambda n: "RETURN " + "(" * n + "1" + ")" * n,
        "lists": lambda n: "RETURN " + "[" * n + "1" + "]" * n,
        "string concatenation": lambda n: "RETURN 'a'" + " + 'a'" * n,
        "property chain": lambda n: "WITH {a: 1} AS m RETURN m" + ".a" * n,
    }
    depths = {"parentheses": (300, 400), "lists": (200, 300),
              "string concatenation": (300, 600), "property chain": (300, 600)}  # fmt: skip
    return {
        f"{shape} {n}": _attempt(connection, make(n), None, 20.0)
        for shape, make in shapes.items()
        for n in depths[shape]
    }


def _transaction(driver: neo4j.Driver, query_start: str) -> dict[str, Any] | None:
    records, _, _ = driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status, elapsedTime "
        "WHERE currentQuery STARTS WITH $start RETURN transactionId, status, "
        "elapsedTime.milliseconds AS ms",
        start=query_start,
        database_="neo4j",
    )
    return dict(records[0]) if records else None


def _cpu_share(pid: int, seconds: float = 2.0) -> float:
    before = cpu_seconds(pid) or 0.0
    time.sleep(seconds)
    return round(((cpu_seconds(pid) or 0.0) - before) / seconds, 2)


def expression(connection: Neo4jConnection, pid: int) -> dict[str, Any]:
    result: dict[str, Any] = {"client": _attempt(connection, REDUCE, 2.0, 6.0)}
    with open_driver(connection) as driver:
        result["after_timeout"] = _transaction(driver, "RETURN size(reduce")
        result["server_cpu_cores_after_timeout"] = _cpu_share(pid)
        if result["after_timeout"]:
            ids = [result["after_timeout"]["transactionId"]]
            driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=ids, database_="neo4j")
            time.sleep(4)
        result["after_terminate"] = _transaction(driver, "RETURN size(reduce")
        result["server_cpu_cores_after_terminate"] = _cpu_share(pid)
    return result


def rows(connection: Neo4jConnection) -> dict[str, Any]:
    query = "UNWIND range(1, 100000000000) AS x WITH x WHERE x < 0 RETURN count(x)"
    return _attempt(connection, query, 2.0, 30.0)


def _pauses(log: Path, offset: int) -> list[str]:
    text = process.log_since(log, offset)
    return [line[:160] for line in text.splitlines() if "stop-the-world pause" in line]


def memory(connection: Neo4jConnection, layout_log: Path) -> dict[str, Any]:
    """The ``collect`` first (the limit stops it), then the list (nothing does)."""
    offset = layout_log.stat().st_size
    collect = "UNWIND range(1, 100000000) AS x RETURN size(collect(x)) AS n"
    collected = _attempt(connection, collect, 10.0, 90)
    collect_pauses = _pauses(layout_log, offset)
    offset = layout_log.stat().st_size
    listed = _attempt(connection, "RETURN size([x IN range(1, 100000000) | x]) AS n", 10.0, 90)
    after = _attempt(connection, "RETURN 1 AS one", 10.0, 30)
    return {"collect": collected, "pauses during collect": collect_pauses,
            "list comprehension": listed, "pauses during it": _pauses(layout_log, offset),
            "RETURN 1 right after": after}  # fmt: skip


def _runaways(connection: Neo4jConnection, n: int = 2) -> None:
    for _ in range(n):
        _attempt(connection, REDUCE, None, 0.0)
    with open_driver(connection) as driver:
        deadline = time.monotonic() + 20
        while len(driver.execute_query(
            "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery STARTS WITH "
            "'RETURN size(reduce' RETURN 1", database_="neo4j",
        ).records) < n and time.monotonic() < deadline:  # fmt: skip
            time.sleep(0.2)


def stop(settings: Settings) -> dict[str, Any]:
    server.start_server(settings)
    connection = server.connection_for(settings)
    _runaways(connection)
    pid = server.server_status(settings).pid
    assert pid is not None
    started = time.monotonic()
    sigterm_alone = process.terminate(pid, 60.0)  # what the launcher used to do
    before = {"outcome": sigterm_alone, "seconds": round(time.monotonic() - started, 1)}
    settings = settings.model_copy(
        update={"neo4j_bolt_port": free_port(), "neo4j_http_port": free_port()}
    )
    server.start_server(settings)
    _runaways(server.connection_for(settings))
    started = time.monotonic()
    server.stop_server(settings)
    return {"SIGTERM alone (60 s limit)": before,
            "stop_server": {"seconds": round(time.monotonic() - started, 1)}}  # fmt: skip


@contextlib.contextmanager
def fresh_server(settings: Settings) -> Iterator[tuple[Neo4jConnection, int]]:
    """The probe's server started afresh (each probe leaves it in a state of its own), on
    ports picked now: the last ones may have been taken meanwhile."""
    try:
        status = server.start_server(settings)
        assert status.pid is not None
        yield server.connection_for(settings), status.pid
    finally:
        server.stop_server(settings)


def main() -> int:
    results: dict[str, Any] = {"machine": machine(), "load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="policykg-probe-") as state:
        settings = Settings.isolated(
            Path(state), free_port(), free_port(), heap="1g", tx_memory="64m"
        )
        debug_log = settings.neo4j_home / "logs" / "debug.log"

        def ports() -> Settings:
            return settings.model_copy(
                update={"neo4j_bolt_port": free_port(), "neo4j_http_port": free_port()}
            )

        with fresh_server(ports()) as (connection, _):
            results["parser"] = parser(connection)
        with fresh_server(ports()) as (connection, pid):
            results["expression"] = expression(connection, pid)
            results["rows"] = rows(connection)
        with fresh_server(ports()) as (connection, _):
            results["memory"] = memory(connection, debug_log)
        results["stop"] = stop(ports())
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
