"""From clause links to what became of each item: typed item links and coverage verdicts.

The decisions are made clause by clause (a clause link is accepted when the model's
probability reaches its threshold) and everything else follows from them. Only
*substantive* clauses decide: an item's title sentence restates its topic in a few generic
words, so its links are kept and shown (with their scores) but never accepted, unless the
title is all the item has.

* each source clause keeps its few most probable candidates (and every accepted one): the
  clause links;
* an item link (source item → target item) is **accepted** when at least one of its clause
  links is; its **score** is the expected share of the source item's clauses the target
  carries on (the sum of its clause links' probabilities over the number of clauses);
* its **relation**: ``continued`` (one to one, at least half the source item's clauses
  carried), ``split`` (the source item goes to several target items, this one taking only
  this source), ``merged`` (the target item takes several source items, this one going
  nowhere else), ``partial`` (one to one but less than half carried, or many to many);
* a substantive source clause no target carries on is **not continued**; a source item none of whose
  clauses is carried on is **dropped**; a target item that carries no source clause on is
  **new**.

Pure functions over indexes and arrays; :mod:`align.pipeline` turns them into records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from align.clause_pairs import SIGNALS, Pairs
from align.clause_space import AlignClause, ClauseSpace
from align.records import ClauseLink, ClauseRef, ClauseVerdict, Relation

ItemPair = tuple[int, int]  # (source item index, target item index)


def ref(clause: AlignClause) -> ClauseRef:
    return ClauseRef(id=clause.id, item=clause.item, span=clause.span)


@dataclass(frozen=True)
class Decisions:
    """The clause-level decisions and what follows from them for items."""

    probability: np.ndarray  # per candidate pair
    accepted: np.ndarray  # bool per candidate pair
    kept: np.ndarray  # bool per candidate pair: a clause link
    item_score: dict[ItemPair, float]  # every item pair with a candidate
    accepted_items: set[ItemPair]
    relation: dict[ItemPair, Relation]


def substantive(space: ClauseSpace) -> np.ndarray:
    """Per source clause: True unless it is the title of an item that has other clauses."""
    clauses_of = np.bincount(space.item_of_s, minlength=len(space.source_items))
    deciding: np.ndarray = ~space.title_s | (clauses_of[space.item_of_s] == 1)
    return deciding


def _kept(pairs: Pairs, probability: np.ndarray, accepted: np.ndarray, keep: int) -> np.ndarray:
    order = np.lexsort((-probability, pairs.clause))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - np.searchsorted(pairs.clause[order], pairs.clause[order])
    kept: np.ndarray = (rank < keep) | accepted
    return kept


def decide(
    space: ClauseSpace,
    pairs: Pairs,
    probability: np.ndarray,
    threshold: float | np.ndarray,
    keep: int,
) -> Decisions:
    """Accept substantive clause links at ``threshold`` (one value, or one per pair), keep
    each clause's ``keep`` best, and derive item scores and relations."""
    accepted = (probability >= threshold) & substantive(space)[pairs.clause]
    kept = _kept(pairs, probability, accepted, keep)
    clauses_of = np.bincount(space.item_of_s, minlength=len(space.source_items))
    deciding = np.bincount(space.item_of_s[substantive(space)], minlength=len(space.source_items))
    source_item = space.item_of_s[pairs.clause]
    score: dict[ItemPair, float] = defaultdict(float)
    for k in np.flatnonzero(kept).tolist():
        s = int(source_item[k])
        score[(s, int(pairs.item[k]))] += float(probability[k]) / clauses_of[s]
    carried: dict[ItemPair, set[int]] = defaultdict(set)
    for k in np.flatnonzero(accepted).tolist():
        carried[(int(source_item[k]), int(pairs.item[k]))].add(int(pairs.clause[k]))
    return Decisions(
        probability=probability,
        accepted=accepted,
        kept=kept,
        item_score={k: min(1.0, v) for k, v in score.items()},
        accepted_items=set(carried),
        relation=relations(carried, deciding),
    )


