"""The load benchmark's ``--profile``: where the project's load spends its time, and what
other batch sizes or commit patterns would change (see :func:`profile`)."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

from neo4j import Driver
from rdflib import Graph

from bench import measure
from bench.load_peers import Loader, clear, load_with_rdflib_neo4j, say
from graph import queries
from graph.mapping import Rows, mapping_and_rows
from graph.store import BATCH_SIZE, load_rows, node_rows, relationship_rows


def _timed(label: str, out: dict[str, float], fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = fn()
    out[label] = time.perf_counter() - started
    say(f"  profile: {label}: {out[label]:.1f} s")
    return value


def load_rows_per_batch(driver: Driver, database: str, rows: Rows, batch_size: int) -> None:
    """The project's statements, but each batch committed on its own (an experiment)."""
    for statement, all_rows in (
        (queries.CREATE_NODES, node_rows(rows)),
        (queries.CREATE_RELATIONSHIPS, relationship_rows(rows)),
    ):
        for start in range(0, len(all_rows), batch_size):
            batch = all_rows[start : start + batch_size]
            driver.execute_query(statement, rows=batch, database_=database)


def _operators(plan: Any) -> list[str]:
    """The operator names of an EXPLAIN plan, outermost first."""
    if not isinstance(plan, dict):
        return []
    names = [str(plan.get("operatorType", "?")).split("@")[0]]
    for child in plan.get("children", []):
        names += _operators(child)
    return names


def relationship_plan(driver: Driver, database: str) -> str:
    """The plan Neo4j picks for the loader's relationship statement (on the cleared database)."""
    with driver.session(database=database) as session:
        summary = session.run("EXPLAIN " + queries.CREATE_RELATIONSHIPS, rows=[]).consume()
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
    out["relationship_plan"] = relationship_plan(driver, database)

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
