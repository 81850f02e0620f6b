"""Checks of the succession cookbook queries against the alignments the pipeline made.

Each check reads the rows a recipe gave for its parameters and compares them with the
alignment records (``align.records.Alignment``) of the pair of documents they name: for any
series, whatever its documents. The corpus test (``test_graph_load``) runs them over the
corpus's one pair and adds what it knows of these two documents; the family test runs them
over every consecutive pair of a three-document series.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

from align.records import RELATION_PREDICATES, Alignment

Rows = list[dict[str, Any]]
Params = dict[str, Any]
Check = Callable[[Rows, Sequence[Alignment], Params], None]


def _pair(alignments: Sequence[Alignment], params: Params) -> Alignment:
    """The alignment of the pair ``params`` names, by ``source``/``target`` or by the item or
    clause's document (the alignment it is the source of)."""
    if "source" in params:
        (found,) = [
            a for a in alignments if (a.source, a.target) == (params["source"], params["target"])
        ]
        return found
    ident = params.get("item") or params["clause"]
    (found,) = [a for a in alignments if ident.startswith(a.source + "-")]
    return found


def accepted_clause_links(alignment: Alignment) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in alignment.clause_links:
        if c.accepted:
            out.setdefault(c.source.id, set()).add(c.target.id)
    return out


def successors(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    alignment = _pair(alignments, params)
    links = {lk.target: lk for lk in alignment.links if lk.source == params["item"]}
    assert links, "the example item has candidate successors"
    assert {r["successor"] for r in rows} == set(links)
    assert {r["document"] for r in rows} == {alignment.target}
    for r in rows:
        lk = links[r["successor"]]
        assert (r["accepted"], r["relation"], r["rank"]) == (lk.accepted, lk.relation, lk.rank)
        assert (r["share"] is None) == (lk.share is None)
        assert r["share"] is None or abs(r["share"] - lk.share) < 1e-9
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)


def clause_trail(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    # every sentence of the item, in order, each with the clauses accepted for it
    assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["continued_in"] == []  # the title sentence never decides
    went = accepted_clause_links(_pair(alignments, params))
    assert {r["clause"]: set(r["continued_in"]) for r in rows} == {
        r["clause"]: went.get(r["clause"], set()) for r in rows
    }
    for r in rows:
        assert set(r["items"]) == {c.rsplit("-c", 1)[0] for c in r["continued_in"]}


def clause_candidates(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    kept = sorted(
        (c for c in _pair(alignments, params).clause_links if c.source.id == params["clause"]),
        key=lambda c: (-c.score, c.target.id),
    )
    assert kept, "the example clause has kept links"
    assert [(r["clause"], r["accepted"]) for r in rows] == [(c.target.id, c.accepted) for c in kept]
    assert [r["item"] for r in rows] == [c.target.item for c in kept]
    assert [r["probability"] for r in rows] == sorted(
        (r["probability"] for r in rows), reverse=True
    )


def kinds(rows: Rows, alignments: Sequence[Alignment], _: Params) -> None:
    expected: dict[tuple[str, str, str], int] = {}
    for alignment in alignments:
        for lk in alignment.accepted():
            assert lk.relation is not None
            name = RELATION_PREDICATES[lk.relation].removeprefix("skos:")
            key = "_".join(part.upper() for part in re.findall("[a-z]+|[A-Z][a-z]*", name))
            pair = (alignment.source, alignment.target, key)
            expected[pair] = expected.get(pair, 0) + 1
    assert {(r["source"], r["target"], r["predicate"]): r["links"] for r in rows} == expected


def split(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    alignment = _pair(alignments, params)
    targets: dict[str, set[str]] = {}
    for lk in alignment.accepted():
        targets.setdefault(lk.source, set()).add(lk.target)
    assert {r["item"]: {p["successor"] for p in r["parts"]} for r in rows} == {
        s: t for s, t in targets.items() if len(t) > 1
    }
    went = accepted_clause_links(alignment)
    for r in rows:
        assert r["successors"] == len(r["parts"])
        for part in r["parts"]:
            assert part["clauses"], part  # an accepted item link has an accepted clause link
            assert all(
                any(t.startswith(part["successor"] + "-") for t in went[c]) for c in part["clauses"]
            )


def merged(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    sources: dict[str, set[str]] = {}
    for lk in _pair(alignments, params).accepted():
        sources.setdefault(lk.target, set()).add(lk.source)
    assert {r["item"]: {s["item"] for s in r["sources"]} for r in rows} == {
        t: s for t, s in sources.items() if len(s) > 1
    }
    for r in rows:  # "merged" only when that earlier item goes to this one alone
        assert r["earlier"] == len(r["sources"])
        assert all(s["relation"] in {"merged", "partial"} for s in r["sources"])


def not_continued(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    coverage = _pair(alignments, params).coverage
    assert [r["clause"] for r in rows] == [v.clause.id for v in coverage.not_continued]
    assert [r["item"] for r in rows] == [v.clause.item for v in coverage.not_continued]
    assert not any(r["accepted"] for r in rows)  # the best candidate anyway, below threshold
    assert not any(r["clause"].endswith("-c01") for r in rows)  # titles never decide


def coverage(rows: Rows, alignments: Sequence[Alignment], _: Params) -> None:
    by_pair = {(r["source"], r["target"]): r for r in rows}
    assert list(by_pair) == sorted((a.source, a.target) for a in alignments)
    for alignment in alignments:
        row, cov = by_pair[(alignment.source, alignment.target)], alignment.coverage
        assert sorted(row["dropped"]) == [e.item for e in cov.dropped]
        assert (row["new"], row["not_continued"]) == (len(cov.new), len(cov.not_continued))


def new(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    alignment = _pair(alignments, params)
    assert [r["item"] for r in rows] == [e.item for e in alignment.coverage.new]
    for r in rows:
        kept = [lk for lk in alignment.links if lk.target == r["item"]]
        if not kept:
            assert r["closest"] is None
            continue
        top = max(lk.score for lk in kept)
        assert abs(r["score"] - top) < 1e-9
        assert r["closest"] == min(lk.source for lk in kept if lk.score == top)


def chain(rows: Rows, alignments: Sequence[Alignment], params: Params) -> None:
    """Every path of accepted links from the item, through consecutive documents."""
    accepted = {(lk.source, lk.target): lk for a in alignments for lk in a.accepted()}
    paths: list[list[str]] = []
    frontier = [[params["item"]]]
    while frontier:
        longer = [[*p, t] for p in frontier for (s, t) in sorted(accepted) if s == p[-1]]
        paths += longer
        frontier = longer
    assert sorted(r["path"] for r in rows) == sorted(paths)
    document_of = {lk.source: a.source for a in alignments for lk in a.links}
    document_of |= {lk.target: a.target for a in alignments for lk in a.links}
    for r in rows:
        assert r["steps"] == len(r["path"]) - 1
        assert r["documents"] == [document_of[i] for i in r["path"]]
        assert r["relations"] == [
            accepted[(s, t)].relation for s, t in itertools.pairwise(r["path"])
        ]


SUCCESSION_CHECKS: dict[str, Check] = {
    "chain-of-an-item": chain,
    "item-successors": successors,
    "clause-trail": clause_trail,
    "clause-candidates": clause_candidates,
    "kinds-of-succession": kinds,
    "items-split-across-the-next-document": split,
    "items-merging-earlier-items": merged,
    "clauses-not-continued": not_continued,
    "new-items": new,
    "coverage-summary": coverage,
}
