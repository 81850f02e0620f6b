"""Curated vocabularies: the agency registry, technology concepts, places and programmes.

The vocabularies are data files under ``data/vocab/`` (TOML); this module defines their
shape and reads them. Every entry has a stable ASCII slug ``id`` from which IRIs are built,
labels in Simplified (``zh-Hans``) and Traditional (``zh-Hant``) script, and an English
label. Lookups happen on Simplified text; Traditional forms are kept for labels and for
matching text that was not normalised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import VocabularyError
from loaders.normalise import normalise
from loaders.toml_files import read_toml

_E = TypeVar("_E", bound="_Entry")

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

AgencyKind = Literal[
    "government",  # 人民政府: the provincial government itself, or a level of government
    "government-department",  # 省政府组成部门 / 直属机构 / 部门管理机构
    "government-office",  # 办公厅 and similar offices of a body
    "party-body",  # 中共广东省委 and its departments (宣传部, 网信办, 金融办 …)
    "legislature",  # 人大常委会 and its offices
    "political-consultative",  # 政协 and its offices
    "judiciary",  # 法院
    "procuratorate",  # 检察院
    "central-agency",  # a central-government ministry or commission
    "central-vertical-branch",  # a central body's provincial branch (人民银行广东省分行 …)
    "public-institution",  # 事业单位, state-owned or membership bodies (供销合作联社 …)
    "collective",  # a collective addressee such as 各地级以上市人民政府
]

PlaceKind = Literal[
    "country",
    "province",
    "special-administrative-region",
    "prefecture-level-city",
    "district",
    "county",
    "zone",  # a functional zone: 南沙, 横琴, 前海 …
    "region",  # a multi-jurisdiction region: 粤港澳大湾区 …
    "river-basin",
]

ProgrammeKind = Literal["platform", "programme", "campaign", "brand", "system"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    en: str = Field(description="English label")

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError(f"id {v!r} is not a lowercase ASCII slug")
        return v


class Agency(_Entry):
    """A body named in the texts as responsible for work, with every surface form it takes.

    ``aliases`` are Simplified surface forms as they read once the province prefix has been
    distributed (``省科技厅`` for the ``科技厅`` in ``省发展改革委、科技厅``);
    ``aliases_hant`` are the same forms in Traditional script.
    """

    name: str = Field(description="full official name, Simplified")
    name_hant: str = Field(description="full official name, Traditional")
    aliases: list[str] = Field(default_factory=list)
    aliases_hant: list[str] = Field(default_factory=list)
    former_names: list[str] = Field(
        default_factory=list, description="names the body had before a reorganisation"
    )
    parent: str | None = Field(default=None, description="id of the body it belongs to")
    kind: AgencyKind


class Concept(_Entry):
    """A technology concept (SKOS): preferred label, alternatives per script, broader concepts."""

    pref: str
    pref_hant: str
    alt: list[str] = Field(default_factory=list)
    alt_hant: list[str] = Field(default_factory=list)
    broader: list[str] = Field(default_factory=list)


class Place(_Entry):
    """A place: an administrative area with its division code, or a zone or region.

    ``parent`` is the administrative parent (南沙区 → 广州市); ``within`` lists other areas it
    lies inside (广州市 → 粤港澳大湾区).
    """

    name: str
    name_hant: str
    alt: list[str] = Field(default_factory=list)
    alt_hant: list[str] = Field(default_factory=list)
    kind: PlaceKind
    code: str | None = Field(default=None, description="official administrative division code")
    parent: str | None = None
    within: list[str] = Field(default_factory=list)


class Programme(_Entry):
    """A named programme, platform or campaign (粤省事, “一网统管”, “百千万工程” …)."""

    name: str
    name_hant: str
    alt: list[str] = Field(default_factory=list)
    alt_hant: list[str] = Field(default_factory=list)
    kind: ProgrammeKind


ChangeKind = Literal["rename", "merger", "split", "reorganisation"]


class ChangeEvent(_Entry):
    """A reorganisation (W3C ORG ``org:ChangeEvent``): bodies before, bodies after, the day.

    ``original`` bodies are in force until ``date``; ``resulting`` bodies from that day.
    ``source`` cites what the event is known from; ``date_note`` says how sure the day is.
    """

    date: dt.date
    kind: ChangeKind
    original: list[str] = Field(min_length=1, description="agency ids before the change")
    resulting: list[str] = Field(min_length=1, description="agency ids after the change")
    source: str = Field(min_length=1, description="what the event is known from")
    date_note: str | None = Field(default=None, description="how exact the date is")


class Vocabularies(BaseModel):
    """All curated vocabularies, read together and cross-checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agencies: tuple[Agency, ...]
    concepts: tuple[Concept, ...]
    places: tuple[Place, ...]
    programmes: tuple[Programme, ...]
    changes: tuple[ChangeEvent, ...] = ()

    def agency(self, agency_id: str) -> Agency:
        return _by_id(self.agencies)[agency_id]

    def concept(self, concept_id: str) -> Concept:
        return _by_id(self.concepts)[concept_id]

    def place(self, place_id: str) -> Place:
        return _by_id(self.places)[place_id]


def _by_id(entries: Iterable[_E]) -> dict[str, _E]:
    return {e.id: e for e in entries}


VOCAB_FILES: dict[str, tuple[str, str, type[_Entry]]] = {
    "agencies": ("agencies.toml", "agency", Agency),
    "concepts": ("technologies.toml", "concept", Concept),
    "places": ("regions.toml", "place", Place),
    "programmes": ("programmes.toml", "programme", Programme),
    "changes": ("agency-changes.toml", "change", ChangeEvent),
}


