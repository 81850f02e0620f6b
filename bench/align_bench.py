"""Alignment benchmark: ``align_items_of`` on synthetic corpora of growing size.

Each size runs in a fresh Python process (``--child``), so one size's peak memory never
mixes with another's. A child builds an N × N synthetic corpus (:mod:`bench.synthetic`),
then times :func:`align.pipeline.align_items_of` with ``texts=None`` (synthetic items have
no original file to point evidence spans into) and the tokens precomputed per sentence
(``token_lists``; ``--tokenize`` lets ``build_features`` run jieba itself instead).

The child reports where the time goes by wrapping the functions ``align_items_of`` calls:
``build_features`` (TF-IDF and id matrices), ``score_all`` (split into the similarity blocks,
i.e. the sparse matrix products, and the rest: CSLS, top-k, acceptance), ``_links`` (links
with evidence and shared terms) and ``_coverage``. Peak memory is this process's peak RSS
from ``getrusage``, reset just before the alignment starts (``peak_rss``); the peak while
building the synthetic corpus is reported apart (``setup_peak_rss``).

Run from the repository root::

    .venv/bin/python -m bench.align_bench --sizes 1000,10000 --repeat 3
    .venv/bin/python -m bench.align_bench --sizes 50000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from bench import measure

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1000, 10_000, 50_000)

P = ParamSpec("P")
R = TypeVar("R")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _timed(fn: Callable[P, R], name: str, times: dict[str, float]) -> Callable[P, R]:
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - started

    return wrapper


def _timed_blocks(fn: Callable[[Any], Iterator[Any]], times: dict[str, float]) -> Any:
    """Wrap ``_Scorer.blocks`` so the time spent producing each block is counted."""

    def wrapper(self: Any) -> Iterator[Any]:
        blocks = fn(self)
        while True:
            started = time.perf_counter()
            try:
                block = next(blocks)
            except StopIteration:
                times["score.blocks"] = times.get("score.blocks", 0.0) + (
                    time.perf_counter() - started
                )
                return
            times["score.blocks"] = times.get("score.blocks", 0.0) + time.perf_counter() - started
            yield block

    return wrapper


def child(size: int, seed: int, tokenize: bool, threads: int | None) -> dict[str, Any]:
    """One measurement: an N × N corpus aligned once, with timings and peak memory."""
    import align.pipeline as pipeline
    import align.score as score
    from bench.synthetic import align_item_lists, synthetic_corpus, token_lists
    from core.settings import Settings
    from policykg.pipeline import read_inputs

    started = time.perf_counter()
    inputs = read_inputs(Settings())
    config = inputs.config
    if threads is not None:
        performance = config.performance.model_copy(update={"threads": threads})
        config = config.model_copy(update={"performance": performance})
    corpus = synthetic_corpus(inputs, size, size, seed=seed)
    source, target = align_item_lists(corpus)
    tokens = None if tokenize else token_lists(corpus)
    setup_seconds = time.perf_counter() - started
    setup_peak = measure.python_peak_rss()

    times: dict[str, float] = {}
    # align_items_of looks these up in its module's globals at call time.
    for name, label in (
        ("build_features", "features"),
        ("score_all", "score"),
        ("_links", "links"),
        ("_coverage", "coverage"),
    ):
        setattr(pipeline, name, _timed(getattr(pipeline, name), label, times))
    score._Scorer.blocks = _timed_blocks(score._Scorer.blocks, times)  # type: ignore[method-assign]

    before = measure.rss()
    measure.reset_peak_rss()
    cpu = time.process_time()
    started = time.perf_counter()
    alignment = pipeline.align_items_of(
        source,
        target,
        inputs.lexicon,
        config,
        None,
        corpus.source.key,
        corpus.target.key,
        tokens,
    )
    seconds = time.perf_counter() - started
    return {
        "size": size,
        "seed": seed,
        "tokenize": tokenize,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "times": times,
        "links": len(alignment.links),
        "accepted": len(alignment.accepted()),
        "dropped": len(alignment.coverage.dropped),
        "new": len(alignment.coverage.new),
        "rss_before": before,
        "peak_rss": measure.python_peak_rss(),
        "setup_seconds": setup_seconds,
        "setup_peak_rss": setup_peak,
        "performance": config.performance.model_dump(),
        "block_threads": config.performance.threads or os.cpu_count() or 1,
        "threads": os.environ.get("OMP_NUM_THREADS", ""),
    }


def run_child(
    size: int, seed: int, tokenize: bool, threads: int | None, timeout: float
) -> dict[str, Any]:
    """Run :func:`child` in a fresh interpreter; a timeout or failure is reported, not raised."""
    command = [sys.executable, "-m", "bench.align_bench", "--child", str(size), "--seed", str(seed)]
    if tokenize:
        command.append("--tokenize")
    if threads is not None:
        command += ["--threads", str(threads)]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"size": size, "error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        return {"size": size, "error": f"exit code {done.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def summarise(results: Sequence[dict[str, Any]]) -> None:
    groups = sorted({(r["size"], r.get("block_threads", 0)) for r in results})
    print(
        f"\n{'size':>13} {'thr':>3} {'runs':>4} {'seconds':>8} {'features':>8} {'blocks':>7} "
        f"{'rest':>6} {'links':>6} {'cover':>6} {'peak RSS':>10} {'before':>9} "
        f"{'kept':>8} {'kept/src':>8} {'accepted':>8}"
    )
    for size, threads in groups:
        ok = [
            r
            for r in results
            if (r["size"], r.get("block_threads", 0)) == (size, threads) and "error" not in r
        ]
        for r in results:
            if (r["size"], r.get("block_threads", 0)) == (size, threads) and "error" in r:
                print(f"{size:>6} × {size:<6} ERROR {r['error']}")
        if not ok:
            continue

        def med(key: str, runs: list[dict[str, Any]] = ok) -> float:
            return measure.median([float(r["times"].get(key, 0.0)) for r in runs])

        rest = measure.median(
            [r["times"].get("score", 0.0) - r["times"].get("score.blocks", 0.0) for r in ok]
        )
        print(
            f"{size:>6} × {size:<6} {threads:>3} {len(ok):>4} "
            f"{measure.median([r['seconds'] for r in ok]):>8.1f} {med('features'):>8.1f} "
            f"{med('score.blocks'):>7.1f} {rest:>6.1f} {med('links'):>6.1f} "
            f"{med('coverage'):>6.1f} {measure.mib(max(r['peak_rss'] for r in ok)):>10} "
            f"{measure.mib(max(r['rss_before'] or 0 for r in ok)):>9} "
            f"{ok[0]['links']:>8,} {ok[0]['links'] / size:>8.2f} {ok[0]['accepted']:>8,}"
        )
    print(
        "thr: threads sharing each block; seconds: align_items_of wall time (median); "
        "features: build_features; blocks: the "
        "similarity blocks (the sparse products, over all passes); rest: the rest of score_all "
        "(hubness, top-k, CSLS); links: links with evidence; cover: coverage; peak RSS: max "
        "over runs, reset before the alignment; before: RSS when it started."
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.align_bench",
        description="Time align.pipeline.align_items_of on synthetic N × N corpora, each run "
        "in a fresh process; report wall time, where it goes, peak RSS and links kept.",
    )
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=list(DEFAULT_SIZES),
        help="items per side, comma-separated (1000,10000,50000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="fresh runs per size (3)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed (0)")
    parser.add_argument(
        "--tokenize",
        action="store_true",
        help="let build_features tokenise with jieba instead of passing precomputed tokens",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds allowed per run (1800)"
    )
    parser.add_argument(
        "--threads",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=None,
        help="compare these values of performance.threads, alternating within each "
        "repetition, e.g. 1,2 (default: the configured value only)",
    )
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        (threads,) = args.threads or [None]
        print(json.dumps(child(args.child, args.seed, args.tokenize, threads)))
        return 0
    revision = measure.git_revision(REPO_ROOT, ("align", "loaders"))
    say(f"code: {revision}")
    results = []
    for size in args.sizes:
        for rep in range(1, args.repeat + 1):
            for threads in args.threads or [None]:
                shown = "" if threads is None else f", threads={threads}"
                say(f"{size} × {size}: run {rep}/{args.repeat}{shown} …")
                result = run_child(size, args.seed, args.tokenize, threads, args.timeout)
                results.append(result)
                if "error" in result:
                    say(f"  {result['error']}")
                    continue
                say(
                    f"  {result['seconds']:.1f} s "
                    f"(features {result['times'].get('features', 0):.1f}, "
                    f"score {result['times'].get('score', 0):.1f}, links "
                    f"{result['times'].get('links', 0):.1f}); peak RSS "
                    f"{measure.mib(result['peak_rss'])}; {result['links']:,} links kept"
                )
    summarise(results)
    print(f"code: {revision}")
    if args.json:
        data = {"runs": results, "machine": measure.machine(), "revision": revision}
        args.json.write_text(
            json.dumps(data, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
