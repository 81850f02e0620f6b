"""The REST API's contract (v1): response and request models, separate per role.

Every object carries ``id`` (the loader's id, e.g. ``gd2021-m12``) and ``iri``. Lists are
``{"data": [...], "count": N}`` where ``count`` is the number of matches before paging.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from loaders.records import ItemKind, Role

T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(_Model, Generic[T]):
    """A list: ``data`` (one page of it) and ``count``, the number of matches before paging."""

    data: list[T]
    count: int = Field(ge=0, description="matches before paging (limit, offset)")


class Health(_Model):
    status: Literal["ok", "unavailable"]
    neo4j: Literal["up", "down"]
    graph_version: str | None = Field(description="changes on every load of the graph")
    loaded_at: dt.datetime | None = None
    nodes: int | None = None
    relationships: int | None = None


class Ref(_Model):
    """A reference to another object: enough to show it and to follow it."""

    id: str
    iri: str
    name: str


class DocumentSummary(_Model):
    id: str
    iri: str
    title: str
    number: str | None
    date: dt.date
    type: str
    issuer: Ref | None
    items: int
    kind: ItemKind | None


class OutlineGroup(_Model):
    id: str
    iri: str
    number: int
    title: str
    title_simplified: str
    items: list[str]


class OutlinePart(_Model):
    id: str
    iri: str
    number: int
    title: str
    title_simplified: str
    groups: list[OutlineGroup]
    items: list[str]


class DocumentDetail(DocumentSummary):
    note: str | None
    preamble: str | None
    parts: list[OutlinePart]


class Documents(Page[DocumentSummary]):
    pass


class ItemSummary(_Model):
    id: str
    iri: str
    kind: ItemKind
    document: str
    number: int
    title: str
    title_simplified: str


class Items(Page[ItemSummary]):
    pass


class AgencyRole(_Model):
    id: str
    iri: str
    name: str
    role: Role
    surface: str | None = Field(description="the name as the clause writes it")
    inherited_from: str | None = Field(description="the item whose 下同 carried this role here")


class SpanOut(_Model):
    """Where a text is in its original file: character offsets (end exclusive) and line."""

    start: int
    end: int
    line: int


class ClauseBrief(_Model):
    """A clause, enough to show and follow it."""

    id: str
    iri: str
    item: str
    number: int
    text: str = Field(description="original text, in the document's own script")
    text_simplified: str
    span: SpanOut


class DeliverableOut(_Model):
    """A document the clause promises to issue, draft, revise or legislate."""

    kind: str = Field(description="document kind: 方案, 意见, 办法, 条例, 规划, 标准 …")
    verb: str = Field(description="the issuing verb as written: 出台, 印发, 制定, 立法 …")
    name: str = Field(description="the document's name (Simplified)")
    span: SpanOut


class TargetOut(_Model):
    """A quantified or dated commitment of the clause."""

    value: float
    unit: str
    comparator: Literal["at_least", "at_most", "reach"]
    object: str = Field(description="what is measured, as the clause words it")
    year: int | None
    span: SpanOut


class CitationOut(_Model):
    """A document the clause names in 《…》."""

    title: str = Field(description="as written, in the document's own script")
    title_simplified: str
    document: str | None = Field(description="the corpus document it is, or null")
    iri: str = Field(description="its node: the corpus document, or an external one")
    span: SpanOut


class InstrumentOut(_Model):
    """A policy instrument the clause uses (Rothwell-Zegveld), with the cue that shows it."""

    type: Literal["supply", "environment", "demand"] = Field(
        description="供给型 supply, 环境型 environment, 需求型 demand"
    )
    tool: str = Field(description="the codebook's sub-tool (data/vocab/instruments.toml)")
    tool_name: str = Field(description="its Chinese name: 资金投入, 技术研发 …")
    cue: str
    span: SpanOut


class ClauseContent(_Model):
    """What a clause commits to. An empty ``instruments`` says it uses no instrument."""

    deliverables: list[DeliverableOut]
    targets: list[TargetOut]
    citations: list[CitationOut]
    instruments: list[InstrumentOut] = Field(description="the main instrument first")


class ClauseLinkOut(_Model):
    """A clause link as seen from one end: the clause at the other end, its item, the
    model's probability that one carries the other on, and whether it was accepted."""

    clause: ClauseBrief
    item: ItemSummary
    score: float
    accepted: bool


