"""The records an alignment produces: scored links with evidence, and coverage.

A link runs from a *source* item (an earlier document's measure) to a *target* item (a later
document's task). Every link carries its score in [0, 1], its rank among the source item's
candidates, whether it was accepted, and the evidence a researcher can check.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from loaders.records import Span


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


class Link(_Record):
    """A scored candidate link from a source item to a target item."""

    source: str
    target: str
    score: float = Field(ge=0.0, le=1.0)
    rank: int = Field(ge=1)
    accepted: bool
    evidence: Evidence


class CoverageEntry(_Record):
    """An item with no accepted counterpart, and its best candidate anyway."""

    item: str
    title: str
    best: str | None
    best_title: str | None
    score: float


class Coverage(_Record):
    """Source items with no accepted successor, target items with no accepted predecessor."""

    dropped: tuple[CoverageEntry, ...] = Field(description="source items: dropped or absorbed")
    new: tuple[CoverageEntry, ...] = Field(description="target items: new work")


class Alignment(_Record):
    """Every kept link between two documents, with the method that produced it."""

    source: str
    target: str
    method: str
    method_version: str
    config_digest: str
    links: tuple[Link, ...]
    coverage: Coverage

    def accepted(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.accepted)
