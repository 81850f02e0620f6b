"""Command-line benchmark: how long ``policykg --help`` takes, and how soon each command
starts its work, with and without ``PYTHONDONTWRITEBYTECODE``.

Every measurement is a fresh process of the checkout's own console script
(``<repo>/.venv/bin/policykg``), timed from just before it is spawned:

* ``--help`` (and ``neo4j --help``, ``load --help``): the whole run;
* *start of work*: ``policykg -v <command> …`` until the command logs its ``starting``
  line (``policykg.cli.fail_on_errors``), the moment the command's own code runs; the
  process is killed right there, before it does anything (nothing is built, loaded or
  started). Checkouts from before that line existed report ``n/a``.

Each figure is the median of ``--repeat`` runs (wall time, and the process's own CPU time,
which the machine's other work inflates less), after one untimed run (which, without
``PYTHONDONTWRITEBYTECODE`` and without compiled bytecode, is the run that writes it; that
first run is reported apart). The commands run with ``POLICYKG_STATE_DIR`` in a temporary
folder and Neo4j ports of their own, so they touch no user state.

Run from the repository root::

    .venv/bin/python -m bench.cli_bench --repeat 10 --json bench/results/cli.json
    .venv/bin/python -m bench.cli_bench --repo /path/to/other/checkout   # another tree
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import measure

REPO_ROOT = Path(__file__).resolve().parent.parent
MARK = ": starting"
HELP_COMMANDS: tuple[tuple[str, ...], ...] = (("--help",), ("neo4j", "--help"), ("load", "--help"))
WORK_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("parse",),
    ("report",),
    ("align",),
    ("coverage",),
    ("evaluate",),
    ("build",),
    ("load",),
    ("export",),
    ("serve",),
    ("up",),
    ("neo4j", "fetch"),
    ("neo4j", "start"),
    ("neo4j", "stop"),
    ("neo4j", "status"),
)
MODES = {"PYTHONDONTWRITEBYTECODE=1": True, "bytecode written": False}


@dataclass
class Figure:
    command: str
    mode: str
    first: float | None
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the process's user + system CPU seconds

    @property
    def median(self) -> float | None:
        return measure.median(self.seconds) if self.seconds else None

    @property
    def cpu_median(self) -> float | None:
        return measure.median(self.cpu) if self.cpu else None


Sample = tuple[float, float]  # wall seconds, CPU seconds


def _reap(pid: int) -> float:
    """Wait for ``pid``; its user + system CPU seconds."""
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime


def environment(state_dir: Path, dont_write: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYKG_", "NEO4J_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if dont_write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(
        POLICYKG_STATE_DIR=str(state_dir),
        POLICYKG_NEO4J_BOLT_PORT="29787",
        POLICYKG_NEO4J_HTTP_PORT="29574",
        POLICYKG_API_PORT="29800",
        COLUMNS="100",
    )
    return env


def time_help(exe: Path, args: Sequence[str], env: dict[str, str]) -> Sample:
    started = time.perf_counter()
    process = subprocess.Popen([str(exe), *args], env=env, stdout=subprocess.DEVNULL)
    cpu = _reap(process.pid)
    process.returncode = 0  # reaped above
    return time.perf_counter() - started, cpu


def time_start(
    exe: Path, args: Sequence[str], env: dict[str, str], timeout: float
) -> Sample | None:
    """Seconds until ``policykg -v <args>`` logs that its command starts (and the CPU seconds
    it used until it was killed there); None if it never does."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(exe), "-v", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stderr is not None
    seen: float | None = None
    try:
        deadline = started + timeout
        for line in process.stderr:
            if MARK in line:
                seen = time.perf_counter() - started
                break
            if time.perf_counter() > deadline:
                break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        cpu = _reap(process.pid)
        process.returncode = -signal.SIGKILL
        process.stderr.close()
    return (seen, cpu) if seen is not None else None


def run(repo: Path, repeat: int, timeout: float, starts: bool) -> list[Figure]:
    exe = repo / ".venv" / "bin" / "policykg"
    figures: list[Figure] = []
    state_dir = Path(tempfile.mkdtemp(prefix="policykg-cli-bench-"))
    try:
        for mode, dont_write in MODES.items():
            env = environment(state_dir, dont_write)
            for args in HELP_COMMANDS:
                figure = Figure(" ".join(args), mode, time_help(exe, args, env)[0])
                samples = [time_help(exe, args, env) for _ in range(repeat)]
                figure.seconds, figure.cpu = [w for w, _ in samples], [c for _, c in samples]
                figures.append(figure)
                print(f"{mode:<28} {figure.command:<16} median {figure.median:.3f} s", flush=True)
            for args in WORK_COMMANDS if starts else ():
                first = time_start(exe, args, env, timeout)
                figure = Figure(" ".join(args), mode, first[0] if first else None)
                if first is not None:
                    got = [time_start(exe, args, env, timeout) for _ in range(repeat)]
                    samples = [x for x in got if x is not None]
                    figure.seconds, figure.cpu = [w for w, _ in samples], [c for _, c in samples]
                shown = f"{figure.median:.3f} s" if figure.median is not None else "n/a"
                print(f"{mode:<28} {figure.command + ' starts':<16} median {shown}", flush=True)
                figures.append(figure)
    finally:
        # nothing should have started a server, but make sure
        subprocess.run(
            [str(exe), "neo4j", "stop"],
            env=environment(state_dir, True),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(state_dir, ignore_errors=True)
    return figures


def print_table(figures: list[Figure]) -> None:
    print(
        f"\n{'command':<22} {'mode':<28} {'first':>7} {'median':>7} {'min':>7} {'max':>7} "
        f"{'CPU':>7}"
    )
    for f in figures:

        def s(v: float | None) -> str:
            return f"{v:.3f}" if v is not None else "n/a"

        lo = min(f.seconds) if f.seconds else None
        hi = max(f.seconds) if f.seconds else None
        name = f.command if "--help" in f.command else f.command + " (starts)"
        print(
            f"{name:<22} {f.mode:<28} {s(f.first):>7} {s(f.median):>7} {s(lo):>7} {s(hi):>7} "
            f"{s(f.cpu_median):>7}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cli_bench",
        description="Time `policykg --help` and the start of every command, with and "
        "without PYTHONDONTWRITEBYTECODE.",
    )
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="checkout to time")
    parser.add_argument("--repeat", type=int, default=10, help="runs per figure (10)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per run, seconds (60)")
    parser.add_argument(
        "--help-only",
        action="store_true",
        help="time only the --help runs (for checkouts whose commands log no `starting` "
        "line: they would run for real)",
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    figures = run(args.repo.resolve(), args.repeat, args.timeout, not args.help_only)
    load_after = os.getloadavg()
    print_table(figures)
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    if args.json:
        data = {
            "repo": str(args.repo),
            "revision": measure.git_revision(args.repo, ("policykg", "core", "scripts")),
            "load_average": {"before": load_before, "after": load_after},
            "machine": measure.machine(),
            "figures": [
                asdict(f) | {"median": f.median, "cpu_median": f.cpu_median} for f in figures
            ],
        }
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
