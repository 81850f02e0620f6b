"""Clause alignment benchmark: the clause level on synthetic corpora of growing size, against
the item-level alignment of the same items in the same run.

Synthetic clauses are made from the real documents' phrases: every clause of each document is
cut at ``，`` into phrases, and a synthetic clause is one to three phrases of its side's pool
joined again, ending in ``。`` (an item's first clause, its title, is one phrase). Items have
three to seven clauses. Each phrase's jieba words and technology and programme mentions are
computed once (:meth:`loaders.lexicon.Lexicon.find`) and carried into every clause that uses
it, as the loader would find them; the clauses are thus as varied as the pools allow (about
1,200 phrases a side), not copies of a few hundred sentences.

Each size runs in a fresh process (``--child``) so that peaks never mix. A child times the
clause alignment's steps — the clause space (TF-IDF, words, concepts), the candidate search
and signals, the fitted model, the decisions and the clause links — with peak RSS reset just
before; then, unless ``--no-items``, the item-level alignment (``align_items_of`` without
clauses) of the same items, timed and measured the same way.

``--real`` measures instead what the clause level adds to the real documents' alignment:
the item-level alignment and the full one, alternated in one process, medians.

Run from the repository root::

    .venv/bin/python -m bench.clause_bench --clauses 10000,100000 --repeat 3
    .venv/bin/python -m bench.clause_bench --real --repeat 7
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import measure

REPO_ROOT = Path(__file__).resolve().parent.parent
CLAUSES_PER_ITEM = (3, 7)
PHRASES_PER_CLAUSE = (1, 3)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Phrase:
    text: str
    words: tuple[str, ...]
    technologies: tuple[str, ...]
    programmes: tuple[str, ...]


def phrase_pool(inputs: Any, key: str) -> list[Phrase]:
    """The distinct phrases of a document's clauses, each with its words and mentions."""
    seen: dict[str, Phrase] = {}
    lexicon = inputs.lexicon
    for item in inputs.corpus.document(key).items:
        for clause in item.clauses:
            for part in clause.text_simplified.rstrip("。；").split("，"):
                text = part.strip()
                if len(text) < 4 or text in seen:
                    continue
                hits = list(lexicon.find(text))
                seen[text] = Phrase(
                    text=text,
                    words=tuple(lexicon.words(text)),
                    technologies=tuple(
                        dict.fromkeys(h.ref for h in hits if h.kind == "technology")
                    ),
                    programmes=tuple(dict.fromkeys(h.ref for h in hits if h.kind == "programme")),
                )
    return list(seen.values())


def synthetic_clauses(pool: Sequence[Phrase], n: int, side: str, rng: random.Random) -> list[Any]:
    """About ``n`` clauses in items of three to seven, from ``pool``."""
    from align.clause_space import AlignClause
    from loaders.records import Span

    clauses: list[AlignClause] = []
    item = 0
    while len(clauses) < n:
        item += 1
        count = rng.randint(*CLAUSES_PER_ITEM)
        for number in range(1, count + 1):
            k = 1 if number == 1 else rng.randint(*PHRASES_PER_CLAUSE)
            phrases = rng.sample(pool, k)
            text = "，".join(p.text for p in phrases) + "。"
            words = (*tuple(w for p in phrases for w in (*p.words, "，"))[:-1], "。")
            clauses.append(
                AlignClause(
                    id=f"{side}{item:06d}-c{number:02d}",
                    item=f"{side}{item:06d}",
                    number=number,
                    text=text,
                    span=Span(start=0, end=len(text), line=1),
                    words=words,
                    technologies=tuple(dict.fromkeys(t for p in phrases for t in p.technologies)),
                    programmes=tuple(dict.fromkeys(g for p in phrases for g in p.programmes)),
                )
            )
    return clauses[:n] if clauses[n - 1].item != clauses[min(n, len(clauses) - 1)].item else clauses


