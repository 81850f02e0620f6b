"""Main-job benchmark: ``make run`` until the API answers ``/health``, Neo4j stopped and
running; the memory of the command and of the API under load.

Runs the checkout's own ``make run`` (bootstrap, then ``policykg up``) as a user would, in a
state folder and on ports of the benchmark's own (``POLICYKG_STATE_DIR``,
``POLICYKG_NEO4J_*_PORT``, ``POLICYKG_API_PORT``; the jars come from the checkout's
``.cache``), and times it from the spawn until ``GET /health`` answers 200 with a graph
version. Scenarios, in this order:

* ``first``: a new state folder, nothing built, no database (once, for the record);
* ``stopped``: everything built and loaded by an earlier run, Neo4j stopped first;
* ``running``: the same with Neo4j already running (the previous run's server).

``--repeat`` times each of ``stopped`` and ``running`` (alternating). Each run also reports
the peak RSS (``VmHWM``) of the ``policykg up`` process when the API first answered (that
process built, loaded and serves) and of every other Python process it ran, and the load
average. With ``--api-load N`` the last ``running`` run then sends N seconds of requests
from 32 clients (``wrk`` if installed, else Python threads) after resetting the API
process's peak, and reports that peak: the API worker under load.

Every run ends with SIGINT to ``make``'s process group; the managed Neo4j is stopped at
the end and the state folder deleted (``--keep-state`` keeps it).

Run from the repository root::

    .venv/bin/python -m bench.startup_bench --repeat 3 --api-load 10 \\
        --json bench/results/startup.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import measure

REPO_ROOT = Path(__file__).resolve().parent.parent
BOLT_PORT, HTTP_PORT, API_PORT = 29687, 29474, 29080
API_PATHS = (
    "/health",
    "/measures/gd2021-m07",
    "/tasks/gd2025-t05",
    "/measures/gd2021-m07/successors",
    "/measures?limit=20",
    "/agencies",
    "/search?q=%E6%95%B0%E6%8D%AE",
)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Run:
    scenario: str
    seconds: float | None
    load_average: float
    up_peak_rss: int | None = None
    other_python_peak_rss: int | None = None
    output_tail: list[str] = field(default_factory=list)


@dataclass
class Results:
    repo: str
    revision: str
    runs: list[Run] = field(default_factory=list)
    api_load: dict[str, int | str | None] = field(default_factory=dict)


def environment(repo: Path, state_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYKG_", "NEO4J_"))}
    env.update(
        POLICYKG_STATE_DIR=str(state_dir),
        POLICYKG_CACHE_DIR=str(repo / ".cache"),
        POLICYKG_NEO4J_BOLT_PORT=str(BOLT_PORT),
        POLICYKG_NEO4J_HTTP_PORT=str(HTTP_PORT),
        POLICYKG_API_PORT=str(API_PORT),
    )
    return env


def health(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/health")
        response = connection.getresponse()
        body = response.read()
        connection.close()
    except OSError:
        return False
    return response.status == 200 and b'"graph_version":"' in body.replace(b" ", b"")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from ``/proc/*/stat``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def is_up_process(args: list[str]) -> bool:
    """``<venv>/bin/python <venv>/bin/policykg up`` (not uv's ``python3 -m uv run … up``)."""
    return len(args) >= 3 and args[1].endswith("/bin/policykg") and "up" in args[2:]


class PeakWatcher:
    """Samples the Python processes below ``make`` for their peak RSS while they live."""

    def __init__(self, root: int):
        self.root = root
        self.peaks: dict[int, tuple[list[str], int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(0.05)

    def sample(self) -> None:
        for pid in descendants(self.root):
            args = cmdline(pid)
            if not args or "python" not in Path(args[0]).name:
                continue
            peak = measure.peak_rss(pid)
            if peak is not None:
                known = self.peaks.get(pid, (args, 0))[1]
                self.peaks[pid] = (args, max(known, peak))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def up_pid(self) -> int | None:
        return next((pid for pid, (args, _) in self.peaks.items() if is_up_process(args)), None)


@dataclass
class Running:
    """``make run`` while it serves: its process, what it printed, the ``policykg up`` pid."""

    process: subprocess.Popen[bytes]
    output: list[str]
    up: int | None


def make_run(repo: Path, env: dict[str, str], scenario: str, timeout: float) -> tuple[Run, Running]:
    """Spawn ``make run`` and wait for a healthy API; the run, and the still-running job."""
    load_average = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        ["make", "-s", "run"],
        cwd=repo,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output: list[str] = []
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(
        target=lambda: output.extend(line.decode(errors="replace") for line in stdout),
        daemon=True,
    )
    reader.start()
    watcher = PeakWatcher(process.pid)
    seconds: float | None = None
    while time.perf_counter() - started < timeout and process.poll() is None:
        if health(API_PORT):
            seconds = time.perf_counter() - started
            break
        time.sleep(0.05)
    watcher.sample()
    watcher.stop()
    up = watcher.up_pid()
    others = [peak for pid, (_, peak) in watcher.peaks.items() if pid != up]
    run = Run(
        scenario=scenario,
        seconds=seconds,
        load_average=load_average,
        up_peak_rss=watcher.peaks[up][1] if up is not None else None,
        other_python_peak_rss=max(others) if others else None,
    )
    return run, Running(process, output, up)


def end(run: Run, job: Running) -> None:
    """SIGINT to ``make``'s process group (uvicorn shuts down), then wait."""
    process = job.process
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    run.output_tail = [line.rstrip() for line in job.output[-12:]]


def neo4j(repo: Path, env: dict[str, str], action: str) -> None:
    subprocess.run(
        [str(repo / ".venv" / "bin" / "policykg"), "neo4j", action],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


def api_load(pid: int, seconds: int) -> dict[str, int | str | None]:
    """Send ``seconds`` of requests from 32 clients; the API process's peak RSS meanwhile."""
    for path in API_PATHS:  # a first pass: Neo4j compiles each statement once
        connection = http.client.HTTPConnection("127.0.0.1", API_PORT, timeout=60)
        connection.request("GET", path)
        connection.getresponse().read()
        connection.close()
    measure.reset_peak_rss(pid)
    before = measure.rss(pid)
    url = f"http://127.0.0.1:{API_PORT}"
    wrk = shutil.which("wrk")
    requests = 0
    if wrk is not None:
        for path in API_PATHS:
            done = subprocess.run(
                [wrk, "-t1", "-c32", f"-d{max(2, seconds // len(API_PATHS))}s", url + path],
                capture_output=True,
                text=True,
                check=False,
            )
            for line in done.stdout.splitlines():
                if "requests in" in line:
                    requests += int(line.split()[0])
        client = "wrk -t1 -c32"
    else:
        deadline = time.perf_counter() + seconds
        counts = [0] * 32

        def client_loop(n: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", API_PORT, timeout=10)
            i = n
            while time.perf_counter() < deadline:
                connection.request("GET", API_PATHS[i % len(API_PATHS)])
                connection.getresponse().read()
                counts[n] += 1
                i += 1

        threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        requests = sum(counts)
        client = "32 Python threads"
    return {
        "client": client,
        "seconds": seconds,
        "requests": requests,
        "rss_before": before,
        "peak_rss": measure.peak_rss(pid),
    }


def _int(value: int | str | None) -> int | None:
    return value if isinstance(value, int) else None


def print_summary(results: Results) -> None:
    print(f"\ncheckout {results.repo} ({results.revision})")
    print(
        f"{'scenario':<9} {'seconds':>8} {'up peak RSS':>12} {'other py peak':>14} {'load avg':>9}"
    )
    for r in results.runs:
        seconds = f"{r.seconds:.1f}" if r.seconds is not None else "timeout"
        print(
            f"{r.scenario:<9} {seconds:>8} {measure.mib(r.up_peak_rss):>12} "
            f"{measure.mib(r.other_python_peak_rss):>14} {r.load_average:>9.2f}"
        )
    for scenario in ("stopped", "running"):
        times = [r.seconds for r in results.runs if r.scenario == scenario and r.seconds]
        if times:
            print(f"median {scenario}: {measure.median(times):.1f} s over {len(times)} runs")
    if results.api_load:
        a = results.api_load
        print(
            f"API under load ({a['client']}, {a['seconds']} s, {a['requests']} requests): "
            f"RSS before {measure.mib(_int(a['rss_before']))}, "
            f"peak {measure.mib(_int(a['peak_rss']))}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.startup_bench",
        description="Time `make run` to a healthy API, Neo4j stopped and running.",
    )
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="checkout to run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (3)")
    parser.add_argument("--timeout", type=float, default=300.0, help="per run, seconds")
    parser.add_argument("--api-load", type=int, default=0, help="seconds of API load (0)")
    parser.add_argument("--keep-state", action="store_true", help="keep the state folder")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    state_dir = Path(tempfile.mkdtemp(prefix="policykg-startup-bench-"))
    env = environment(repo, state_dir)
    results = Results(str(repo), measure.git_revision(repo, ("policykg", "graph", "scripts")))
    try:
        plan = ["first"] + [s for _ in range(args.repeat) for s in ("stopped", "running")]
        for n, scenario in enumerate(plan):
            if scenario == "stopped":
                neo4j(repo, env, "stop")
            say(f"{scenario}: make run …")
            run, job = make_run(repo, env, scenario, args.timeout)
            say(f"  {run.seconds} s, up peak {measure.mib(run.up_peak_rss)}")
            if n == len(plan) - 1 and args.api_load and job.up is not None:
                say(f"  API under load for {args.api_load} s …")
                results.api_load = api_load(job.up, args.api_load)
            end(run, job)
            results.runs.append(run)
            if run.seconds is None:
                say("\n".join(run.output_tail))
    finally:
        neo4j(repo, env, "stop")
        if not args.keep_state:
            shutil.rmtree(state_dir, ignore_errors=True)
    print_summary(results)
    if args.json:
        data = asdict(results) | {"machine": measure.machine()}
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
