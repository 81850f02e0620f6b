"""Load test of the REST API on loopback: throughput and p50/p99 latency under 32 clients.

Starts a managed Neo4j of its own (temporary folder, own ports), loads the real corpus graph,
serves the API with uvicorn in a subprocess, and drives it with ``wrk`` (Debian package
``wrk``; a C load generator, so the client costs little of the 2 cores). Scenarios:

- ``detail``: GET /measures/{id} and /tasks/{id} over every item;
- ``successors``: GET /measures/{id}/successors and /tasks/{id}/predecessors;
- ``mixed``: details, successors, filtered lists, search, agencies, regions, documents.

Each scenario is run with the per-graph-version response cache on and off, in the same run,
so the cache's effect is a ratio measured under the same conditions; every figure is the
median of ``--repeat`` runs. With ``--base DIR`` the API is also served from another
checkout (the code before a change: ``git archive <commit> | tar -x -C DIR``), over the same
Neo4j and graph, in the same run, and the summary gives this code's throughput against it.

    .venv/bin/python -m bench.api_bench --duration 15 --repeat 3
    .venv/bin/python -m bench.api_bench --base /tmp/policykg-base --duration 10 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench.measure import machine, median, rss
from core.settings import Settings
from policykg.pipeline import build, managed_graph

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"

LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
%s
"""

# With --rate, each connection waits before its next request so that all of them together
# send about the requested rate; the latency wrk reports excludes that wait.
PACED = """
delay = function()
  return %d
end
"""


@dataclass(frozen=True)
class Run:
    scenario: str
    cache: bool
    code: str  # "this", or "base" (the checkout given with --base)
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def say(message: str) -> None:
    print(message, flush=True)


def scenarios(ids: dict[str, list[str]]) -> dict[str, list[str]]:
    measures, tasks = ids["measures"], ids["tasks"]
    detail = [f"/measures/{m}" for m in measures] + [f"/tasks/{t}" for t in tasks]
    links = [f"/measures/{m}/successors" for m in measures] + [
        f"/tasks/{t}/predecessors" for t in tasks
    ]
    lists = [
        "/documents",
        "/documents/gd2025",
        "/tasks?limit=20",
        "/measures?limit=20",
        "/tasks?agency=gd-industry-information-technology-department&role=lead",
        "/tasks?technology=artificial-intelligence",
        "/tasks?region=guangzhou",
        "/agencies?limit=100",
        "/agencies/gd-government-services-data-administration",
        "/technologies/artificial-intelligence",
        "/regions/guangzhou",
        "/mappings?accepted_only=true&limit=100",
        "/coverage",
        "/search?q=%E6%95%B0%E6%8D%AE%E8%A6%81%E7%B4%A0",  # 数据要素
        "/search?q=%E5%A4%A7%E6%A8%A1%E5%9E%8B",  # 大模型
    ]
    return {"detail": detail, "successors": links, "mixed": detail + links + lists * 4}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(f"cannot read latency {text!r}")
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """Requests per second, p50 and p99 in ms, and error count from ``wrk --latency``."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    for m in re.finditer(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(m.group(1))
    for m in re.finditer(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(x) for x in m.groups())
    return rps, p50, p99, errors


def wrk(
    url: str,
    paths: Sequence[str],
    seconds: float,
    connections: int,
    threads: int,
    rate: int | None = None,
) -> str:
    pacing = PACED % round(connections * 1000 / rate) if rate else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % (", ".join(json.dumps(p) for p in paths), pacing))
        script = f.name
    try:
        done = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                script,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script)
    return done.stdout


@contextmanager
def neo4j_with_graph(state: Path) -> Iterator[Settings]:
    """A managed Neo4j of the benchmark's own (the project's default size) with the corpus."""
    settings = Settings.isolated(state, free_port(), free_port(), heap="2g", pagecache="1g")
    with managed_graph(settings, build(settings)):
        yield settings


@contextmanager
def api(
    settings: Settings, *, cache: bool, workers: int, code: Path = REPO
) -> Iterator[tuple[str, int]]:
    """The API served by uvicorn from the checkout at ``code``, over ``settings``' Neo4j."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "POLICYKG_STATE_DIR": str(settings.state_dir),
        "POLICYKG_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "POLICYKG_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
        "POLICYKG_API_CACHE": "true" if cache else "false",
    }
    env.pop("NEO4J_URI", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.main:create_app_from_environment",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=code,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the API did not come up")
            time.sleep(0.3)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def prime(url: str, paths: Sequence[str]) -> tuple[float, float]:
    """Request every path once, one at a time: total seconds and the slowest request in ms.

    The first request of each path compiles its Cypher in Neo4j and fills the response
    cache; doing that here keeps cold starts out of the steady-state figures (and out of the
    short warm-up, where 32 cold requests at once can outlast it).
    """
    slowest = 0.0
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=60) as client:
        for path in dict.fromkeys(paths):
            t = time.perf_counter()
            client.get(path).raise_for_status()
            slowest = max(slowest, time.perf_counter() - t)
    return time.perf_counter() - started, slowest * 1000


