"""The real graph: how fast the managed Neo4j starts, and how long ``policykg load`` takes,
right after a start and warm, phase by phase.

Runs against a managed Neo4j of its own (a temporary state folder, bolt 27987 / HTTP
27974), with the real corpus built once into that folder's build folder.

* **start**: ``--repeat`` times, alternating, the server is stopped and started with the
  heap and page cache sized to the graph (the default, ``auto``) and with ``--compare-heap``
  / ``--compare-pagecache`` (2g / 1g, the former defaults); the time of
  ``graph.server.start_server`` until the server answers, and the CPU seconds the JVM had
  used by then.
* **load**: the database is made to hold another build (its meta node's build key is
  changed, so the next load is not skipped), then ``policykg load`` runs as a user runs it,
  in a fresh process: once right after a start (``first``) and then ``--repeat`` times on the
  running server (``warm``). Each reports the command's wall time and, from a second fresh
  process that runs the same pipeline with its steps timed, its phases: start-up and
  imports, the build key, reaching the server, reading the graph version and the rows,
  the schema check, the load transaction (``graph.store.load_rows``' own time), the counts.

The server is always stopped at the end and the folder deleted (``--keep-state`` keeps it).

Run from the repository root::

    .venv/bin/python -m bench.real_load_bench --repeat 5 --json bench/results/real-load.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import measure

REPO_ROOT = Path(__file__).resolve().parent.parent
BOLT_PORT, HTTP_PORT = 27987, 27974
INVALIDATE = "MATCH (m:_GraphMeta {key: 'graph'}) SET m.buildDigest = 'another build'"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(state_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYKG_", "NEO4J_"))}
    env.update(
        POLICYKG_STATE_DIR=str(state_dir),
        POLICYKG_NEO4J_BOLT_PORT=str(BOLT_PORT),
        POLICYKG_NEO4J_HTTP_PORT=str(HTTP_PORT),
    )
    return env


def _timed(module: Any, name: str, label: str, phases: dict[str, float]) -> None:
    """Count the time spent in ``module.name`` under ``label``."""
    real = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            phases[label] = phases.get(label, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def child() -> None:
    """One ``policykg load`` as the command runs it, phase by phase (JSON on stdout)."""
    started = time.perf_counter()
    from core.settings import load_settings
    from graph import rows_file, server, store
    from policykg import build_record, pipeline

    phases: dict[str, float] = {"start-up and imports": time.perf_counter() - started}
    _timed(build_record, "build_key", "build key", phases)
    _timed(pipeline, "build_key", "build key", phases)
    _timed(server, "ensure_running", "reach the server", phases)
    _timed(store, "read_meta", "read the graph version", phases)
    _timed(rows_file, "read_rows", "read the rows file", phases)
    _timed(store, "ensure_schema", "check the schema", phases)
    _timed(store, "counts", "count", phases)
    settings = load_settings()
    t = time.perf_counter()
    built, loaded = pipeline.build_start_and_load(settings)
    phases["whole job"] = time.perf_counter() - t
    result = loaded.result
    phases["load transaction"] = result.seconds if result is not None else 0.0
    print(json.dumps({"reused": built.reused, "skipped": result is None, "phases": phases}))


@dataclass
class LoadRun:
    kind: str  # first (right after a start) or warm
    wall: float
    command_reported: str
    phases: dict[str, float]
    load_average: float


@dataclass
class Results:
    revision: str
    starts: list[dict[str, Any]] = field(default_factory=list)
    loads: list[LoadRun] = field(default_factory=list)


def _cypher(settings: Any, statement: str) -> None:
    from graph import server
    from graph.connection import open_driver

    with open_driver(server.connection_for(settings)) as driver:
        driver.execute_query(statement, database_=settings.neo4j_database)


def _policykg_load(env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "policykg"), "load"],
        env=env | {"COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    said = " ".join(line for line in done.stderr.splitlines() if line.startswith("Loaded"))
    return wall, said


def _phases(env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.real_load_bench", "--child"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if not report["reused"] or report["skipped"]:
        raise SystemExit(f"the build was not reused, or the load was skipped: {report}")
    phases: dict[str, float] = report["phases"]
    return phases


def load_run(kind: str, settings: Any, env: dict[str, str]) -> LoadRun:
    load_average = os.getloadavg()[0]
    _cypher(settings, INVALIDATE)
    wall, said = _policykg_load(env)
    _cypher(settings, INVALIDATE)
    phases = _phases(env)
    return LoadRun(kind, wall, said, phases, load_average)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.real_load_bench",
        description="Neo4j's start and policykg load's phases on the real graph.",
    )
    parser.add_argument("--repeat", type=int, default=5, help="starts and warm loads (5)")
    parser.add_argument("--compare-heap", default="2g", help="heap to compare with (2g)")
    parser.add_argument("--compare-pagecache", default="1g", help="page cache (1g)")
    parser.add_argument("--keep-state", action="store_true", help="keep the state folder")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child()
        return 0

    from core.settings import Settings
    from graph import server
    from policykg import pipeline

    state_dir = Path(tempfile.mkdtemp(prefix="policykg-real-load-bench-"))
    env = environment(state_dir)
    base = Settings(
        state_dir=state_dir,
        neo4j_uri=None,
        neo4j_bolt_port=BOLT_PORT,
        neo4j_http_port=HTTP_PORT,
        neo4j_heap="auto",
        neo4j_pagecache="auto",
    )
    results = Results(measure.git_revision(REPO_ROOT, ("graph", "policykg", "core")))
    try:
        say("building the real graph …")
        built = pipeline.ensure_built(base)
        sized = pipeline.sized_to_graph(base, built.rows_file)
        compared = base.model_copy(
            update={"neo4j_heap": args.compare_heap, "neo4j_pagecache": args.compare_pagecache}
        )
        say("first start (sets the password) and load …")
        pipeline.start_and_load(sized, built)
        server.stop_server(sized)
        for rep in range(args.repeat):
            plans = [("auto", sized), ("compared", compared)]
            for name, plan in plans if rep % 2 == 0 else reversed(plans):
                load_average = os.getloadavg()[0]
                started = time.perf_counter()
                server.start_server(plan)
                seconds = time.perf_counter() - started
                status = server.server_status(plan)
                # the JVM's own CPU to get there: what the machine's other work inflates least
                cpu = measure.cpu_seconds(status.pid) if status.pid is not None else None
                server.stop_server(plan)
                results.starts.append(
                    {
                        "plan": name,
                        "heap": plan.neo4j_heap,
                        "pagecache": plan.neo4j_pagecache,
                        "seconds": seconds,
                        "server_cpu": cpu,
                        "rss_after_start": status.rss_bytes,
                        "load_average": load_average,
                    }
                )
                say(f"  start {name} ({plan.neo4j_heap}/{plan.neo4j_pagecache}): {seconds:.1f} s")
        server.start_server(sized)
        results.loads.append(load_run("first", sized, env))
        say(f"  first load after the start: {results.loads[-1].wall:.2f} s")
        for _ in range(args.repeat):
            results.loads.append(load_run("warm", sized, env))
            say(f"  warm load: {results.loads[-1].wall:.2f} s")
    finally:
        server.stop_server(base)
        if not args.keep_state:
            shutil.rmtree(state_dir, ignore_errors=True)
    print_summary(results)
    if args.json:
        data = asdict(results) | {"machine": measure.machine()}
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return 0


def print_summary(results: Results) -> None:
    print(f"code {results.revision}")
    print(
        f"{'start':<9} {'heap':>6} {'cache':>6} {'seconds':>8} {'JVM CPU':>8} {'RSS':>10} "
        f"{'load avg':>9}"
    )
    for s in results.starts:
        cpu = f"{s['server_cpu']:.1f}" if s["server_cpu"] is not None else "n/a"
        print(
            f"{s['plan']:<9} {s['heap']:>6} {s['pagecache']:>6} {s['seconds']:>8.1f} {cpu:>8} "
            f"{measure.mib(s['rss_after_start']):>10} {s['load_average']:>9.2f}"
        )
    for plan in ("auto", "compared"):
        times = [s["seconds"] for s in results.starts if s["plan"] == plan]
        if times:
            print(f"median start ({plan}): {measure.median(times):.1f} s over {len(times)}")
    print(f"\n{'load':<6} {'wall':>6}  phases (seconds)")
    for r in results.loads:
        phases = ", ".join(f"{k} {v:.2f}" for k, v in r.phases.items())
        print(f"{r.kind:<6} {r.wall:>6.2f}  {phases}  (load avg {r.load_average:.2f})")
        print(f"       the command said: {r.command_reported}")
    warm = [r.wall for r in results.loads if r.kind == "warm"]
    if warm:
        transactions = [r.phases["load transaction"] for r in results.loads if r.kind == "warm"]
        print(
            f"median warm `policykg load`: {measure.median(warm):.2f} s wall, load transaction "
            f"{measure.median(transactions):.2f} s"
        )


if __name__ == "__main__":
    sys.exit(main())