def relations(
    carried: dict[ItemPair, set[int]], clauses_of: np.ndarray
) -> dict[ItemPair, Relation]:
    """The kind of succession of each accepted item pair (see the module docstring);
    ``clauses_of`` counts each source item's substantive clauses."""
    targets: dict[int, set[int]] = defaultdict(set)
    sources: dict[int, set[int]] = defaultdict(set)
    for s, t in carried:
        targets[s].add(t)
        sources[t].add(s)
    out: dict[ItemPair, Relation] = {}
    for (s, t), clauses in carried.items():
        many_targets, many_sources = len(targets[s]) > 1, len(sources[t]) > 1
        if many_targets and not many_sources:
            out[(s, t)] = "split"
        elif many_sources and not many_targets:
            out[(s, t)] = "merged"
        elif not many_sources and not many_targets and 2 * len(clauses) >= clauses_of[s]:
            out[(s, t)] = "continued"
        else:
            out[(s, t)] = "partial"
    return out


def clause_links(space: ClauseSpace, pairs: Pairs, decisions: Decisions) -> list[ClauseLink]:
    """The kept clause links as records, in source order, most probable first.

    Values are rounded to six decimals once, as arrays; the records are built without
    validating again what the arrays already guarantee (probabilities in [0, 1])."""
    order = np.lexsort((-decisions.probability, pairs.clause))
    order = order[decisions.kept[order]]
    scores = np.round(decisions.probability[order], 6).tolist()
    signals = np.round(pairs.signals[order], 6).tolist()
    accepted = decisions.accepted[order].tolist()
    sources = pairs.clause[order].tolist()
    targets = pairs.best[order].tolist()
    source_refs = {c: ref(space.source[c]) for c in set(sources)}
    target_refs = {c: ref(space.target[c]) for c in set(targets)}
    return [
        ClauseLink.model_construct(
            source=source_refs[s], target=target_refs[t], score=score, accepted=a,
            signals=dict(zip(SIGNALS, values, strict=True)),
        )
        for s, t, score, a, values in zip(sources, targets, scores, accepted, signals, strict=True)
    ]  # fmt: skip


def best_per_source_clause(
    space: ClauseSpace, pairs: Pairs, probability: np.ndarray
) -> dict[int, int]:
    """Each source clause's most probable candidate pair (clauses with none are absent)."""
    best: dict[int, int] = {}
    for k in np.lexsort((-probability, pairs.clause)).tolist():
        best.setdefault(int(pairs.clause[k]), k)
    return best


def verdicts(
    space: ClauseSpace, pairs: Pairs, decisions: Decisions
) -> tuple[list[ClauseVerdict], dict[int, list[ClauseVerdict]], dict[int, list[ClauseVerdict]]]:
    """The clauses behind the coverage verdicts.

    Returns every substantive source clause not carried on (with its best candidate anyway;
    a title sentence is never accepted, so it is not counted as not continued), and, by
    item index, the clauses of dropped source items and of new target items (a new target
    item's clauses with the source clause most like each).
    """
    p = decisions.probability
    best = best_per_source_clause(space, pairs, p)
    carried = set(pairs.clause[decisions.accepted].tolist())
    deciding = substantive(space)
    not_continued = []
    by_source: dict[int, list[ClauseVerdict]] = defaultdict(list)
    for c, clause in enumerate(space.source):
        if c in carried:
            continue
        k = best.get(c)
        verdict = ClauseVerdict(
            clause=ref(clause),
            best=ref(space.target[pairs.best[k]]) if k is not None else None,
            score=round(float(p[k]), 6) if k is not None else 0.0,
        )
        by_source[int(space.item_of_s[c])].append(verdict)
        if deciding[c]:  # a title is never accepted, so it is not "not continued" either
            not_continued.append(verdict)
    carried_items = {s for s, _ in decisions.accepted_items}
    dropped = {s: v for s, v in by_source.items() if s not in carried_items}

    taking = {t for _, t in decisions.accepted_items}
    new: dict[int, list[ClauseVerdict]] = defaultdict(list)
    best_source: dict[int, int] = {}
    for k in np.lexsort((-p, pairs.best)).tolist():
        best_source.setdefault(int(pairs.best[k]), k)
    for t_clause, clause in enumerate(space.target):
        t = int(space.item_of_t[t_clause])
        if t in taking:
            continue
        k = best_source.get(t_clause)
        new[t].append(
            ClauseVerdict(
                clause=ref(clause),
                best=ref(space.source[pairs.clause[k]]) if k is not None else None,
                score=round(float(p[k]), 6) if k is not None else 0.0,
            )
        )
    return not_continued, dropped, dict(new)
