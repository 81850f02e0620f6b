"""The records an alignment produces: scored links with evidence, and coverage.

A link runs from a *source* item (an earlier document's measure) to a *target* item (a later
document's task). Every link carries its score in [0, 1], its rank among the source item's
candidates, whether it was accepted, and the evidence a researcher can check.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from loaders.records import Span

Relation = Literal["continued", "split", "merged", "partial"]
#: The SKOS mapping predicate (SSSOM's predicate_id) each kind of succession is written as:
#: a measure split over several tasks has each task as a narrower match, a task merging
#: several measures is a broader match of each, a one-to-one continuation a close match, and
#: a link carrying only part of the measure (or many-to-many) a related match.
RELATION_PREDICATES: dict[Relation, str] = {
    "continued": "skos:closeMatch",
    "split": "skos:narrowMatch",
    "merged": "skos:broadMatch",
    "partial": "skos:relatedMatch",
}


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SharedTerm(_Record):
    """A key term both items use, with where it occurs on each side (original-file spans)."""

    term: str
    weight: float = Field(description="the term's share of the lexical similarity")
    source_spans: tuple[Span, ...]
    target_spans: tuple[Span, ...]


class Evidence(_Record):
    """Why a link scored as it did."""

    contributions: dict[str, float] = Field(
        description="each signal's weighted similarity; they sum to `similarity`"
    )
    similarity: float = Field(description="the weighted mean of the signals' similarities")
    source_hubness: float = Field(
        description="the source item's mean similarity to its nearest targets (r_S)"
    )
    target_hubness: float = Field(
        description="the target item's mean similarity to its nearest sources (r_T)"
    )
    shared_terms: tuple[SharedTerm, ...] = Field(
        default=(), description="jieba words both items use (the word signal)"
    )
    shared_bigrams: tuple[SharedTerm, ...] = Field(
        default=(), description="character bigrams both items use (the character signal)"
    )
    technologies: tuple[str, ...] = Field(default=(), description="shared concept ids")
    programmes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    parts: tuple[str, str] | None = Field(default=None, description="(source part, target part)")
    item_score: float | None = Field(
        default=None,
        description="the item-level score, clip(2·similarity − source_hubness − "
        "target_hubness, 0, 1), which ranks and accepts links when no clause level is run",
    )


class ClauseRef(_Record):
    """A clause as a link names it: its id, its item and where it is in the original file."""

    id: str
    item: str
    span: Span


class ClauseLink(_Record):
    """A source clause and the target item (through its most similar sentence) that may
    carry it on: ``score`` is the model's probability, ``accepted`` that it reached the
    threshold; ``signals`` are the values the model weighed."""

    source: ClauseRef
    target: ClauseRef
    score: float = Field(ge=0.0, le=1.0)
    accepted: bool
    signals: dict[str, float]


class Link(_Record):
    """A scored candidate link from a source item to a target item.

    ``score`` and ``rank`` come from the item-level signals (how alike the two items are as
    wholes, corrected for hubs): the best-ranked target is the item's main successor.
    Whether the link holds comes from the clauses: ``accepted`` means at least one clause
    link between them was accepted, ``share`` is the expected share of the source item's
    clauses the target carries on, ``relation`` says what kind of succession it is (and
    ``predicate`` its SKOS mapping predicate), and ``clauses`` are the accepted clause
    links behind it.
    """

    source: str
    target: str
    score: float = Field(ge=0.0, le=1.0)
    rank: int = Field(ge=1)
    accepted: bool
    evidence: Evidence
    share: float | None = Field(
        default=None, ge=0.0, le=1.0, description="expected share of the source's clauses carried"
    )
    relation: Relation | None = None
    predicate: str | None = None
    clauses: tuple[ClauseLink, ...] = ()


class ClauseVerdict(_Record):
    """One clause behind a coverage verdict: its best candidate anyway, and the score that
    stayed below the threshold."""

    clause: ClauseRef
    best: ClauseRef | None
    score: float


class CoverageEntry(_Record):
    """An item with no accepted counterpart, its best candidate anyway, and its clauses."""

    item: str
    title: str
    best: str | None
    best_title: str | None
    score: float
    clauses: tuple[ClauseVerdict, ...] = ()


class Coverage(_Record):
    """Source items with no accepted successor, target items with no accepted predecessor."""

    dropped: tuple[CoverageEntry, ...] = Field(
        description="source items none of whose clauses is carried on"
    )
    new: tuple[CoverageEntry, ...] = Field(
        description="target items none of whose clauses carries a source clause on"
    )
    not_continued: tuple[ClauseVerdict, ...] = Field(
        default=(), description="every source clause that no target item carries on"
    )


class Alignment(_Record):
    """Every kept link between two documents, with the method that produced it."""

    source: str
    target: str
    method: str
    method_version: str
    config_digest: str
    links: tuple[Link, ...]
    coverage: Coverage
    clause_links: tuple[ClauseLink, ...] = Field(
        default=(), description="every kept clause link: each source clause's best candidates"
    )

    def accepted(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.accepted)
