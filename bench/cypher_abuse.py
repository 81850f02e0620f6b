"""Hostile load on ``POST /cypher`` while a reader keeps asking for items, and what it did.

One scenario, used at small scale by the test suite
(``tests/integration/test_api_hostile_load.py``) and at full scale by
:mod:`bench.cypher_abuse_bench`: ``clients`` concurrent clients (in a process of their own)
send the abusive requests of :data:`ABUSES` — every reproduction of the reliability issue
and more — as fast as they are answered, for ``seconds``, while one client reads item
details (and ``/health``) in a loop, every path read once before. Meanwhile the server's
researcher transactions (tagged by the API) are sampled every 0.2 s to see how long each
lived, and the API process's RSS is sampled too.

Loopback only: the API is served by a child process on 127.0.0.1
(:func:`api_process`); nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.cypher.service import METADATA_KEY
from bench.measure import rss
from core.settings import Settings
from graph.connection import Neo4jConnection, open_driver

REPO = Path(__file__).resolve().parent.parent

ABUSES: dict[str, dict[str, Any] | bytes] = {
    # 1: expression work Neo4j cannot interrupt
    "reduce-strings": {
        "query": "RETURN size(reduce(s = '', x IN range(1, 10000000) | s + 'xxxxxxxxxx')) AS n"
    },
    # 2: a list that would exhaust the heap
    "range-list": {"query": "RETURN size([x IN range(1, 100000000) | x]) AS n"},
    # 3: errors that were bare 500s
    "all-shortest-paths": {"query": "MATCH p = allShortestPaths((a)-[*]-(b)) RETURN count(p)"},
    "collect-memory": {
        "query": "MATCH (a), (b), (c) RETURN size(collect(a.uri + b.uri + c.uri)) AS n"
    },
    # 4: nesting that overflows Neo4j's parser
    "nested-500": {"query": "RETURN " + "(" * 500 + "1" + ")" * 500 + " AS n"},
    # 5: a query that runs into the time limit
    "var-length-count": {"query": "MATCH p = ()-[*]-() RETURN count(p)"},
    # 6: rows of 32 MB, and a result over the byte limit
    "doubling-rows": {
        "query": "UNWIND range(1, 8) AS i RETURN reduce(s = 'x', j IN range(1, 25) | s + s) AS r"
    },
    "wide-rows": {
        "query": "UNWIND range(1, 200) AS i MATCH (n:Item) "
        "RETURN n.textSimplified + n.textSimplified AS t"
    },
    # 7: a message that says "terminated"
    "fulltext-unterminated": {
        "query": "CALL db.index.fulltext.queryNodes('item_text', '\"unterminated') "
        "YIELD node RETURN count(node) AS n"
    },
    # 8: oversized requests, JSON that is not strict
    "huge-parameters": {"query": "RETURN size($p) AS n", "parameters": {"p": "x" * 100_000}},
    "huge-body": b'{"query": "RETURN 1", "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}',
    "nan": b'{"query": "RETURN $x", "parameters": {"x": NaN}}',
    # 11: planner options
    "planner-debug": {"query": "CYPHER debug=ast RETURN 1 AS one"},
    "replan": {"query": "CYPHER replan=force MATCH (n) RETURN count(n) AS n"},
}


@dataclass
class Outcome:
    """What the hostile clients got: answers by kind and status, and the bad ones."""

    answers: Counter[str] = field(default_factory=Counter)
    slowest_s: float = 0.0
    bad: list[str] = field(default_factory=list)  # 500s, non-problem errors, failures

    def to_json(self) -> str:
        return json.dumps({"answers": self.answers, "slowest_s": self.slowest_s,
                           "bad": self.bad})  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = json.loads(text)
        return cls(Counter(data["answers"]), data["slowest_s"], data["bad"])

    def record(self, name: str, status: int, seconds: float, problem: bool) -> None:
        self.answers[f"{name} {status}"] += 1
        self.slowest_s = max(self.slowest_s, seconds)
        if (status >= 500 and status != 503) or (status >= 400 and not problem):
            self.bad.append(f"{name}: {status} (problem details: {problem})")


@dataclass
class Report:
    clients: int
    seconds: float
    timeout_s: float
    hostile: Outcome
    reads: list[float]  # seconds of each detail read
    read_failures: list[str]
    overrun_s: float  # how long the longest-lived researcher transaction outlived its limit
    transactions_seen: int
    rss_bytes: list[int]

    def percentile(self, q: float) -> float:
        ordered = sorted(self.reads)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "clients": self.clients,
            "seconds": self.seconds,
            "cypher_timeout_s": self.timeout_s,
            "hostile_requests": sum(self.hostile.answers.values()),
            "hostile_answers": dict(sorted(self.hostile.answers.items())),
            "hostile_slowest_s": round(self.hostile.slowest_s, 3),
            "hostile_bad": self.hostile.bad[:20],
            "reads": len(self.reads),
            "read_failures": self.read_failures[:20],
            "read_p50_ms": round(self.percentile(0.50) * 1000, 1),
            "read_p99_ms": round(self.percentile(0.99) * 1000, 1),
            "read_max_ms": round(max(self.reads, default=0.0) * 1000, 1),
            "transaction_overrun_s": round(self.overrun_s, 2),
            "researcher_transactions_seen": self.transactions_seen,
            "api_rss_max_mib": round(max(self.rss_bytes, default=0) / 2**20, 1),
            "api_rss_first_mib": round((self.rss_bytes or [0])[0] / 2**20, 1),
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def api_process(settings: Settings, **env_settings: str) -> Iterator[tuple[str, int]]:
    """The API over ``settings``' managed server, as a child process on 127.0.0.1, with more
    settings as ``POLICYKG_*`` variables (``cypher_timeout_s="3"``); (url, pid)."""
    port = free_port()
    env = {
        **os.environ,
        "POLICYKG_STATE_DIR": str(settings.state_dir),
        "POLICYKG_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "POLICYKG_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
        "POLICYKG_NEO4J_DATABASE": settings.neo4j_database,
        **{f"POLICYKG_{k.upper()}": v for k, v in env_settings.items()},
    }
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        env.pop(name, None)
    command = [
        sys.executable, "-m", "uvicorn", "api.main:create_app_from_environment", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the API did not come up on {url}")
            time.sleep(0.3)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _body(abuse: dict[str, Any] | bytes) -> dict[str, Any]:
    if isinstance(abuse, bytes):
        return {"content": abuse, "headers": {"content-type": "application/json"}}
    return {"json": abuse}


def hostile_clients(
    url: str, clients: int, seconds: float, timeout_s: float, kinds: Sequence[str]
) -> Outcome:
    """``clients`` hostile clients sending ``kinds`` of :data:`ABUSES` for ``seconds``."""
    outcome = Outcome()

    async def all_of_them() -> None:
        stop_at = time.monotonic() + seconds
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=url, timeout=timeout_s + 30, limits=limits) as client:
            await asyncio.gather(
                *(_hostile(client, kinds, seed, stop_at, outcome) for seed in range(clients))
            )

    asyncio.run(all_of_them())
    return outcome


def _hostile_process(
    url: str, clients: int, seconds: float, timeout_s: float, kinds: Sequence[str]
) -> subprocess.Popen[str]:
    """:func:`hostile_clients` in a child process (``python -m bench.cypher_abuse``), so that
    their work on this side does not slow the reader being measured."""
    command = [
        sys.executable, "-m", "bench.cypher_abuse", url, str(clients), str(seconds),
        str(timeout_s), ",".join(kinds),
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)


async def _hostile(
    client: httpx.AsyncClient, kinds: Sequence[str], seed: int, stop_at: float, outcome: Outcome
) -> None:
    names = list(kinds)
    rng = random.Random(seed)
    while time.monotonic() < stop_at:
        name = rng.choice(names)
        started = time.monotonic()
        try:
            response = await client.post("/cypher", **_body(ABUSES[name]))
        except httpx.HTTPError as e:
            outcome.bad.append(f"{name}: {type(e).__name__}")
            continue
        seconds = time.monotonic() - started
        problem = response.headers.get("content-type", "").startswith("application/problem")
        outcome.record(name, response.status_code, seconds, problem)  # and on: no back-off


def _reader(
    client: httpx.Client, paths: list[str], stop_at: float, reads: list[float],
    failures: list[str],
) -> None:  # fmt: skip
    i = 0
    while time.monotonic() < stop_at:
        path = paths[i % len(paths)]
        i += 1
        started = time.monotonic()
        try:
            response = client.get(path)
        except httpx.HTTPError as e:
            failures.append(f"{path}: {type(e).__name__}")
            continue
        if path != "/health":
            reads.append(time.monotonic() - started)
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")


class _Sampler(threading.Thread):
    """Samples the researcher transactions on the server, and the API's RSS, every 0.2 s."""

    def __init__(self, connection: Neo4jConnection, api_pid: int):
        super().__init__(daemon=True)
        self.connection = connection
        self.api_pid = api_pid
        self.stop = threading.Event()
        self.lives: dict[str, tuple[float, float]] = {}  # ticket → (start, last seen)
        self.rss: list[int] = []

    def run(self) -> None:
        query = (
            "SHOW TRANSACTIONS YIELD metaData, elapsedTime "
            f"WHERE metaData.{METADATA_KEY} IS NOT NULL "
            f"RETURN metaData.{METADATA_KEY} AS ticket, elapsedTime.milliseconds AS ms"
        )
        with open_driver(self.connection, pool_size=1) as driver:
            while not self.stop.wait(0.2):
                records, _, _ = driver.execute_query(query, database_=self.connection.database)
                now = time.monotonic()
                for r in records:
                    start = now - r["ms"] / 1000
                    first, _ = self.lives.get(r["ticket"], (start, now))
                    self.lives[r["ticket"]] = (min(first, start), now)
                size = rss(self.api_pid)
                if size is not None:
                    self.rss.append(size)


