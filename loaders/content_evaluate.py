"""Evaluate the content extractors against the hand-written gold (``data/gold/content.toml``).

The gold fixes its split by item number: even numbers are the tuning part (the cue lists
were tuned on it), odd numbers the held-out part. Every figure is given per part:

- deliverables: precision and recall; a found deliverable matches a gold one of the same
  clause and kind whose name it overlaps (one contains the other, or they share at least
  half their character bigrams);
- targets: precision and recall (same clause, value and unit), and how many of the matched
  ones have the gold's comparator;
- citations: precision and recall (same clause and title);
- instruments, over the coded sample: agreement of the main type and of the main tool (the
  first code, or none), Cohen's kappa of each, and micro precision / recall of the codes
  (clause, tool). The gold's second coding pass gives the coders' own agreement and kappa.

The instrument cues were in the end tuned on both parts of that sample, so their held-out
figures come from a *fresh* sample (``data/gold/instruments-fresh.toml``: other clauses of
every item, coded apart from the method and not looked at while tuning), scored the same way.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import LoaderError
from loaders.records import Clause, Corpus, TargetComparator

PARTS = ("tuning", "held-out")
_M = TypeVar("_M", bound=BaseModel)
NONE = "none"


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldDeliverable(_Gold):
    clause: str
    kind: str
    verb: str
    name: str
    why: str | None = None


class GoldTarget(_Gold):
    clause: str
    value: float
    unit: str
    comparator: TargetComparator
    object: str
    year: int | None = None
    why: str | None = None


class GoldCitation(_Gold):
    clause: str
    title: str
    document: str | None = None


class SecondPass(_Gold):
    note: str
    instruments: dict[str, list[tuple[str, str]]]


class FreshInstruments(_Gold):
    """Instrument codes of a fresh sample of clauses, coded apart from the method."""

    instruments: dict[str, list[tuple[str, str]]]


class ContentGold(_Gold):
    """The judgements: every reviewed item's content, and the instrument sample."""

    split: dict[str, str]
    reviewed: tuple[str, ...]
    deliverable: tuple[GoldDeliverable, ...] = ()
    target: tuple[GoldTarget, ...] = ()
    citation: tuple[GoldCitation, ...] = ()
    instruments: dict[str, list[tuple[str, str]]]
    second_pass: SecondPass | None = None


def _read(path: Path, model: type[_M], what: str) -> _M:
    try:
        return model.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as e:
        raise LoaderError(f"{what} not found", path=path) from e
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise LoaderError(f"{what} is malformed: {e}", path=path) from e


def read_content_gold(path: Path) -> ContentGold:
    """Read the content gold.

    Raises:
        LoaderError: the file is missing, not TOML, or not of the expected shape.
    """
    return _read(path, ContentGold, "content gold")


def read_fresh_instruments(path: Path) -> FreshInstruments:
    """Read the fresh instrument sample.

    Raises:
        LoaderError: the file is missing, not TOML, or not of the expected shape.
    """
    return _read(path, FreshInstruments, "fresh instrument sample")


def part_of(item_or_clause: str) -> str:
    """``tuning`` for an even item number, ``held-out`` for an odd one (the gold's split)."""
    m = re.match(r"^[a-z0-9]+-[a-z](\d+)", item_or_clause)
    if not m:
        raise ValueError(f"not an item or clause id: {item_or_clause!r}")
    return "tuning" if int(m.group(1)) % 2 == 0 else "held-out"


@dataclass
class PR:
    """Precision and recall from counts."""

    found: int = 0
    gold: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