class ClauseSummary(ClauseBrief):
    continued_in: list[ClauseLinkOut] = Field(
        description="accepted links to later documents: where this clause went"
    )
    carried_from: list[ClauseLinkOut] = Field(
        description="accepted links from earlier documents: the clauses this one carries on"
    )
    not_continued_in: list[str] = Field(
        description="later documents whose alignment found nothing carrying this clause on"
    )
    content: ClauseContent = Field(
        description="what it promises, the targets it sets, what it cites, the instruments it uses"
    )


class ClauseDetail(ClauseSummary):
    item_summary: ItemSummary
    script: str
    technologies: list[Ref]
    regions: list[Ref]
    programmes: list[Ref]
    candidates: list[ClauseLinkOut] = Field(
        description="every kept link to a later document, accepted or not, best first"
    )
    sources: list[ClauseLinkOut] = Field(
        description="every kept link from an earlier document, accepted or not, best first"
    )
    signals: dict[str, dict[str, float]] = Field(
        description="for each candidate and source clause id, the signals the model weighed"
    )


class ItemDetail(ItemSummary):
    text: str = Field(description="original text, in the document's own script")
    text_simplified: str
    script: str
    part: Ref
    group: Ref | None
    agencies: list[AgencyRole]
    open_ended: bool | None
    technologies: list[Ref]
    regions: list[Ref]
    programmes: list[Ref]
    span: tuple[int, int]
    line: int
    clauses: list[ClauseSummary] = Field(description="its sentences, the title first")


class Named(_Model):
    """Something with labels in three languages: an agency, a technology, a place."""

    id: str
    iri: str
    name: str = Field(description="Simplified Chinese label")
    name_hant: str | None = Field(description="Traditional Chinese label")
    name_en: str | None = Field(description="English label")


class AgencySummary(Named):
    kind: str | None
    resolved: bool
    generic: bool = Field(
        default=False,
        description="a kind of body rather than one body: a collective addressee of the "
        "registry (各地级以上市人民政府) or a collective phrase of a text (各有关单位)",
    )
    parent: Ref | None
    lead: int
    shared: int
    implementing: int
    supporting: int = Field(description="tasks it supports (配合), as some yearly plans write")


class Agencies(Page[AgencySummary]):
    pass


class NameInForce(_Model):
    """A body of an agency's lineage (through reorganisations) and the period it held its name."""

    id: str
    iri: str
    name: str
    since: dt.date | None = Field(description="the change that began it (None: before records)")
    until: dt.date | None = Field(description="the change that ended it (None: in force)")
    source: str | None = Field(description="what the change is known from")


class DocumentRole(_Model):
    """A role a body of the agency's lineage played in a document."""

    document: str
    date: dt.date
    agency: str = Field(description="the body in force then (the lineage member that acted)")
    role: str
    item: ItemSummary


class AgencyDetail(AgencySummary):
    aliases: list[str] = Field(
        description="names used for it: registry aliases and the forms the texts write"
    )
    former_names: list[str]
    sub_organizations: list[Ref]
    items: dict[str, list[ItemSummary]] = Field(
        description="items by role: lead, shared, implementing, and mentioned (named in the text)"
    )
    names_over_time: list[NameInForce] = Field(
        default=[], description="its names in force at each date: predecessors and successors"
    )
    roles_by_document: list[DocumentRole] = Field(
        default=[], description="the roles it (or the body in force then) played, per document"
    )


class ConceptSummary(Named):
    items: int = Field(description="items naming it directly")


class Concepts(Page[ConceptSummary]):
    pass