def _items_of(clauses: Sequence[Any], document: str) -> list[Any]:
    """The items of the clauses, for the item-level alignment of the same corpus."""
    from align.features import AlignItem

    texts: dict[str, list[Any]] = {}
    for c in clauses:
        texts.setdefault(c.item, []).append(c)
    return [
        AlignItem(
            id=item, document=document, part=f"{document}-p01", title=cs[0].text,
            text="".join(c.text for c in cs), span=cs[0].span,
            technologies=tuple(dict.fromkeys(t for c in cs for t in c.technologies)),
            programmes=tuple(dict.fromkeys(g for c in cs for g in c.programmes)),
            words=tuple(w for c in cs for w in c.words),
        )
        for item, cs in texts.items()
    ]  # fmt: skip


def child(size: int, seed: int, items: bool) -> dict[str, Any]:
    """One measurement at ``size`` clauses a side."""
    from align.clause_model import read_model
    from align.clause_pairs import candidate_pairs
    from align.clause_space import build_space
    from align.pipeline import align_items_of
    from align.succession import clause_links, decide
    from core.settings import Settings
    from policykg.pipeline import read_inputs

    inputs = read_inputs(Settings())
    config, model = inputs.config, read_model()
    rng = random.Random(seed)
    source = synthetic_clauses(phrase_pool(inputs, "gd2021"), size, "s", rng)
    target = synthetic_clauses(phrase_pool(inputs, "gd2025"), size, "t", rng)
    from align.clause_level import threads

    times: dict[str, float] = {}
    before = measure.rss()
    measure.reset_peak_rss()
    started = time.perf_counter()
    step = started
    space = build_space(source, target, inputs.lexicon.vocab, config)
    times["space"], step = time.perf_counter() - step, time.perf_counter()
    pairs = candidate_pairs(space, config.clauses, threads(config))
    times["candidates"], step = time.perf_counter() - step, time.perf_counter()
    probability = model.probabilities(pairs.signals)
    decisions = decide(space, pairs, probability, model.threshold, config.clauses.keep)
    times["decisions"], step = time.perf_counter() - step, time.perf_counter()
    links = clause_links(space, pairs, decisions)
    times["links"] = time.perf_counter() - step
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "clauses": size, "seed": seed, "seconds": seconds, "times": times,
        "source_items": len(space.source_items), "target_items": len(space.target_items),
        "pairs": len(pairs.clause), "links": len(links),
        "accepted": sum(1 for lk in links if lk.accepted),
        "rss_before": before, "peak_rss": measure.python_peak_rss(),
    }  # fmt: skip
    del space, pairs, links, decisions, probability
    if items:
        s_items, t_items = _items_of(source, "s"), _items_of(target, "t")
        measure.reset_peak_rss()
        started = time.perf_counter()
        alignment = align_items_of(s_items, t_items, inputs.lexicon, config, None, "s", "t")
        result["item_seconds"] = time.perf_counter() - started
        result["item_peak_rss"] = measure.python_peak_rss()
        result["item_links"] = len(alignment.links)
    return result


def real_corpus(repeat: int) -> dict[str, Any]:
    """The real documents' alignment with and without the clause level, alternated in one
    process: what the clause level adds to ``policykg up``'s alignment step."""
    from align.clause_model import read_model
    from align.clause_space import align_clauses
    from align.features import align_items
    from align.pipeline import align_items_of
    from core.settings import Settings
    from policykg.pipeline import read_inputs

    inputs = read_inputs(Settings())
    s_doc, t_doc = (inputs.corpus.document(k) for k in ("gd2021", "gd2025"))
    s_items, t_items = align_items(s_doc.items), align_items(t_doc.items)
    clauses = (align_clauses(s_doc.items), align_clauses(t_doc.items))
    model = read_model()
    runs: dict[str, list[float]] = {"items": [], "clauses": []}
    for rep in range(repeat + 1):  # the first round warms up and is not counted
        for level in ("items", "clauses"):
            started = time.perf_counter()
            align_items_of(s_items, t_items, inputs.lexicon, inputs.config, None, "gd2021",
                           "gd2025", clauses=clauses if level == "clauses" else None,
                           model=model)  # fmt: skip
            if rep:
                runs[level].append(time.perf_counter() - started)
    items_s, clauses_s = (measure.median(runs[k]) for k in ("items", "clauses"))
    print(
        f"real corpus ({len(clauses[0])} × {len(clauses[1])} clauses, {repeat} runs each, "
        f"alternated): item level {items_s:.3f} s, with the clause level {clauses_s:.3f} s, "
        f"added {clauses_s - items_s:.3f} s (medians)"
    )
    return {"runs": runs, "items_seconds": items_s, "clauses_seconds": clauses_s}