def item_ids(url: str) -> dict[str, list[str]]:
    measures = httpx.get(url + "/measures", params={"limit": 500}).json()["data"]
    tasks = httpx.get(url + "/tasks", params={"limit": 500}).json()["data"]
    return {"measures": [m["id"] for m in measures], "tasks": [t["id"] for t in tasks]}


def measure_api(
    settings: Settings, args: argparse.Namespace, cache: bool, code: str, folder: Path
) -> list[Run]:
    """Every scenario against one API process: a first pass, a warm-up, ``--repeat`` runs."""
    runs: list[Run] = []
    label = f"cache={'on ' if cache else 'off'} code={code}"
    with api(settings, cache=cache, workers=args.workers, code=folder) as (url, pid):
        plans = scenarios(item_ids(url))
        for name, paths in plans.items():
            if name not in args.scenarios:
                continue
            seconds, slowest = prime(url, paths)
            say(
                f"{name:10} {label} first pass: {len(set(paths))} paths in {seconds:.1f} s, "
                f"slowest {slowest:.0f} ms"
            )
            wrk(url, paths, args.warmup, args.connections, args.threads, args.rate)
            for k in range(args.repeat):
                load = os.getloadavg()[0]
                output = wrk(url, paths, args.duration, args.connections, args.threads, args.rate)
                rps, p50, p99, errors = parse_wrk(output)
                runs.append(Run(name, cache, code, rps, p50, p99, errors))
                say(
                    f"{name:10} {label} run {k + 1}: {rps:7.0f} req/s  p50 {p50:6.1f} ms  "
                    f"p99 {p99:6.1f} ms  errors {errors}  (API RSS "
                    f"{(rss(pid) or 0) / 2**20:.0f} MiB, load avg {load:.1f})"
                )
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=("detail", "successors", "mixed"),
        default=["detail", "successors", "mixed"],
        help="the scenarios to run (default: all; an older --base checkout may not read every "
        "list of a newer graph, which `mixed` asks for)",
    )
    parser.add_argument(
        "--rate",
        type=int,
        default=None,
        help="pace the clients to about this many requests/s in all (default: as fast as "
        "the API answers, which measures throughput but puts queueing into the latency)",
    )
    parser.add_argument(
        "--no-cache-off",
        action="store_true",
        help="measure only with the response cache on",
    )
    parser.add_argument(
        "--base",
        type=Path,
        default=None,
        help="also serve the API from this checkout (the code before a change) and compare",
    )
    parser.add_argument("--json", type=Path, default=None, help="where to write the figures")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    say(json.dumps(machine(), ensure_ascii=False))
    runs: list[Run] = []
    caches = (True,) if args.no_cache_off else (True, False)
    codes = {"base": args.base, "this": REPO} if args.base else {"this": REPO}
    state = Path(tempfile.mkdtemp(prefix="policykg-api-bench-"))
    try:
        with neo4j_with_graph(state) as settings:
            for cache in caches:
                for code, folder in codes.items():
                    runs += measure_api(settings, args, cache, code, folder)
    finally:
        shutil.rmtree(state, ignore_errors=True)

    pace = f", paced to about {args.rate} req/s" if args.rate else ", unpaced"
    say(f"\nmedians over runs ({args.connections} clients{pace}):")
    say(f"{'scenario':10} {'cache':5} {'code':5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    summary: list[Run] = []
    for name in args.scenarios:
        for cache in caches:
            for code in codes:
                rs = [r for r in runs if (r.scenario, r.cache, r.code) == (name, cache, code)]
                row = Run(
                    scenario=name,
                    cache=cache,
                    code=code,
                    requests_per_s=median([r.requests_per_s for r in rs]),
                    p50_ms=median([r.p50_ms for r in rs]),
                    p99_ms=median([r.p99_ms for r in rs]),
                    errors=sum(r.errors for r in rs),
                )
                summary.append(row)
                say(
                    f"{name:10} {'on' if cache else 'off':5} {code:5} {row.requests_per_s:8.0f} "
                    f"{row.p50_ms:8.1f} {row.p99_ms:8.1f}"
                )
        figures = {(r.cache, r.code): r.requests_per_s for r in summary if r.scenario == name}
        if not args.no_cache_off:
            ratio = figures[True, "this"] / figures[False, "this"]
            say(f"{name:10} cache on/off throughput ratio: {ratio:.1f}×")
        if args.base:
            for cache in caches:
                ratio = figures[cache, "this"] / figures[cache, "base"]
                state_ = "on" if cache else "off"
                say(f"{name:10} cache {state_}: this/base throughput ratio: {ratio:.2f}×")
    out = args.json or RESULTS / "api.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                "runs": [asdict(r) for r in runs],
                "summary": [asdict(r) for r in summary],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    say(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