class TechnologyDetail(ConceptSummary):
    alt_labels: list[str]
    broader: list[Ref]
    narrower: list[Ref]
    item_list: list[ItemSummary] = Field(description="items naming it or a narrower concept")


class RegionSummary(ConceptSummary):
    kind: str | None
    code: str | None = Field(description="official administrative division code")


class Regions(Page[RegionSummary]):
    pass


class RegionDetail(RegionSummary):
    within: list[Ref] = Field(description="places it lies inside (its parent, its region)")
    parts: list[Ref] = Field(description="places lying inside it")
    item_list: list[ItemSummary] = Field(description="items naming it or a place inside it")


class ClausePair(_Model):
    """An accepted clause link behind an item link: which sentence went where."""

    source: ClauseBrief
    target: ClauseBrief
    score: float


class Mapping(_Model):
    source: ItemSummary
    target: ItemSummary
    score: float = Field(description="item-level score (ranks the candidates)")
    rank: int
    accepted: bool = Field(description="at least one clause link between them was accepted")
    share: float | None = Field(description="expected share of the source's clauses carried on")
    relation: Literal["continued", "split", "merged", "partial"] | None
    predicate: str | None = Field(description="the SKOS mapping predicate of the relation")
    clauses: list[ClausePair] = Field(description="the accepted clause links behind it")
    evidence: dict[str, Any]


class Mappings(Page[Mapping]):
    pass


class ClauseVerdictOut(_Model):
    """A clause behind a coverage verdict, with its best candidate anyway."""

    clause: ClauseBrief
    item: ItemSummary
    best: ClauseBrief | None
    best_item: ItemSummary | None
    score: float | None


class CoverageEntry(_Model):
    item: ItemSummary
    best: ItemSummary | None
    score: float | None
    clauses: list[ClauseVerdictOut] = Field(description="its clauses, each with its best match")


class Coverage(_Model):
    source: str
    target: str
    dropped: list[CoverageEntry] = Field(
        description="source items none of whose substantive clauses is carried on"
    )
    new: list[CoverageEntry] = Field(description="target items that carry no source clause on")
    not_continued: list[ClauseVerdictOut] = Field(
        description="every source clause nothing carries on, with its best candidate anyway"
    )


class SearchHit(_Model):
    item: ItemSummary
    score: float
    snippet: str = Field(description="Simplified text around the match, matches in <mark>")
    snippet_original: str = Field(description="the same passage in the original script")


class SearchResults(Page[SearchHit]):
    query: str
    query_simplified: str


class CypherRequest(_Model):
    query: str = Field(min_length=1, max_length=20_000)
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="$parameters of the query: at most 64 KiB as JSON, nested at most 16 deep",
    )


class CypherResult(_Model):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="true when the row cap or the byte limit stopped it")
    truncated_by: Literal["rows", "bytes"] | None = Field(
        default=None, description="which limit stopped the result, when one did"
    )
    notice: str | None = None


class Problem(_Model):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


class MixRow(_Model):
    """Instrument codes of one document (and group) for one type (and sub-tool)."""

    document: str
    year: int
    group: Ref | None = Field(description="the part or lead agency, or null by document")
    type: str = Field(description="supply, environment, demand, or none (uncoded clauses)")
    tool: str | None = Field(description="the sub-tool, or null when counted by type")
    codes: int = Field(description="instrument codes (for none: the uncoded clauses)")
    clauses: int = Field(description="clauses with such a code")
    share: float = Field(description="share of the codes of its document (and group)")


class InstrumentMix(Page[MixRow]):
    by: Literal["document", "part", "agency"]
    level: Literal["type", "tool"]
    main_only: bool


# Examples for the OpenAPI documentation, drawn from the real graph (api/examples.json).
EXAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "examples.json").read_text(encoding="utf-8")
)
for _name, _example in EXAMPLES.items():
    _model = globals()[_name]
    _model.model_config["json_schema_extra"] = {"example": _example}
    _model.model_rebuild(force=True)