@dataclass
class Agreement:
    """Agreement of two codings of the same clauses on one label each."""

    pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.pairs)

    @property
    def observed(self) -> float:
        return sum(a == b for a, b in self.pairs) / self.n if self.n else 1.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa: (observed - expected) / (1 - expected)."""
        if not self.n:
            return 1.0
        left = Counter(a for a, _ in self.pairs)
        right = Counter(b for _, b in self.pairs)
        expected = sum(left[k] * right[k] for k in left) / self.n**2
        return (self.observed - expected) / (1 - expected) if expected < 1 else 1.0


@dataclass
class PartFigures:
    deliverables: PR = field(default_factory=PR)
    targets: PR = field(default_factory=PR)
    target_comparator: PR = field(default_factory=PR)  # matched with the gold's comparator
    citations: PR = field(default_factory=PR)
    main_type: Agreement = field(default_factory=Agreement)
    main_tool: Agreement = field(default_factory=Agreement)
    codes: PR = field(default_factory=PR)
    misses: list[str] = field(default_factory=list)  # what went wrong, for reading

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {}
        for name in ("deliverables", "targets", "citations", "codes"):
            pr: PR = getattr(self, name)
            out |= {
                f"{name}_precision": round(pr.precision, 3),
                f"{name}_recall": round(pr.recall, 3),
                f"{name}_gold": pr.gold,
            }
        out["target_comparator_correct"] = round(self.target_comparator.recall, 3)
        for name in ("main_type", "main_tool"):
            ag: Agreement = getattr(self, name)
            out |= {
                f"{name}_agreement": round(ag.observed, 3),
                f"{name}_kappa": round(ag.kappa, 3),
                f"{name}_clauses": ag.n,
            }
        return out


@dataclass
class ContentFigures:
    parts: dict[str, PartFigures]
    second_pass: dict[str, PartFigures] | None  # gold's first pass against its second
    fresh: PartFigures | None = None  # the instruments of the fresh sample


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def names_match(a: str, b: str) -> bool:
    """Whether two document names are the same document (containment or bigram Dice ≥ .5)."""
    if a in b or b in a:
        return True
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= 0.5


def _match(gold: Sequence[Any], found: Sequence[Any], same: Callable[[Any, Any], bool]) -> int:
    """Greedy one-to-one matching; ``same(g, f)`` says whether two may match."""
    used: set[int] = set()
    matched = 0
    for g in gold:
        for j, f in enumerate(found):
            if j not in used and same(g, f):
                used.add(j)
                matched += 1
                break
    return matched


def _codes(pairs: Iterable[tuple[str, str]]) -> list[str]:
    return [tool for _, tool in pairs]


def evaluate_content(
    corpus: Corpus, gold: ContentGold, fresh: FreshInstruments | None = None
) -> ContentFigures:
    """Every figure, per part of the gold's split, and the instruments of the ``fresh``
    sample (see the module docstring).

    Raises:
        LoaderError: a gold file names a clause the corpus does not have, or the fresh sample
            codes a clause the gold's sample codes already (it would not be fresh).
    """
    clauses = {c.id: c for i in corpus.items() for c in i.clauses}
    reviewed = set(gold.reviewed)
    figures = {p: PartFigures() for p in PARTS}
    for cid, clause in clauses.items():
        if clause.item in reviewed:
            _score_clause(figures[part_of(cid)], clause, gold)
    for cid, codes in gold.instruments.items():
        if cid not in clauses:
            raise LoaderError(f"content gold names an unknown clause {cid!r}")
        found = [(i.type, i.tool) for i in clauses[cid].instruments]
        _score_codes(figures[part_of(cid)], cid, codes, found)
    second = None
    if gold.second_pass is not None:
        second = {p: PartFigures() for p in PARTS}
        for cid, codes in gold.second_pass.instruments.items():
            first = gold.instruments.get(cid)
            if first is None:
                raise LoaderError(f"second pass codes {cid!r}, which the first pass does not")
            _score_codes(second[part_of(cid)], cid, first, codes)
    fresh_figures = None
    if fresh is not None:
        fresh_figures = PartFigures()
        for cid, codes in fresh.instruments.items():
            if cid not in clauses:
                raise LoaderError(f"fresh instrument sample names an unknown clause {cid!r}")
            if cid in gold.instruments:
                raise LoaderError(f"fresh instrument sample codes {cid!r}, which is not fresh")
            found = [(i.type, i.tool) for i in clauses[cid].instruments]
            _score_codes(fresh_figures, cid, codes, found)
    return ContentFigures(figures, second, fresh_figures)


def _score_clause(f: PartFigures, clause: Clause, gold: ContentGold) -> None:
    cid = clause.id
    gd = [d for d in gold.deliverable if d.clause == cid]
    f.deliverables.gold += len(gd)
    f.deliverables.found += len(clause.deliverables)
    hit = _match(
        gd, clause.deliverables, lambda g, d: g.kind == d.kind and names_match(g.name, d.name)
    )
    f.deliverables.matched += hit
    if hit < max(len(gd), len(clause.deliverables)):
        f.misses.append(
            f"{cid} deliverables: gold {[d.name for d in gd]}, "
            f"found {[d.name for d in clause.deliverables]}"
        )
    gt = [t for t in gold.target if t.clause == cid]
    f.targets.gold += len(gt)
    f.targets.found += len(clause.targets)
    f.targets.matched += _match(
        gt, clause.targets, lambda g, t: g.value == t.value and g.unit == t.unit
    )
    f.target_comparator.gold += len(gt)
    f.target_comparator.matched += _match(
        gt,
        clause.targets,
        lambda g, t: g.value == t.value and g.unit == t.unit and g.comparator == t.comparator,
    )
    gc = [c for c in gold.citation if c.clause == cid]
    f.citations.gold += len(gc)
    f.citations.found += len(clause.citations)
    f.citations.matched += _match(gc, clause.citations, lambda g, c: g.title == c.title_simplified)


def _score_codes(
    f: PartFigures, cid: str, gold: Sequence[tuple[str, str]], found: Sequence[tuple[str, str]]
) -> None:
    f.main_type.pairs.append((gold[0][0] if gold else NONE, found[0][0] if found else NONE))
    f.main_tool.pairs.append((gold[0][1] if gold else NONE, found[0][1] if found else NONE))
    g, x = set(_codes(gold)), set(_codes(found))
    f.codes.gold += len(g)
    f.codes.found += len(x)
    f.codes.matched += len(g & x)
    if g != x:
        f.misses.append(f"{cid} instruments: gold {_codes(gold)}, found {_codes(found)}")


def figures_table(figures: Mapping[str, PartFigures]) -> list[tuple[str, list[str]]]:
    """Rows (metric, one value per part) for printing."""
    rows: list[tuple[str, list[str]]] = []
    parts = [figures[p].as_dict() for p in PARTS if p in figures]
    for key in parts[0]:
        rows.append((key, [str(p[key]) for p in parts]))
    return rows
