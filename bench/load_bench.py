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
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver
from rdflib import Graph, Literal, URIRef
from rdflib_neo4j import (
    HANDLE_MULTIVAL_STRATEGY,
    HANDLE_VOCAB_URI_STRATEGY,
    Neo4jStore,
    Neo4jStoreConfig,
)

from bench import measure
from bench.synthetic import synthetic_graph
from graph import queries, server
from graph.mapping import Rows, mapping_and_rows
from graph.store import BATCH_SIZE, counts, ensure_schema, load_graph, load_rows, open_driver
from policykg.pipeline import read_inputs
from policykg.settings import Settings

log = logging.getLogger("bench.load")

REPO_ROOT = Path(__file__).resolve().parent.parent
BOLT_PORT = 27787
HTTP_PORT = 27574
LOADERS = ("policykg", "rdflib-neo4j")
WARMUP_TRIPLES = 50_000
# Deleting in batches keeps the clearing transaction small; not part of any measurement.
CLEAR_DATABASE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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


def benchmark_settings(
    state_dir: Path, bolt: int, http: int, heap: str, pagecache: str, tx_timeout: str
) -> Settings:
    """Settings of the benchmark's own managed server (every Neo4j value explicit)."""
    settings = Settings(
        state_dir=state_dir,
        neo4j_uri=None,
        neo4j_user="neo4j",
        neo4j_password=None,
        neo4j_database="neo4j",
        neo4j_bolt_port=bolt,
        neo4j_http_port=http,
        neo4j_heap=heap,
        neo4j_pagecache=pagecache,
        neo4j_tx_timeout=tx_timeout,
    )
    if settings.neo4j_uri is not None:  # NEO4J_URI from the environment must not leak in
        raise SystemExit("unset NEO4J_URI: the benchmark starts its own server")
    return settings


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


def clear(driver: Driver, database: str) -> None:
    """Delete everything (auto-commit, in batches), so every load starts from an empty graph.

    (Community Edition has no ``db.checkpoint()``; alternating the loaders' order spreads any
    background checkpoint over both.)
    """
    with driver.session(database=database) as session:
        session.run(CLEAR_DATABASE).consume()


def multivalued_predicates(graph: Graph) -> list[str]:
    """Predicates with more than one literal value on some subject."""
    seen = Counter((s, p) for s, p, o in graph if isinstance(o, Literal))
    return sorted({str(p) for (_, p), n in seen.items() if n > 1})


def rdflib_neo4j_config(graph: Graph, batch_size: int) -> Any:
    """A ``Neo4jStoreConfig`` that keeps every value of ``graph`` (see the module docstring)."""
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    multival = []
    for predicate in multivalued_predicates(graph):
        prefix, _, name = graph.namespace_manager.compute_qname(URIRef(predicate))
        prefixes.setdefault(prefix, predicate[: -len(name)])
        multival.append((prefix, name))
    return Neo4jStoreConfig(
        custom_prefixes=prefixes,
        batching=True,
        batch_size=batch_size,
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE,
        handle_multival_strategy=HANDLE_MULTIVAL_STRATEGY.ARRAY,
        multival_props_names=multival,
    )


def load_with_rdflib_neo4j(driver: Driver, graph: Graph, config: Any, *, send: bool = True) -> None:
    """Stream ``graph`` into Neo4j through rdflib-neo4j's store (its prints are swallowed).

    With ``send=False`` the store does all its Python work but sends no query.
    """
    with contextlib.redirect_stdout(io.StringIO()):
        store = Neo4jStore(config=config, neo4j_driver=driver)
        if not send:
            store._Neo4jStore__query_database = lambda query, params: None
        target = Graph(store=store)
        target += graph
        target.close(True)


Loader = Callable[[], None]


def project_loader(driver: Driver, database: str, graph: Graph, batch_size: int) -> Loader:
    """The project's whole load: mapping, rows, one transaction."""

    def load() -> None:
        load_graph(driver, database, graph, batch_size=batch_size)

    return load