def run_child(size: int, seed: int, items: bool, timeout: float) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.clause_bench",
        "--child",
        str(size),
        "--seed",
        str(seed),
    ]
    if not items:
        command.append("--no-items")
    try:
        done = subprocess.run(
            command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"clauses": size, "error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        return {"clauses": size, "error": f"exit code {done.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summarise(results: Sequence[dict[str, Any]]) -> None:
    print(
        f"\n{'clauses':>15} {'runs':>4} {'seconds':>8} {'space':>6} {'cands':>6} {'decide':>6} "
        f"{'links':>6} {'peak RSS':>9} {'pairs/cl':>8} {'kept/cl':>7} {'items':>7} "
        f"{'item s':>7} {'item RSS':>9} {'ratio':>6}"
    )
    for size in sorted({r["clauses"] for r in results}):
        ok = [r for r in results if r["clauses"] == size and "error" not in r]
        for r in results:
            if r["clauses"] == size and "error" in r:
                print(f"{size:>7} × {size:<7} ERROR {r['error']}")
        if not ok:
            continue

        def med(key: str, runs: list[dict[str, Any]] = ok) -> float:
            return measure.median([r["times"][key] for r in runs])

        seconds = measure.median([r["seconds"] for r in ok])
        item_runs = [r["item_seconds"] for r in ok if "item_seconds" in r]
        item_s = measure.median(item_runs) if item_runs else float("nan")
        item_rss = max((r.get("item_peak_rss", 0) for r in ok), default=0)
        print(
            f"{size:>7} × {size:<7} {len(ok):>4} {seconds:>8.1f} {med('space'):>6.1f} "
            f"{med('candidates'):>6.1f} {med('decisions'):>6.1f} {med('links'):>6.1f} "
            f"{measure.mib(max(r['peak_rss'] for r in ok)):>9} {ok[0]['pairs'] / size:>8.2f} "
            f"{ok[0]['links'] / size:>7.2f} {ok[0]['source_items']:>7,} {item_s:>7.1f} "
            f"{measure.mib(item_rss) if item_rss else '—':>9} {item_s / seconds:>6.2f}"
        )
    print(
        "seconds: the clause alignment, wall (median); space: TF-IDF, words, concepts; cands: "
        "candidate search and signals; decide: model and decisions; links: clause link records; "
        "peak RSS: max over runs, reset before; pairs/cl, kept/cl: candidate pairs and clause "
        "links kept per source clause; items: items a side; item s: the item-level alignment of "
        "the same items (median); ratio: item s / seconds."
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.clause_bench",
        description="Time the clause alignment on synthetic corpora (each run in a fresh "
        "process) against the item-level alignment of the same items.",
    )
    parser.add_argument(
        "--clauses", type=lambda s: [int(x) for x in s.split(",") if x],
        default=[10_000, 100_000], help="clauses a side (10000,100000)",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="fresh runs per size (3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-items", action="store_true", help="skip the item-level run")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    parser.add_argument(
        "--real", action="store_true",
        help="instead: the real documents' alignment with and without the clause level",
    )  # fmt: skip
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.seed, not args.no_items)))
        return 0
    if args.real:
        real = real_corpus(max(args.repeat, 1))
        if args.json:
            data = {**real, "machine": measure.machine(),
                    "revision": measure.git_revision(REPO_ROOT, ("align", "loaders"))}  # fmt: skip
            args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return 0
    revision = measure.git_revision(REPO_ROOT, ("align", "loaders"))
    results = []
    for size in args.clauses:
        for rep in range(1, args.repeat + 1):
            say(f"{size} × {size} clauses: run {rep}/{args.repeat} …")
            result = run_child(size, args.seed + rep - 1, not args.no_items, args.timeout)
            results.append(result)
            if "error" in result:
                say(f"  {result['error']}")
            else:
                say(f"  {result['seconds']:.1f} s, peak RSS {measure.mib(result['peak_rss'])}")
    summarise(results)
    print(f"code: {revision}; load average {os.getloadavg()}")
    if args.json:
        data = {"runs": results, "machine": measure.machine(), "revision": revision}
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