@dataclass(frozen=True)
class _Source:
    """A vocabulary file's lines and where each of its ``[[table]]`` entries begins."""

    path: Path
    lines: tuple[str, ...]
    starts: tuple[int, ...]  # 1-based line of each entry's header

    @classmethod
    def read(cls, path: Path, table: str) -> _Source:
        lines = tuple(path.read_text(encoding="utf-8").splitlines())
        header = f"[[{table}]]"
        starts = tuple(n for n, line in enumerate(lines, start=1) if line.strip() == header)
        return cls(path, lines, starts)

    def entry_line(self, index: int) -> int | None:
        return self.starts[index] if index < len(self.starts) else None

    def line_of(self, index: int, text: str) -> int | None:
        """The line of entry ``index`` that holds the string ``text`` (else its header)."""
        first = self.entry_line(index)
        if first is None:
            return None
        last = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.lines) + 1
        for n in range(first, last):
            if f'"{text}"' in self.lines[n - 1] or f"'{text}'" in self.lines[n - 1]:
                return n
        return first


def read_vocabularies(vocab_dir: Path) -> Vocabularies:
    """Read and cross-check the four vocabulary files in ``vocab_dir``.

    Every error names the file and the line, and the same one on every run (entries are
    checked in file order).

    Raises:
        VocabularyError: a file is missing or malformed, an id repeats, a reference
            (parent, broader, within) names no entry, or two agencies claim one name.
    """
    parts: dict[str, tuple[_Entry, ...]] = {}
    sources: dict[str, _Source] = {}
    for field, (filename, table, model) in VOCAB_FILES.items():
        path = vocab_dir / filename
        raw = read_toml(path, "vocabulary file")
        source = sources[field] = _Source.read(path, table)
        entries = []
        for i, item in enumerate(raw.get(table, [])):
            try:
                entries.append(model.model_validate(item))
            except ValidationError as e:
                ident = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
                raise VocabularyError(
                    f"[[{table}]] {ident}: {e}", path=path, line=source.entry_line(i)
                ) from e
        _check_unique(entries, source)
        parts[field] = tuple(entries)
    vocab = Vocabularies.model_validate(parts)
    check_references(vocab, vocab_dir, sources)
    clash = agency_name_clash(vocab)
    if clash is not None:
        label, first, second = clash
        agencies = sources["agencies"]
        index = {a.id: i for i, a in enumerate(vocab.agencies)}
        first_line = agencies.line_of(index[first], label) or agencies.entry_line(index[first])
        raise VocabularyError(
            f"agencies {first!r} (line {first_line}) and {second!r} both claim the name {label!r}",
            path=agencies.path,
            line=agencies.line_of(index[second], label),
        )
    return vocab


def agency_names(agency: Agency) -> list[str]:
    """Every name of ``agency``, in the order the registry lists them, each once."""
    names = [agency.name, *agency.aliases, *agency.former_names, agency.name_hant]
    return list(dict.fromkeys([*names, *agency.aliases_hant]))


def agency_name_clash(vocab: Vocabularies) -> tuple[str, str, str] | None:
    """The first name (in file order) that two agencies claim once normalised:
    ``(name as the later one writes it, earlier agency id, later agency id)``, or None."""
    claimed: dict[str, str] = {}
    for agency in vocab.agencies:
        for label in agency_names(agency):
            key = normalise(label)
            other = claimed.setdefault(key, agency.id)
            if other != agency.id:
                return label, other, agency.id
    return None


def _check_unique(entries: Sequence[_Entry], source: _Source) -> None:
    seen: set[str] = set()
    for i, e in enumerate(entries):
        if e.id in seen:
            raise VocabularyError(
                f"id {e.id!r} appears twice", path=source.path, line=source.entry_line(i)
            )
        seen.add(e.id)


def check_references(
    vocab: Vocabularies, vocab_dir: Path, sources: Mapping[str, _Source] | None = None
) -> None:
    """Every parent, broader and within reference must name an entry of the same file, and
    every body a change event names an agency of the registry."""

    def fail(field: str, filename: str, index: int, message: str, ref: str) -> VocabularyError:
        source = sources.get(field) if sources else None
        return VocabularyError(
            message,
            path=source.path if source else vocab_dir / filename,
            line=source.line_of(index, ref) if source else None,
        )

    agencies = {a.id for a in vocab.agencies}
    for i, a in enumerate(vocab.agencies):
        if a.parent is not None and a.parent not in agencies:
            raise fail(
                "agencies", "agencies.toml", i,
                f"agency {a.id!r} has unknown parent {a.parent!r}", a.parent,
            )  # fmt: skip
    for i, ev in enumerate(vocab.changes):
        for body in [*ev.original, *ev.resulting]:
            if body not in agencies:
                raise fail(
                    "changes", "agency-changes.toml", i,
                    f"change {ev.id!r} names unknown agency {body!r}", body,
                )  # fmt: skip
    concepts = {c.id for c in vocab.concepts}
    for i, c in enumerate(vocab.concepts):
        for b in c.broader:
            if b not in concepts:
                raise fail(
                    "concepts", "technologies.toml", i,
                    f"concept {c.id!r} has unknown broader {b!r}", b,
                )  # fmt: skip
    places = {p.id for p in vocab.places}
    for i, p in enumerate(vocab.places):
        for ref in [p.parent, *p.within]:
            if ref is not None and ref not in places:
                raise fail(
                    "places", "regions.toml", i,
                    f"place {p.id!r} refers to unknown place {ref!r}", ref,
                )  # fmt: skip