def measure_load(
    name: str,
    repetition: int,
    load: Loader,
    driver: Driver,
    database: str,
    triples: int,
    server_pid: int,
) -> Run:
    """Clear the database, then time one load and read its memory and CPU figures."""
    clear(driver, database)
    gc.collect()
    load_average = os.getloadavg()[0]
    before = measure.rss()
    measure.reset_peak_rss()
    server_reset = measure.reset_peak_rss(server_pid)
    server_cpu_before = measure.cpu_seconds(server_pid)
    cpu_before = time.process_time()
    started = time.perf_counter()
    load()
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    server_cpu_after = measure.cpu_seconds(server_pid)
    python_peak = measure.python_peak_rss()
    server_peak = measure.peak_rss(server_pid) if server_reset else None
    nodes, relationships = counts(driver, database)
    return Run(
        loader=name,
        repetition=repetition,
        triples=triples,
        seconds=seconds,
        client_cpu=client_cpu,
        server_cpu=(
            server_cpu_after - server_cpu_before
            if server_cpu_after is not None and server_cpu_before is not None
            else None
        ),
        nodes=nodes,
        relationships=relationships,
        python_rss_before=before,
        python_peak_rss=python_peak,
        server_peak_rss=server_peak,
        load_average=load_average,
    )


def _timed(label: str, out: dict[str, float], fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = fn()
    out[label] = time.perf_counter() - started
    say(f"  profile: {label}: {out[label]:.1f} s")
    return value


def load_rows_per_batch(driver: Driver, database: str, rows: Rows, batch_size: int) -> None:
    """The project's statements, but each batch committed on its own (an experiment)."""
    for labels, node_rows in sorted(rows.nodes.items()):
        statement = queries.create_nodes(labels)
        for start in range(0, len(node_rows), batch_size):
            batch = node_rows[start : start + batch_size]
            driver.execute_query(statement, rows=batch, database_=database)
    for rel_type, rel_rows in sorted(rows.relationships.items()):
        statement = queries.create_relationships(rel_type)
        for start in range(0, len(rel_rows), batch_size):
            batch = rel_rows[start : start + batch_size]
            driver.execute_query(statement, rows=batch, database_=database)


def _operators(plan: Any) -> list[str]:
    """The operator names of an EXPLAIN plan, outermost first."""
    if not isinstance(plan, dict):
        return []
    names = [str(plan.get("operatorType", "?")).split("@")[0]]
    for child in plan.get("children", []):
        names += _operators(child)
    return names


def relationship_plan(driver: Driver, database: str, rows: Rows) -> str:
    """The plan Neo4j picks for the loader's relationship statement (on the cleared database)."""
    rel_type = sorted(rows.relationships)[0]
    statement = queries.create_relationships(rel_type)
    with driver.session(database=database) as session:
        summary = session.run("EXPLAIN " + statement, rows=[]).consume()
    return " ← ".join(_operators(summary.plan))


def profile(
    driver: Driver,
    database: str,
    graph: Graph,
    rdflib_config: Any,
    batch_sizes: Sequence[int],
    repeat: int,
    server_pid: int,
) -> dict[str, Any]:
    """Where the project's load spends its time, and what changes would change it.

    Every figure is a median over ``repeat`` runs; the database variants are alternated.

    * ``mapping_and_rows``: the Python-side row building, and its memory
      (``tracemalloc`` peak, measured in a separate untimed run);
    * ``load_rows`` with the prepared rows, split by its progress callback into node batches,
      relationship batches, and the tail (metadata node and commit), with the server's CPU;
    * the same rows with other batch sizes, and committed batch by batch (an experiment
      with the project's own statements, :func:`load_rows_per_batch`);
    * the plan of the relationship statement;
    * rdflib-neo4j's Python-side work alone (its queries not sent).
    """
    out: dict[str, Any] = {}
    times: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        times.setdefault(key, []).append(value)

    mapping, rows = mapping_and_rows(graph)
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        mapping, rows = mapping_and_rows(graph)
        add("python.mapping_and_rows", time.perf_counter() - started)
    say(f"  profile: mapping_and_rows {measure.median(times['python.mapping_and_rows']):.1f} s")
    gc.collect()
    tracemalloc.start()
    mapping_and_rows(graph)
    out["python.rows_traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / measure.MIB
    tracemalloc.stop()
    out["rows.nodes"] = rows.node_count()
    out["rows.relationships"] = rows.relationship_count()
    clear(driver, database)
    out["relationship_plan"] = relationship_plan(driver, database, rows)

    n_nodes = rows.node_count()

    def phased() -> None:
        marks: dict[str, float] = {}

        def progress(done: int, total: int) -> None:
            if done == n_nodes:
                marks["nodes"] = time.perf_counter()
            if done == total:
                marks["relationships"] = time.perf_counter()

        started = time.perf_counter()
        load_rows(driver, database, rows, mapping, triples=len(graph), progress=progress)
        ended = time.perf_counter()
        add("load_rows.nodes", marks["nodes"] - started)
        add("load_rows.relationships", marks["relationships"] - marks["nodes"])
        add("load_rows.meta_and_commit", ended - marks["relationships"])

    def sized(size: int) -> Loader:
        def run() -> None:
            load_rows(driver, database, rows, mapping, triples=len(graph), batch_size=size)

        return run

    variants: list[tuple[str, Loader]] = [(f"load_rows(batch_size={BATCH_SIZE})", phased)]
    variants += [(f"load_rows(batch_size={size})", sized(size)) for size in batch_sizes]
    variants.append(
        (
            f"per-batch commits(batch_size={BATCH_SIZE})",
            lambda: load_rows_per_batch(driver, database, rows, BATCH_SIZE),
        )
    )
    for rep in range(repeat):
        shift = rep % len(variants)
        for name, run in variants[shift:] + variants[:shift]:
            clear(driver, database)
            gc.collect()
            server_cpu = measure.cpu_seconds(server_pid)
            started = time.perf_counter()
            run()
            add(name, time.perf_counter() - started)
            after = measure.cpu_seconds(server_pid)
            if server_cpu is not None and after is not None:
                add(name + " server CPU", after - server_cpu)
            say(f"  profile {rep + 1}/{repeat}: {name}: {times[name][-1]:.1f} s")
    for _ in range(repeat):
        clear(driver, database)
        started = time.perf_counter()
        load_with_rdflib_neo4j(driver, graph, rdflib_config, send=False)
        add("rdflib-neo4j python side only", time.perf_counter() - started)
    clear(driver, database)
    out.update({key: measure.median(values) for key, values in times.items()})
    return out


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
    if len(medians) == 2:
        ratio = medians["policykg"] / medians["rdflib-neo4j"]
        print(f"ratio policykg / rdflib-neo4j (median rates): {ratio:.2f}×")
        paired = []
        for rep in sorted({r.repetition for r in results.runs}):
            by = {r.loader: r for r in results.runs if r.repetition == rep}
            if len(by) == 2:
                paired.append(by["policykg"].rate / by["rdflib-neo4j"].rate)
        if paired:
            shown = ", ".join(f"{p:.2f}" for p in paired)
            print(
                f"ratio within each repetition (back-to-back loads): {shown}; "
                f"median {measure.median(paired):.2f}×"
            )
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
    settings = benchmark_settings(
        state_dir, args.bolt_port, args.http_port, args.heap, args.pagecache, args.tx_timeout
    )
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
            results.neo4j_version = server.query_server_version(conn)[0]
            driver = open_driver(conn)
            try:
                ensure_schema(driver, conn.database)
                if warm is not None:
                    say(f"warm-up: loading {len(warm):,} triples with both loaders …")
                    clear(driver, conn.database)
                    load_graph(driver, conn.database, warm)
                    clear(driver, conn.database)
                    load_with_rdflib_neo4j(driver, warm, rdflib_neo4j_config(warm, BATCH_SIZE))
                loaders: dict[str, Loader] = {
                    "policykg": project_loader(driver, conn.database, graph, args.batch_size),
                    "rdflib-neo4j": lambda: load_with_rdflib_neo4j(driver, graph, rdflib_config),
                }
                for rep in range(1, args.repeat + 1):
                    order = list(args.loaders) if rep % 2 else list(reversed(args.loaders))
                    for name in order:
                        say(f"repetition {rep}/{args.repeat}: {name}, {len(graph):,} triples …")
                        run = measure_load(
                            name, rep, loaders[name], driver, conn.database, len(graph), pid
                        )
                        results.runs.append(run)
                        say(
                            f"  {run.seconds:.1f} s, {run.rate:,.0f} triples/s, "
                            f"{run.nodes:,} nodes, {run.relationships:,} relationships"
                        )
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
