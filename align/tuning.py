"""Fitting the clause model on judged clauses, and measuring it honestly on others.

The judgements (``data/gold/gd2021-gd2025-clauses.toml``) say, for every clause of the
source document, which target items carry it on. They are split by source item and by
target item (:func:`halves`: the *tune* half and the *held-out* half), and every figure is
computed for judgements the model was not fitted on:

* source-side figures (clause P@1, clause links, carried clauses, dropped items, and the
  item-level P@1 / R@3 / MRR against the item-level gold) come from a model fitted on the
  clauses of the other source items;
* target-side figures (new target items) come from a model fitted without the judgements
  about the target items evaluated.

:func:`held_out` reports the held-out half with models fitted on the tune half;
:func:`cross_validated` reports every item, each predicted by a model fitted on the other
folds. The model written to ``align/clause-model.toml`` (``policykg evaluate --fit``) is fitted
on all judgements; the figures describe how the method does on judgements it has not seen.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from align.clause_level import Candidates
from align.clause_model import ClauseModel, fit
from align.evaluate import Gold
from align.succession import decide, substantive
from core.errors import AlignmentError

FOLDS = 4


class JudgedClause(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str
    tasks: tuple[str, ...]
    why: str


class ClauseGold(BaseModel):
    """Judgements of clauses: the target items that carry each source clause on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    target: str
    clause: tuple[JudgedClause, ...]

    def targets(self) -> dict[str, set[str]]:
        return {c.id: set(c.tasks) for c in self.clause}


def read_clause_gold(path: Path) -> ClauseGold:
    """Read clause judgements.

    Raises:
        AlignmentError: the file is missing or malformed.
    """
    try:
        return ClauseGold.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as e:
        raise AlignmentError(f"{path}: clause judgements not found") from e
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise AlignmentError(f"{path}: not valid clause judgements: {e}") from e


@dataclass(frozen=True)
class Judged:
    """The candidate pairs of a clause level, labelled by the judgements."""

    level: Candidates
    labels: np.ndarray  # 1 continued, 0 not, per pair
    judged: np.ndarray  # bool: the pair's clause is judged
    source_item: np.ndarray  # per pair
    gold: dict[str, set[str]]  # clause id → target items
    keep: int  # clause links kept per source clause (the method's setting)


def judge(level: Candidates, gold: ClauseGold, keep: int) -> Judged:
    """Label every candidate pair whose source clause has a judgement; ``keep`` is the
    method's number of clause links kept per clause (item scores sum over those)."""
    targets = gold.targets()
    space, pairs = level.space, level.pairs
    clause_ids = [c.id for c in space.source]
    judged = np.array([clause_ids[c] in targets for c in pairs.clause], dtype=bool)
    labels = np.array(
        [space.target_items[t] in targets.get(clause_ids[c], ()) for c, t in
         zip(pairs.clause.tolist(), pairs.item.tolist(), strict=True)],
        dtype=np.int64,
    )  # fmt: skip
    return Judged(level, labels, judged, space.item_of_s[pairs.clause], targets, keep)


def fit_on(judged: Judged, keep: np.ndarray, fitted_on: str) -> ClauseModel:
    """The model fitted on the judged pairs where ``keep`` is true."""
    rows = keep & judged.judged
    return fit(
        judged.level.pairs.signals[rows],
        judged.labels[rows],
        judged.level.pairs.clause[rows],
        judged.source_item[rows],
        fitted_on=fitted_on,
    )


