"""Evaluate an alignment against a hand-written gold standard.

Metrics (over the source items the gold gives at least one primary successor):

- precision@1: the top-ranked target is one of the item's primary successors;
- recall@3: the share of all primary links whose target ranks in the item's top three;
- MRR: the mean of 1 / rank of the item's best-ranked primary successor (0 if not kept);
- dropped / new accuracy: how many source (target) items the alignment classes correctly as
  having no accepted successor (predecessor), against the gold's lists.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from align.records import Alignment
from core.errors import AlignmentError


class GoldMeasure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...] = ()
    why: str


class GoldNew(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tasks: tuple[str, ...]
    why: str


class Gold(BaseModel):
    """A gold standard: for each source item, the target items that carry it on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    target: str
    measure: tuple[GoldMeasure, ...]
    new: GoldNew

    def dropped(self) -> set[str]:
        return {m.id for m in self.measure if not m.primary}


def read_gold(path: Path) -> Gold:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return Gold.model_validate(raw)
    except FileNotFoundError as e:
        raise AlignmentError(f"{path}: gold standard not found") from e
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise AlignmentError(f"{path}: not a valid gold standard: {e}") from e


class Metrics(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    evaluated: int = Field(description="source items with at least one primary link")
    precision_at_1: float
    recall_at_3: float
    mrr: float
    dropped_accuracy: float
    new_accuracy: float
    dropped_predicted: tuple[str, ...]
    dropped_gold: tuple[str, ...]
    new_predicted: tuple[str, ...]
    new_gold: tuple[str, ...]
    misses_at_1: tuple[tuple[str, str, tuple[str, ...]], ...] = Field(
        description="(source, top-ranked target, primary targets) where the top one is wrong"
    )


def evaluate(
    alignment: Alignment, gold: Gold, source_ids: list[str], target_ids: list[str]
) -> Metrics:
    """Score ``alignment`` against ``gold`` (see the module docstring for the metrics)."""
    if (alignment.source, alignment.target) != (gold.source, gold.target):
        raise AlignmentError(
            f"the gold standard is for {gold.source} → {gold.target}, "
            f"the alignment for {alignment.source} → {alignment.target}"
        )
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for link in alignment.links:
        ranked[link.source].append((link.rank, link.target))
    for candidates in ranked.values():
        candidates.sort()

    hits1 = 0
    found3 = 0
    primary_links = 0
    reciprocal = 0.0
    misses = []
    evaluated = [m for m in gold.measure if m.primary]
    for m in evaluated:
        order = [t for _, t in ranked.get(m.id, [])]
        primary = set(m.primary)
        if order and order[0] in primary:
            hits1 += 1
        else:
            misses.append((m.id, order[0] if order else "", m.primary))
        top3 = set(order[:3])
        primary_links += len(primary)
        found3 += len(primary & top3)
        ranks = [r for r, t in enumerate(order, start=1) if t in primary]
        reciprocal += 1.0 / ranks[0] if ranks else 0.0

    dropped_pred = {e.item for e in alignment.coverage.dropped}
    new_pred = {e.item for e in alignment.coverage.new}
    dropped_gold = gold.dropped()
    new_gold = set(gold.new.tasks)
    dropped_acc = sum((s in dropped_pred) == (s in dropped_gold) for s in source_ids) / len(
        source_ids
    )
    new_acc = sum((t in new_pred) == (t in new_gold) for t in target_ids) / len(target_ids)
    n = len(evaluated) or 1
    return Metrics(
        evaluated=len(evaluated),
        precision_at_1=hits1 / n,
        recall_at_3=found3 / (primary_links or 1),
        mrr=reciprocal / n,
        dropped_accuracy=dropped_acc,
        new_accuracy=new_acc,
        dropped_predicted=tuple(sorted(dropped_pred)),
        dropped_gold=tuple(sorted(dropped_gold)),
        new_predicted=tuple(sorted(new_pred)),
        new_gold=tuple(sorted(new_gold)),
        misses_at_1=tuple(misses),
    )
