"""The records the loaders produce: documents, their parts, groups and items, with provenance.

Every record keeps where it came from: a character span in the original file (offsets into
the decoded text, end exclusive) and the 1-based line it starts on. Original text is the
source of truth; ``*_simplified`` fields hold the Simplified, punctuation-normalised form used
for matching and search.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from loaders.manifest import Series


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Record):
    """Where a piece of text sits in its original file."""

    start: int = Field(ge=0, description="character offset of the first character")
    end: int = Field(ge=0, description="character offset just past the last character")
    line: int = Field(ge=1, description="1-based line of the first character")


class Role(StrEnum):
    """The part a body plays in a task, as the responsibility clause states it."""

    LEAD = "lead"  # 牵头
    SHARED = "shared"  # 按职责分工负责, or listed without a role word
    IMPLEMENTING = "implementing"  # 结合实际落实
    SUPPORTING = "supporting"  # 配合


class Responsibility(_Record):
    """One body named in a task's responsibility clause, with its role.

    ``surface`` is the name exactly as the text writes it (Traditional in the 2025 text),
    ``name`` the Simplified form with the clause's prefix distributed (``科技廳`` in
    ``省發展改革委、科技廳`` has ``name`` ``省科技厅``). ``agency`` is the registry id, or
    None when the registry does not know the name (reported, never dropped).
    ``inherited_from`` names the item whose ``下同`` ("the same applies below") carried this
    responsibility here. ``generic`` marks a kind of body rather than one body: such a party
    is never reported unresolved.
    """

    agency: str | None
    surface: str
    name: str
    role: Role
    span: Span
    inherited_from: str | None = None
    generic: bool = Field(
        default=False,
        description="a kind of body (相关地市政府, 各地级以上市人民政府), not one named body",
    )


MentionKind = Literal["technology", "place", "programme", "agency"]


class Mention(_Record):
    """A vocabulary entry named in a text: ``ref`` is its id, ``surface`` the words used."""

    kind: MentionKind
    ref: str
    surface: str
    span: Span


class Deliverable(_Record):
    """A document a clause promises to issue, draft, revise or legislate (出台/印发/制定 …).

    ``kind`` is the document kind (方案, 办法, 条例 …; 法规 for a 立法 that names none),
    ``verb`` the issuing verb as written, ``name`` the document's name without the verb
    (Simplified), ``span`` where the name and its verb stand in the original.
    """

    kind: str
    verb: str
    name: str
    span: Span


TargetComparator = Literal["at_least", "at_most", "reach"]


class Target(_Record):
    """A quantified or dated commitment: 不少于30个省级中试平台, 提高…占比至75%."""

    value: float
    unit: str
    comparator: TargetComparator
    object: str = Field(description="what is measured, as the clause words it (Simplified)")
    year: int | None = Field(default=None, description="the year set for it, where stated")
    span: Span


class Citation(_Record):
    """Another document named in 《…》; ``document`` is the corpus document it is, if any."""

    title: str = Field(description="the title as written (original script)")
    title_simplified: str
    document: str | None = None
    span: Span


InstrumentType = Literal["supply", "environment", "demand"]


class Instrument(_Record):
    """A Rothwell-Zegveld policy instrument a clause uses, with its evidence.

    ``type`` is 供给型 (supply), 环境型 (environment) or 需求型 (demand); ``tool`` a sub-tool
    of the codebook ``data/vocab/instruments.toml`` (funding, rd, planning …); ``cue`` the
    words that show it (Simplified) and ``span`` where they are.
    """

    type: InstrumentType
    tool: str
    cue: str
    span: Span


class Part(_Record):
    """A top-level part of a document (一、…)."""

    id: str
    document: str
    number: int
    marker: str
    title: str
    title_simplified: str
    text: str = Field(description="the part's own text before its first group or item")
    span: Span


class Group(_Record):
    """A group of items inside a part ((一)… in the 2025 work plan)."""

    id: str
    document: str
    number: int
    marker: str
    title: str
    title_simplified: str
    part: str
    span: Span


class Clause(_Record):
    """A sentence of an item: the unit at which the alignment says what went where.

    Clauses end in ``。`` or ``；``; the first is the item's title sentence (see
    :mod:`loaders.clauses`). ``id`` is the item's id and the clause's number
    (``gd2021-m06-c02``); ``span`` is where it is in the original file.
    """

    id: str
    item: str
    number: int = Field(ge=1)
    text: str = Field(description="original text")
    text_simplified: str
    span: Span
    mentions: tuple[Mention, ...] = ()
    words: tuple[str, ...] = Field(
        default=(),
        exclude=True,
        repr=False,
        description="jieba words of text_simplified, as Item.words; not part of the JSON",
    )
    deliverables: tuple[Deliverable, ...] = ()
    targets: tuple[Target, ...] = ()
    citations: tuple[Citation, ...] = ()
    instruments: tuple[Instrument, ...] = Field(
        default=(), description="policy instruments, the main one first; none when empty"
    )


ItemKind = Literal["measure", "task"]


class Item(_Record):
    """A numbered measure or task: the unit the graph and the alignment work with.

    ``text`` is the repaired original (page-break artifacts joined, every repair recorded in
    the load report); ``body`` is ``text`` without the trailing responsibility clause.
    """

    id: str
    document: str
    kind: ItemKind
    number: int
    marker: str
    title: str
    title_simplified: str
    text: str
    text_simplified: str
    body: str
    body_simplified: str
    part: str
    group: str | None
    span: Span
    responsibility_clause: str | None = Field(
        default=None, description="the parenthesised list of responsible bodies, original"
    )
    responsibility_span: Span | None = None
    responsibilities: tuple[Responsibility, ...] = ()
    open_ended: bool = Field(
        default=False, description="the clause ends its list open (等, 各有关单位 …)"
    )
    mentions: tuple[Mention, ...] = ()
    words: tuple[str, ...] = Field(
        default=(),
        exclude=True,
        repr=False,
        description="jieba words of body_simplified (Lexicon.words), kept so that later "
        "steps need not tokenise again; not part of the record's JSON",
    )
    clauses: tuple[Clause, ...] = Field(
        default=(), description="the body's sentences, the title sentence first"
    )


RepairKind = Literal["page-break-join", "page-break-repeat", "line-break-join"]


class Repair(_Record):
    """A change made to the original text: ``before`` became ``after`` at ``offset``."""

    document: str
    offset: int
    line: int
    kind: RepairKind
    before: str
    after: str


class LoadWarning(_Record):
    """Something a reader of the graph should know: a numbering gap, an unknown agency …"""

    document: str
    line: int | None
    code: str
    message: str


class Notice(_Record):
    """What a document's notice block says about it (values in Simplified script).

    The notice is the block before the title of an issued document: the issuer's header
    (``广东省人民政府办公厅文件``), the document number (文号) on its own line, the notice's
    own title (often broken across lines), the addressees (主送), the approval sentence
    (``经省人民政府同意``) and the issuer's signature with the date. ``None`` where the
    block does not say.
    """

    issuer: str | None = None
    number: str | None = None
    date: dt.date | None = None
    title: str | None = None
    addressees: tuple[str, ...] = ()
    approved_by: str | None = Field(default=None, description="经…同意: the approving body")
    lines: dict[str, int] = Field(default_factory=dict, description="field → 1-based line")


class Document(_Record):
    """One policy document with its structure and provenance."""

    key: str
    title: str
    title_simplified: str
    issuer: str
    issuer_agency: str | None = Field(
        default=None,
        description="the registry id of the issuer in force on the document's date (a body "
        "renamed later is its name of then); None: the registry does not know it",
    )
    number: str | None
    date: dt.date
    type: str
    note: str | None
    relevant_for: tuple[str, ...]
    script: Literal["zh-Hans", "zh-Hant"]
    file: str
    sha256: str
    characters: int
    preamble: str = Field(description="text before the first part: header, news lead, intro")
    preamble_span: Span
    notice: Notice | None = Field(default=None, description="the notice block, if it has one")
    parts: tuple[Part, ...]
    groups: tuple[Group, ...]
    items: tuple[Item, ...]


class LoadReport(_Record):
    """What a load did to the texts: repairs, warnings and names the registry did not know
    (generic bodies, such as 相关地市政府, are not among them)."""

    repairs: tuple[Repair, ...]
    warnings: tuple[LoadWarning, ...]
    unresolved: tuple[Responsibility, ...]


class Corpus(_Record):
    """Everything the loaders produce in one run; ``series`` are the manifest's series of
    the documents loaded."""

    documents: tuple[Document, ...]
    report: LoadReport
    series: tuple[Series, ...] = ()

    def document(self, key: str) -> Document:
        for d in self.documents:
            if d.key == key:
                return d
        raise KeyError(key)

    def items(self) -> tuple[Item, ...]:
        return tuple(i for d in self.documents for i in d.items)