def halves(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """Every other name (in sorted order) for tuning, the rest held out."""
    ordered = sorted(names)
    return set(ordered[0::2]), set(ordered[1::2])


class Figures(BaseModel):
    """What a protocol measured, on judgements the model was not fitted on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    part: str
    source_items: int
    target_items: int
    item_precision_at_1: float
    item_recall_at_3: float
    item_mrr: float
    clause_precision_at_1: float
    clause_link_precision: float
    clause_link_recall: float
    carried_precision: float
    carried_recall: float
    dropped_precision: float
    dropped_recall: float
    new_precision: float
    new_recall: float
    dropped: tuple[str, ...]
    new: tuple[str, ...]


def _pr(predicted: set[str], gold: set[str]) -> tuple[float, float]:
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 1.0 if not gold else 0.0
    recall = hits / len(gold) if gold else 1.0
    return precision, recall


def figures(
    judged: Judged,
    source_probability: np.ndarray,
    source_threshold: float | np.ndarray,
    target_probability: np.ndarray,
    target_threshold: float | np.ndarray,
    items: set[str],
    targets: set[str],
    item_gold: Gold,
    part: str,
    keep: int,
) -> Figures:
    """The figures for source ``items`` and target items ``targets``; each pair's
    probability and threshold come from a model not fitted on its judgement."""
    level = judged.level
    space, pairs = level.space, level.pairs
    src = decide(space, pairs, source_probability, source_threshold, keep)
    deciding = substantive(space)
    clause_ids = [c.id for c in space.source]
    item_of = {c.id: c.item for c in space.source}

    # clause P@1 (every judged clause the gold says is carried on), by the model's ranking
    top: dict[int, int] = {}
    for k in np.lexsort((-source_probability, pairs.clause)).tolist():
        top.setdefault(int(pairs.clause[k]), k)
    hits = continued = 0
    for c, clause in enumerate(space.source):
        if clause.item in items and judged.gold.get(clause.id):
            continued += 1
            k = top.get(c)
            hits += k is not None and space.target_items[pairs.item[k]] in judged.gold[clause.id]

    # links, carried clauses and dropped items: the substantive clauses decide
    evaluated = [c for c, clause in enumerate(space.source)
                 if clause.item in items and clause.id in judged.gold and deciding[c]]  # fmt: skip
    evaluated_ids = {clause_ids[c] for c in evaluated}
    found = {
        f"{clause_ids[pairs.clause[k]]}>{space.target_items[pairs.item[k]]}"
        for k in np.flatnonzero(src.accepted).tolist()
        if clause_ids[pairs.clause[k]] in evaluated_ids
    }
    gold_links = {f"{c}>{t}" for c in evaluated_ids for t in judged.gold[c]}
    link_p, link_r = _pr(found, gold_links)
    carried = {x.split(">")[0] for x in found}
    gold_carried = {c for c in evaluated_ids if judged.gold[c]}
    carried_p, carried_r = _pr(carried, gold_carried)
    judged_items = {item_of[c] for c in evaluated_ids}
    dropped = judged_items - {item_of[c] for c in carried}
    dropped_p, dropped_r = _pr(dropped, judged_items - {item_of[c] for c in gold_carried})

    # new target items: no accepted link into them from any substantive clause
    tgt = decide(space, pairs, target_probability, target_threshold, keep)
    taking = {space.target_items[t] for _, t in tgt.accepted_items}
    gold_taking = {t for c, ts in judged.gold.items() if deciding[clause_ids.index(c)] for t in ts}
    new = targets - taking
    new_p, new_r = _pr(new, targets - gold_taking)

    # item-level ranking against the item gold
    ranked: dict[str, list[str]] = {}
    for (s, t), _ in sorted(src.item_score.items(), key=lambda kv: -kv[1]):
        ranked.setdefault(space.source_items[s], []).append(space.target_items[t])
    p1 = r3 = mrr = 0.0
    primary_links = 0
    evaluated_items = [m for m in item_gold.measure if m.id in items and m.primary]
    for m in evaluated_items:
        order = ranked.get(m.id, [])
        p1 += bool(order) and order[0] in m.primary
        primary_links += len(m.primary)
        r3 += len(set(m.primary) & set(order[:3]))
        ranks = [r for r, t in enumerate(order, start=1) if t in m.primary]
        mrr += 1.0 / ranks[0] if ranks else 0.0
    n = len(evaluated_items) or 1
    return Figures(
        part=part, source_items=len(items), target_items=len(targets),
        item_precision_at_1=p1 / n, item_recall_at_3=r3 / (primary_links or 1), item_mrr=mrr / n,
        clause_precision_at_1=hits / (continued or 1), clause_link_precision=link_p,
        clause_link_recall=link_r, carried_precision=carried_p, carried_recall=carried_r,
        dropped_precision=dropped_p, dropped_recall=dropped_r, new_precision=new_p,
        new_recall=new_r, dropped=tuple(sorted(dropped)), new=tuple(sorted(new)),
    )  # fmt: skip


def _predicted(
    judged: Judged, folds: list[set[str]], key: np.ndarray, names: list[str], side: str
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's probability and threshold from the model fitted without its fold."""
    probability = np.zeros(len(judged.labels))
    threshold = np.ones(len(judged.labels))
    signals = judged.level.pairs.signals
    for n, fold in enumerate(folds):
        index = [names.index(x) for x in fold]
        out = np.isin(key, index)
        model = fit_on(judged, ~out, f"{side} fold {n + 1} of {len(folds)} left out")
        probability[out] = model.probabilities(signals[out])
        threshold[out] = model.threshold
    return probability, threshold


def _protocol(judged: Judged, item_gold: Gold, folds: list[set[str]], task_folds: list[set[str]],
              items: set[str], targets: set[str], part: str) -> Figures:  # fmt: skip
    space, pairs = judged.level.space, judged.level.pairs
    sp_, st_ = _predicted(judged, folds, judged.source_item, space.source_items, "source")
    tp_, tt_ = _predicted(judged, task_folds, pairs.item, space.target_items, "target")
    return figures(judged, sp_, st_, tp_, tt_, items, targets, item_gold, part, judged.keep)


def held_out(judged: Judged, item_gold: Gold) -> Figures:
    """The held-out half, with models fitted on the tune half (see :func:`halves`)."""
    space = judged.level.space
    _, held_s = halves({c.item for c in space.source if c.id in judged.gold})
    _, held_t = halves(space.target_items)
    return _protocol(judged, item_gold, [held_s], [held_t], held_s, held_t, "held-out half")


def cross_validated(judged: Judged, item_gold: Gold, folds: int = FOLDS) -> Figures:
    """Every judged item, each predicted by a model fitted on the other ``folds``."""
    space = judged.level.space
    items = sorted({c.item for c in space.source if c.id in judged.gold})
    targets = sorted(space.target_items)
    source_folds = [set(items[k::folds]) for k in range(folds)]
    target_folds = [set(targets[k::folds]) for k in range(folds)]
    return _protocol(judged, item_gold, source_folds, target_folds, set(items), set(targets),
                     f"{folds}-fold cross-validation")  # fmt: skip


def fit_all(judged: Judged) -> ClauseModel:
    """The model fitted on every judgement: the one the method ships with."""
    return fit_on(judged, np.ones(len(judged.labels), dtype=bool), "all clause judgements")
