"""Benchmark: reading a corpus file far larger than the received ones — where the time goes.

Makes copies of the corpus in which the 2025 work plan's tasks are repeated up to
``--sizes`` megabytes (renumbered; past task 999 the numbering style stops matching, so the
rest joins the last task as one very long item — the shape of a runaway file), and loads
each with :func:`loaders.corpus.load_corpus` under ``cProfile``, each in a fresh process.
Reports the wall time, the peak RSS and the cumulative seconds of the steps that grow with
the text: joining a block's lines (``join_lines``), finding spans' lines (``_span``),
cutting items into clauses (``_clauses``) and tokenising (``tokenize``).

    .venv/bin/python -m bench.corpus_scale_bench --sizes 0.25 0.5 1
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STEPS = ("join_lines", "_span", "_clauses", "tokenize")


def make_corpus(root: Path, megabytes: float) -> Path:
    """A copy of the corpus and vocabularies whose work plan has ``megabytes`` of tasks."""
    shutil.copytree(REPO / "data" / "corpus", root / "corpus")
    shutil.copytree(REPO / "data" / "vocab", root / "vocab")
    plan = root / "corpus" / "gd-2025-digital-guangdong-workplan.txt"
    lines = plan.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if re.match(r"^\d+\.", line))
    tasks = [line for line in lines if re.match(r"^\d+\.", line)]
    body: list[str] = []
    size, n = 0, 0
    while size < megabytes * 1e6:
        task = tasks[n % len(tasks)]
        n += 1
        body.append(re.sub(r"^\d+\.", f"{n}.", task))
        size += len(body[-1].encode("utf-8"))
    plan.write_text("\n".join(lines[:first] + body) + "\n", encoding="utf-8")
    return root


def measure(root: Path) -> dict[str, float]:
    """Load the corpus in ``root`` under cProfile (run in a child process)."""
    from loaders.corpus import load_corpus

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    load_corpus(root / "corpus" / "manifest.toml", root / "vocab")
    profile.disable()
    figures = {"seconds": time.perf_counter() - started}
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (_, _, name), (_, _, _, cumulative, _) in stats.items():
        if name in STEPS:
            figures[name] = figures.get(name, 0.0) + cumulative
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child)))
        return 0
    results = []
    for megabytes in args.sizes:
        with tempfile.TemporaryDirectory(prefix="policykg-corpus-") as tmp:
            root = make_corpus(Path(tmp), megabytes)
            done = subprocess.run(
                [sys.executable, "-m", "bench.corpus_scale_bench", "--child", str(root)],
                capture_output=True, text=True, check=True, cwd=REPO,
            )  # fmt: skip
            figures = json.loads(done.stdout.splitlines()[-1])
        results.append({"megabytes": megabytes, **{k: round(v, 2) for k, v in figures.items()}})
        print(json.dumps(results[-1]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
