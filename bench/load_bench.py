"""Load benchmark: the project's loader against rdflib-neo4j, same triples, same server.

Starts a managed Neo4j of its own (temporary state folder, bolt 27787 / HTTP 27574 by
default), builds a synthetic graph of ``--triples`` triples (:mod:`bench.synthetic`), and
loads it ``--repeat`` times with each loader, alternating which goes first, clearing the
database before every load:

* ``policykg``: :func:`graph.store.load_graph` (mapping, rows, then one transaction of
  ``UNWIND`` batches);
* ``rdflib-neo4j``: ``Neo4jStore`` 1.1 with batching on (its default batch of 5,000), fed
  the same in-memory graph. Labels and property names are local names
  (``HANDLE_VOCAB_URI_STRATEGY.IGNORE``, so the project's indexes apply to its nodes too),
  and predicates with several values on one subject are arrays
  (``HANDLE_MULTIVAL_STRATEGY.ARRAY``), so it keeps every value as the project's loader
  does (it drops language tags, which the project keeps).

Before the measured loads both loaders load a smaller synthetic graph (a tenth of the size,
at least 50,000 triples) once, untimed: a cold JVM runs the first load several times slower.
Every load reports wall time, triples per second, this process's CPU time and the server's
CPU time (``/proc/<pid>/stat``), this process's peak RSS (``getrusage``, reset
before each load) and the server's peak RSS (``VmHWM`` of the JVM, reset before each load;
the JVM pre-touches its whole heap, so this is mostly heap plus page cache in use).
``--profile`` then breaks the project's loader down (see :func:`profile`).

Run from the repository root::

    .venv/bin/python -m bench.load_bench --triples 500000 --repeat 3 --profile
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver
from rdflib import Graph

from bench import measure
from bench.load_peers import (
    Loader,
    clear,
    load_with_rdflib_neo4j,
    rdflib_neo4j_config,
    say,
)
from bench.load_profile import profile
from bench.synthetic_graph import synthetic_graph
from core.settings import Settings
from graph import bulk_import, server
from graph.connection import open_driver
from graph.mapping import mapping_and_rows
from graph.rows_file import read_rows, write_rows
from graph.server.readiness import query_server_version
from graph.store import BATCH_SIZE, counts, ensure_schema, load_graph, load_rows
from policykg.pipeline import read_inputs

log = logging.getLogger("bench.load")

REPO_ROOT = Path(__file__).resolve().parent.parent
BOLT_PORT = 27787
HTTP_PORT = 27574
LOADERS = ("policykg", "policykg-rows", "rdflib-neo4j", "neo4j-admin")
#: The ratios printed: each loader's median rate against another's.
RATIOS = (
    ("policykg", "rdflib-neo4j"),
    ("policykg-rows", "rdflib-neo4j"),
    ("neo4j-admin", "policykg"),
    ("neo4j-admin", "policykg-rows"),
)
WARMUP_TRIPLES = 50_000


@dataclass
class Run:
    """One measured load."""

    loader: str
    repetition: int
    triples: int
    seconds: float
    client_cpu: float
    server_cpu: float | None
    nodes: int
    relationships: int
    python_rss_before: int | None
    python_peak_rss: int
    server_peak_rss: int | None
    load_average: float  # the machine's 1-minute load average just before the load
    tool_seconds: float | None = None  # neo4j-admin: the import tool's own run

    @property
    def rate(self) -> float:
        return self.triples / self.seconds


@dataclass
class Results:
    triples: int
    synthetic_seconds: float
    settings: dict[str, str]
    runs: list[Run] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)
    neo4j_version: str = ""
    revision: str = ""


@contextlib.contextmanager
def managed_server(settings: Settings) -> Iterator[int]:
    """Start the benchmark's server, yield its pid, and always stop it."""
    try:
        status = server.start_server(settings)
        if status.pid is None:
            raise SystemExit(f"the benchmark server reports no pid: {status.message}")
        yield status.pid
    finally:
        server.stop_server(settings)