def detail_paths(url: str) -> list[str]:
    """Every measure's and task's detail, and /health now and then, each read once."""
    with httpx.Client(base_url=url, timeout=60) as client:
        ids = [i["id"] for kind in ("measures", "tasks")
               for i in client.get(f"/{kind}", params={"limit": 500}).json()["data"]]  # fmt: skip
        paths: list[str] = []
        for n, ident in enumerate(ids, start=1):
            paths.append(f"/{'measures' if '-m' in ident else 'tasks'}/{ident}")
            if n % 10 == 0:
                paths.append("/health")
        for path in paths:  # the first read of each compiles its Cypher in Neo4j
            client.get(path).raise_for_status()
    return paths


def run_abuse(
    url: str,
    api_pid: int,
    connection: Neo4jConnection,
    *,
    clients: int,
    seconds: float,
    timeout_s: float,
    kinds: Sequence[str] = tuple(ABUSES),
) -> Report:
    """The scenario (module docstring) against the API at ``url`` (process ``api_pid``)."""
    paths = detail_paths(url)
    sampler = _Sampler(connection, api_pid)
    sampler.start()
    reads: list[float] = []
    failures: list[str] = []
    hostile = _hostile_process(url, clients, seconds, timeout_s, kinds)
    try:
        with httpx.Client(base_url=url, timeout=timeout_s + 30) as reader:
            _reader(reader, paths, time.monotonic() + seconds, reads, failures)
        out, _ = hostile.communicate(timeout=seconds + timeout_s + 120)
        outcome = Outcome.from_json(out)
        time.sleep(timeout_s + 3)  # let the last transactions end, and be seen ending
    finally:
        if hostile.poll() is None:
            hostile.kill()
            hostile.wait(timeout=10)
        sampler.stop.set()
        sampler.join(timeout=30)
    overrun = max((last - first - timeout_s for first, last in sampler.lives.values()), default=0)
    return Report(
        clients=clients, seconds=seconds, timeout_s=timeout_s, hostile=outcome, reads=reads,
        read_failures=failures, overrun_s=max(overrun, 0.0),
        transactions_seen=len(sampler.lives), rss_bytes=sampler.rss,
    )  # fmt: skip


if __name__ == "__main__":  # the hostile clients' process: url clients seconds timeout kinds
    url_, clients_, seconds_, timeout_, kinds_ = sys.argv[1:6]
    done = hostile_clients(url_, int(clients_), float(seconds_), float(timeout_), kinds_.split(","))
    print(done.to_json())
