"""Benchmark: ``POST /cypher`` under many hostile clients, while detail reads go on.

Starts a managed Neo4j of its own (temporary folder, free ports, the project's default
size), loads the real corpus graph, serves the API in a child process on 127.0.0.1, and runs
:func:`bench.cypher_abuse.run_abuse`: ``--clients`` clients send every abusive request of
:data:`bench.cypher_abuse.ABUSES` for ``--seconds``, while one client reads measures and
tasks. Reports the reads' p50/p99/max and failures, every hostile answer by kind and status,
how long the longest-lived researcher transaction outlived the time limit, and the API
process's RSS; writes them as JSON and text to ``bench/results/``.

    .venv/bin/python -m bench.cypher_abuse_bench --clients 64 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.cypher_abuse import api_process, free_port, run_abuse
from bench.measure import git_revision, machine
from core.settings import Settings
from graph import server
from policykg.pipeline import build, managed_graph

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64, help="hostile clients (64)")
    parser.add_argument("--seconds", type=float, default=60, help="duration (60)")
    parser.add_argument("--timeout", type=float, default=defaults.cypher_timeout_s,
                        help="POST /cypher time limit (the project's default)")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=defaults.cypher_concurrency,
                        help="POST /cypher slots (the project's default)")  # fmt: skip
    parser.add_argument("--no-cache", action="store_true", help="serve reads uncached")
    parser.add_argument("--heap", default=defaults.neo4j_heap, help="Neo4j heap (default)")
    parser.add_argument("--pagecache", default=defaults.neo4j_pagecache, help="page cache")
    parser.add_argument("--label", default="", help="suffix of the results' file names")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="policykg-abuse-") as state:
        settings = Settings.isolated(
            Path(state), free_port(), free_port(), heap=args.heap, pagecache=args.pagecache
        )
        with managed_graph(settings, build(settings)) as loaded:
            env = {"cypher_timeout_s": str(args.timeout),
                   "cypher_concurrency": str(args.concurrency),
                   "api_cache": "false" if args.no_cache else "true"}  # fmt: skip
            with api_process(settings, **env) as (url, pid):
                report = run_abuse(
                    url, pid, loaded.connection, clients=args.clients, seconds=args.seconds,
                    timeout_s=args.timeout,
                )  # fmt: skip
            neo4j_pid = server.server_status(settings).pid
    results = {
        "revision": git_revision(REPO, ("api", "graph", "core")),
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "settings": {
            "heap": args.heap,
            "pagecache": args.pagecache,
            "cache": not args.no_cache,
            "cypher_concurrency": args.concurrency,
            "neo4j_pid": neo4j_pid,
        },
        **report.summary(),
    }
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "cypher-abuse" + (f"-{args.label}" if args.label else "")
    (RESULTS / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