def project_loader(driver: Driver, database: str, graph: Graph, batch_size: int) -> Loader:
    """The project's whole load from the graph in memory: mapping, rows, one transaction."""

    def load() -> None:
        load_graph(driver, database, graph, batch_size=batch_size)

    return load


def rows_file_loader(driver: Driver, database: str, rows_file: Path, batch_size: int) -> Loader:
    """The load ``policykg load`` runs: the build's rows file read back, one transaction."""

    def load() -> None:
        read = read_rows(rows_file)
        load_rows(
            driver, database, read.rows, read.mapping, triples=read.triples, batch_size=batch_size
        )

    return load


def rdflib_neo4j_loader(driver: Driver, graph: Graph, config: Any) -> Loader:
    """rdflib-neo4j's load of the graph in memory."""

    def load() -> None:
        load_with_rdflib_neo4j(driver, graph, config)

    return load


class OfflineImport:
    """``policykg load --offline`` from the rows file: CSV files, neo4j-admin, the swap, the
    restart, the indexes online; the import tool's own time is kept apart."""

    def __init__(self, settings: Settings, rows_file: Path):
        self.settings, self.rows_file = settings, rows_file
        self.tool_seconds: float | None = None

    def __call__(self) -> None:
        real = bulk_import.run_import

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.tool_seconds = time.perf_counter() - started

        read = read_rows(self.rows_file)
        bulk_import.run_import = timed
        try:
            bulk_import.import_offline(self.settings, read.rows, read.mapping, triples=read.triples)
        finally:
            bulk_import.run_import = real


def server_pid(settings: Settings) -> int:
    """The benchmark server's pid (the offline import restarts it)."""
    pid = server.server_status(settings).pid
    if pid is None:
        raise SystemExit("the benchmark server is not running")
    return pid


