"""The clause level of an alignment: clause links decide, item links are derived from them.

:func:`align_clauses_of` runs the clause alignment on its own (space → candidate pairs →
the fitted model's probabilities → decisions); :func:`combine` joins it with the item-level
scores, which keep their role as evidence (each signal's contribution, shared terms and
bigrams with their spans) for every item link.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from align.clause_model import ClauseModel
from align.clause_pairs import Pairs, candidate_pairs
from align.clause_space import AlignClause, ClauseSpace, build_space
from align.config import AlignConfig
from align.features import AlignItem
from align.records import (
    RELATION_PREDICATES,
    ClauseLink,
    ClauseVerdict,
    Coverage,
    CoverageEntry,
    Link,
)
from align.score import Scored
from align.succession import Decisions, clause_links, decide, verdicts
from loaders.vocabulary import Vocabularies


@dataclass(frozen=True)
class Candidates:
    """Both documents' clauses as vectors, and the candidate pairs with their signals."""

    space: ClauseSpace
    pairs: Pairs


@dataclass(frozen=True)
class ClauseLevel(Candidates):
    """The clause alignment of two documents: candidates, decisions, kept clause links."""

    decisions: Decisions
    links: list[ClauseLink]


def threads(config: AlignConfig) -> int:
    return config.performance.threads or os.cpu_count() or 1


def clause_candidates(
    source: Sequence[AlignClause],
    target: Sequence[AlignClause],
    vocab: Vocabularies,
    config: AlignConfig,
) -> Candidates:
    """The clause space and the candidate pairs, before any model weighs them."""
    space = build_space(source, target, vocab, config)
    return Candidates(space, candidate_pairs(space, config.clauses, threads(config)))


def align_clauses_of(
    source: Sequence[AlignClause],
    target: Sequence[AlignClause],
    vocab: Vocabularies,
    config: AlignConfig,
    model: ClauseModel,
) -> ClauseLevel:
    """Candidate pairs, their probabilities under ``model``, and the decisions."""
    space, pairs = (c := clause_candidates(source, target, vocab, config)).space, c.pairs
    probability = model.probabilities(pairs.signals)
    decisions = decide(space, pairs, probability, model.threshold, config.clauses.keep)
    return ClauseLevel(space, pairs, decisions, clause_links(space, pairs, decisions))


def _subset(scored: Scored, keep: np.ndarray) -> Scored:
    """The candidates of ``scored`` where ``keep`` is true."""
    return replace(
        scored,
        source=scored.source[keep],
        target=scored.target[keep],
        score=scored.score[keep],
        similarity=scored.similarity[keep],
        rank=scored.rank[keep],
        accepted=scored.accepted[keep],
        contributions={k: v[keep] for k, v in scored.contributions.items()},
        source_hubness=scored.source_hubness[keep],
        target_hubness=scored.target_hubness[keep],
    )


def link_candidates(
    scored: Scored,
    s_items: Sequence[AlignItem],
    t_items: Sequence[AlignItem],
    level: ClauseLevel,
    config: AlignConfig,
) -> Scored:
    """The item pairs that become links: what the item level keeps on its own (each source
    item's best ``top_k`` at or above the floor, and its best one), and every pair the
    clause level accepts."""
    s_index = {it.id: k for k, it in enumerate(s_items)}
    t_index = {it.id: k for k, it in enumerate(t_items)}
    space = level.space
    accepted = {
        (s_index[space.source_items[s]], t_index[space.target_items[t]])
        for s, t in level.decisions.accepted_items
    }
    acc = config.acceptance
    keep = (scored.rank <= acc.top_k) & ((scored.score >= acc.floor) | (scored.rank == 1))
    keep |= np.array(
        [(int(s), int(t)) in accepted for s, t in zip(scored.source, scored.target, strict=True)],
        dtype=bool,
    )
    return _subset(scored, keep)


def combine(
    item_links: Sequence[Link],
    s_items: Sequence[AlignItem],
    t_items: Sequence[AlignItem],
    level: ClauseLevel,
) -> tuple[list[Link], Coverage]:
    """Item links accepted and typed by the clause level (ranked by their item-level
    score, then their clause share), and coverage."""
    space, decisions = level.space, level.decisions
    s_of = {item: k for k, item in enumerate(space.source_items)}
    t_of = {item: k for k, item in enumerate(space.target_items)}
    accepted_links: dict[tuple[str, str], list[ClauseLink]] = {}
    for cl in level.links:
        if cl.accepted:
            accepted_links.setdefault((cl.source.item, cl.target.item), []).append(cl)

    def scored(link: Link) -> Link:
        pair = (s_of[link.source], t_of[link.target])
        relation = decisions.relation.get(pair)
        return link.model_copy(
            update={
                "share": round(decisions.item_score.get(pair, 0.0), 6),
                "accepted": pair in decisions.accepted_items,
                "relation": relation,
                "predicate": RELATION_PREDICATES[relation] if relation else None,
                "clauses": tuple(accepted_links.get((link.source, link.target), ())),
            }
        )

    by_source: dict[str, list[Link]] = {}
    for link in map(scored, item_links):
        by_source.setdefault(link.source, []).append(link)
    links: list[Link] = []
    for item in s_items:
        ranked = sorted(
            by_source.get(item.id, []),
            key=lambda lk: (-lk.score, -(lk.share or 0.0), lk.target),
        )
        links += [lk.model_copy(update={"rank": r}) for r, lk in enumerate(ranked, start=1)]
    return links, _coverage(links, s_items, t_items, level)


def _coverage(
    links: Sequence[Link], s_items: Sequence[AlignItem], t_items: Sequence[AlignItem],
    level: ClauseLevel,
) -> Coverage:  # fmt: skip
    not_continued, dropped, new = verdicts(level.space, level.pairs, level.decisions)
    titles = {it.id: it.title for it in (*s_items, *t_items)}
    best_target = {lk.source: lk for lk in links if lk.rank == 1}
    best_source: dict[str, Link] = {}
    for lk in sorted(links, key=lambda lk: (-lk.score, -(lk.share or 0.0), lk.source)):
        best_source.setdefault(lk.target, lk)

    def entry(
        item: str, best: Link | None, other: str | None, clauses: list[ClauseVerdict]
    ) -> CoverageEntry:
        return CoverageEntry(
            item=item, title=titles[item], best=other, best_title=titles.get(other or ""),
            score=best.score if best else 0.0, clauses=tuple(clauses),
        )  # fmt: skip

    space = level.space
    dropped_entries = [
        entry(space.source_items[s], b := best_target.get(space.source_items[s]),
              b.target if b else None, clauses)
        for s, clauses in sorted(dropped.items())
    ]  # fmt: skip
    new_entries = [
        entry(space.target_items[t], b := best_source.get(space.target_items[t]),
              b.source if b else None, clauses)
        for t, clauses in sorted(new.items())
    ]  # fmt: skip
    return Coverage(dropped=tuple(dropped_entries), new=tuple(new_entries),
                    not_continued=tuple(not_continued))  # fmt: skip


__all__ = ["Candidates", "ClauseLevel", "align_clauses_of", "clause_candidates", "combine"]