def measure_load(
    name: str,
    repetition: int,
    load: Loader,
    driver: Driver,
    database: str,
    triples: int,
    settings: Settings,
) -> Run:
    """Clear the database, then time one load and read its memory and CPU figures.

    The server's CPU is the server process's, plus the import tool's (a child of this
    process) for the offline import, whose server is a new process afterwards.
    """
    offline = isinstance(load, OfflineImport)
    if not offline:  # the offline import replaces the whole store
        clear(driver, database)
    gc.collect()
    pid = server_pid(settings)
    load_average = os.getloadavg()[0]
    before = measure.rss()
    measure.reset_peak_rss()
    server_reset = measure.reset_peak_rss(pid)
    server_cpu_before = measure.cpu_seconds(pid)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = time.process_time()
    started = time.perf_counter()
    load()
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    tool_cpu = (children.ru_utime + children.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    server_cpu_after = measure.cpu_seconds(pid)
    python_peak = measure.python_peak_rss()
    server_peak = measure.peak_rss(pid) if server_reset else None
    server_cpu = (
        server_cpu_after - server_cpu_before
        if server_cpu_after is not None and server_cpu_before is not None
        else None
    )
    if offline:  # the server was replaced: count the tool instead
        server_cpu, server_peak = tool_cpu, None
        # and the driver's bookmarks name transactions the new store never had
        with open_driver(server.connection_for(settings)) as fresh:
            nodes, relationships = counts(fresh, database)
    else:
        nodes, relationships = counts(driver, database)
    return Run(
        loader=name,
        repetition=repetition,
        triples=triples,
        seconds=seconds,
        client_cpu=client_cpu,
        server_cpu=server_cpu,
        nodes=nodes,
        relationships=relationships,
        python_rss_before=before,
        python_peak_rss=python_peak,
        server_peak_rss=server_peak,
        load_average=load_average,
        tool_seconds=load.tool_seconds if isinstance(load, OfflineImport) else None,
    )


def print_summary(results: Results) -> None:
    triples = results.triples
    print(f"\nGraph: {triples:,} triples (synthetic, built in {results.synthetic_seconds:.1f} s)")
    print(f"Neo4j {results.neo4j_version}; {results.settings}; code {results.revision}")
    print(
        f"{'loader':<13} {'rep':>3} {'seconds':>8} {'triples/s':>10} {'client CPU':>10} "
        f"{'server CPU':>10} {'nodes':>7} {'rels':>8} {'py peak':>9} {'Δ py':>7} "
        f"{'neo4j peak':>10} {'load avg':>8}"
    )
    for r in results.runs:
        delta = r.python_peak_rss - (r.python_rss_before or 0)
        server_cpu = f"{r.server_cpu:.1f}" if r.server_cpu is not None else "n/a"
        print(
            f"{r.loader:<13} {r.repetition:>3} {r.seconds:>8.1f} {r.rate:>10,.0f} "
            f"{r.client_cpu:>10.1f} {server_cpu:>10} {r.nodes:>7,} {r.relationships:>8,} "
            f"{measure.mib(r.python_peak_rss):>9} {measure.mib(delta):>7} "
            f"{measure.mib(r.server_peak_rss):>10} {r.load_average:>8.1f}"
        )
    medians = {}
    for name in LOADERS:
        runs = [r for r in results.runs if r.loader == name]
        if not runs:
            continue
        medians[name] = measure.median([r.rate for r in runs])
        print(
            f"median {name}: {medians[name]:,.0f} triples/s "
            f"({measure.median([r.seconds for r in runs]):.1f} s; client CPU "
            f"{measure.median([r.client_cpu for r in runs]):.1f} s, server CPU "
            f"{measure.median([r.server_cpu or 0.0 for r in runs]):.1f} s); peak RSS: python "
            f"{measure.mib(max(r.python_peak_rss for r in runs))}, neo4j "
            f"{measure.mib(max((r.server_peak_rss or 0) for r in runs) or None)}"
        )
    for a, b in RATIOS:
        if a not in medians or b not in medians:
            continue
        print(f"ratio {a} / {b} (median rates): {medians[a] / medians[b]:.2f}×")
        paired = []
        for rep in sorted({r.repetition for r in results.runs}):
            by = {r.loader: r for r in results.runs if r.repetition == rep}
            if a in by and b in by:
                paired.append(by[a].rate / by[b].rate)
        if paired:
            shown = ", ".join(f"{p:.2f}" for p in paired)
            print(f"  within each repetition: {shown}; median {measure.median(paired):.2f}×")
    tools = [r.tool_seconds for r in results.runs if r.tool_seconds is not None]
    if tools:
        print(f"neo4j-admin import tool alone: median {measure.median(tools):.1f} s")
    if results.profile:
        print("profile (medians; seconds unless named otherwise):")
        for key, value in results.profile.items():
            shown = f"{value:,.1f}" if isinstance(value, float | int) else str(value)
            print(f"  {key}: {shown}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load_bench",
        description="Load the same synthetic graph with the project's loader and with "
        "rdflib-neo4j into a Neo4j started for the benchmark; report rates, ratio and memory.",
    )
    parser.add_argument("--triples", type=int, default=500_000, help="graph size (500000)")
    parser.add_argument("--repeat", type=int, default=3, help="loads per loader (3)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed (0)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="both loaders (5000)")
    parser.add_argument("--loaders", nargs="+", choices=LOADERS, default=list(LOADERS))
    parser.add_argument("--bolt-port", type=int, default=BOLT_PORT)
    parser.add_argument("--http-port", type=int, default=HTTP_PORT)
    parser.add_argument("--heap", default="2g", help="Neo4j heap (project default 2g)")
    parser.add_argument("--pagecache", default="1g", help="Neo4j page cache (default 1g)")
    parser.add_argument(
        "--tx-timeout",
        default="600s",
        help="Neo4j transaction timeout (600s; the project's default 120s could cut a slow "
        "one-transaction load short, and the benchmark wants the time, not the timeout)",
    )
    parser.add_argument("--state-dir", type=Path, help="server state folder (a new temp folder)")
    parser.add_argument("--keep-state", action="store_true", help="keep the state folder")
    parser.add_argument("--no-warmup", action="store_true", help="skip the warm-up loads")
    parser.add_argument("--profile", action="store_true", help="break the project's load down")
    parser.add_argument(
        "--profile-batch-sizes",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=[1000, 20000],
        help="other batch sizes for load_rows in --profile (1000,20000)",
    )
    parser.add_argument(
        "--profile-repeat", type=int, default=3, help="runs per --profile figure (3)"
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("graph.server").setLevel(logging.INFO)

    say("reading the real corpus …")
    inputs = read_inputs(Settings())
    started = time.perf_counter()
    graph = synthetic_graph(inputs, args.triples, seed=args.seed, report=say)
    synthetic_seconds = time.perf_counter() - started
    rdflib_config = rdflib_neo4j_config(graph, args.batch_size)
    warm = None
    if not args.no_warmup:
        warm_size = max(WARMUP_TRIPLES, args.triples // 10)
        warm = synthetic_graph(inputs, warm_size, seed=args.seed + 1, report=say)

    state_dir = args.state_dir or Path(tempfile.mkdtemp(prefix="policykg-load-bench-"))
    settings = Settings.isolated(
        state_dir, args.bolt_port, args.http_port,
        heap=args.heap, pagecache=args.pagecache, tx_timeout=args.tx_timeout,
    )  # fmt: skip
    results = Results(
        revision=measure.git_revision(REPO_ROOT, ("graph", "ontology", "loaders", "align")),
        triples=len(graph),
        synthetic_seconds=synthetic_seconds,
        settings={
            "heap": args.heap,
            "pagecache": args.pagecache,
            "tx_timeout": args.tx_timeout,
            "batch_size": str(args.batch_size),
            "bolt_port": str(args.bolt_port),
        },
    )
    try:
        with managed_server(settings) as pid:
            conn = server.connection_for(settings)
            results.neo4j_version = query_server_version(conn)[0]
            driver = open_driver(conn)
            try:
                ensure_schema(driver, conn.database)
                rows_file = state_dir / "neo4j-rows.json"
                write_rows(rows_file, *mapping_and_rows(graph), len(graph))
                if warm is not None:
                    say(f"warm-up: loading {len(warm):,} triples with both loaders …")
                    clear(driver, conn.database)
                    load_graph(driver, conn.database, warm)
                    clear(driver, conn.database)
                    load_with_rdflib_neo4j(driver, warm, rdflib_neo4j_config(warm, BATCH_SIZE))
                for rep in range(1, args.repeat + 1):
                    loaders: dict[str, Loader] = {
                        "policykg": project_loader(driver, conn.database, graph, args.batch_size),
                        "policykg-rows": rows_file_loader(
                            driver, conn.database, rows_file, args.batch_size
                        ),
                        "rdflib-neo4j": rdflib_neo4j_loader(driver, graph, rdflib_config),
                        "neo4j-admin": OfflineImport(settings, rows_file),
                    }
                    online = [n for n in args.loaders if n != "neo4j-admin"]
                    order = online if rep % 2 else list(reversed(online))
                    # the offline import goes last: it replaces the store under the driver,
                    # whose bookmarks then name transactions the new store never had
                    order += [n for n in args.loaders if n == "neo4j-admin"]
                    for name in order:
                        say(f"repetition {rep}/{args.repeat}: {name}, {len(graph):,} triples …")
                        run = measure_load(
                            name, rep, loaders[name], driver, conn.database, len(graph), settings
                        )
                        results.runs.append(run)
                        say(
                            f"  {run.seconds:.1f} s, {run.rate:,.0f} triples/s, "
                            f"{run.nodes:,} nodes, {run.relationships:,} relationships"
                        )
                    if "neo4j-admin" in order:
                        driver.close()
                        driver = open_driver(conn)
                pid = server_pid(settings)
                if args.profile:
                    say("profiling the project's loader …")
                    results.profile = profile(
                        driver,
                        conn.database,
                        graph,
                        rdflib_config,
                        args.profile_batch_sizes,
                        args.profile_repeat,
                        pid,
                    )
                clear(driver, conn.database)
            finally:
                driver.close()
    finally:
        if not args.keep_state and args.state_dir is None:
            shutil.rmtree(state_dir, ignore_errors=True)
    print_summary(results)
    if args.json:
        data = asdict(results)
        data["machine"] = measure.machine()
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
