"""The corpus manifest: one entry per document, describing where it is and how it is numbered.

Adding a document of the same family is a manifest entry, not code: the entry names the
numbering style of each structural level, the kind of item, and whether items end in a
responsibility clause.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.errors import ManifestError
from loaders.numbering import NumberingStyle

LevelKind = Literal["part", "group", "item"]


def _lowercase_key(v: str) -> str:
    """A document's or series' key: lowercase letters and digits, a letter first."""
    if not re.fullmatch(r"[a-z][a-z0-9]*", v):
        raise ValueError(f"key {v!r} must be lowercase letters and digits")
    return v


class Level(BaseModel):
    """One structural level and the numbering style its headings use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: LevelKind
    numbering: NumberingStyle


class DocumentSpec(BaseModel):
    """A manifest entry: the document's bibliographic facts and how to read its structure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(description="short lowercase key, used in every id: gd2021")
    title: str
    issuer: str | None = Field(
        default=None, description="the issuing body; read from the text's notice when it has one"
    )
    number: str | None = Field(default=None, description="document number: 粤府〔2021〕31号")
    date: dt.date | None = Field(
        default=None, description="date of issue; read from the text's notice when it has one"
    )
    script: Literal["zh-Hans", "zh-Hant"]
    file: str
    note: str | None = Field(default=None, description="provenance caveats for the facts above")
    relevant_for: tuple[str, ...] = Field(
        default=(), description="gazetteer ids of the jurisdictions the document applies to"
    )
    type: str = Field(default="opinion", description="the kind of document (ELI type_document)")
    levels: tuple[Level, ...]
    item_kind: Literal["measure", "task"]
    item_numbering: Literal["across-parts", "per-part"] = Field(
        default="across-parts",
        description="items numbered through the document, or starting again in each part",
    )
    responsibility_clauses: bool = False
    trailer_starts: tuple[str, ...] = Field(
        default=(), description="a line starting with one of these ends the body"
    )

    _key = field_validator("key")(_lowercase_key)

    @model_validator(mode="after")
    def _levels(self) -> DocumentSpec:
        kinds = [lv.kind for lv in self.levels]
        if kinds not in (["part", "item"], ["part", "group", "item"]):
            raise ValueError(f"levels must be part, [group,] item in that order, not {kinds}")
        styles = [lv.numbering for lv in self.levels]
        if len(set(styles)) != len(styles):
            raise ValueError("two levels share a numbering style, so headings are ambiguous")
        return self

    def style(self, kind: LevelKind) -> NumberingStyle | None:
        for lv in self.levels:
            if lv.kind == kind:
                return lv.numbering
        return None


class Series(BaseModel):
    """An ordered series of documents: an opinion and the yearly plans that carry it out.

    The build aligns every consecutive pair of a series (``documents[k]`` → ``documents[k+1]``);
    the chain of a measure follows those links through the series.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(description="short lowercase key of the series")
    title: str
    documents: tuple[str, ...] = Field(min_length=2, description="document keys, in order")

    _key = field_validator("key")(_lowercase_key)

    def pairs(self) -> list[tuple[str, str]]:
        """Every consecutive (earlier, later) pair of the series."""
        return list(zip(self.documents, self.documents[1:], strict=False))


class Manifest(BaseModel):
    """The corpus: the documents and the folder their files are in, and the series they form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    documents: tuple[DocumentSpec, ...]
    series: tuple[Series, ...] = ()

    def spec(self, key: str) -> DocumentSpec:
        for d in self.documents:
            if d.key == key:
                return d
        known = ", ".join(d.key for d in self.documents)
        raise ManifestError(f"no document with key {key!r} (known: {known})", path=self.path)

    def file(self, spec: DocumentSpec) -> Path:
        return self.path.parent / spec.file


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return None if index < 0 else text.count("\n", 0, index) + 1


def read_manifest(path: Path) -> Manifest:
    """Read and check the manifest: well-formed entries, unique keys, files that exist.

    Raises:
        ManifestError: naming the manifest file and, where it can, the line of the entry.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ManifestError("corpus manifest not found", path=path) from e
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(f"not valid TOML: {e}", path=path) from e
    entries = raw.get("document")
    if not isinstance(entries, list) or not entries:
        raise ManifestError("no [[document]] entries", path=path)
    specs: list[DocumentSpec] = []
    for i, entry in enumerate(entries):
        key = entry.get("key") if isinstance(entry, dict) else None
        line = _line_of(text, f'"{key}"') if key else None
        try:
            specs.append(DocumentSpec.model_validate(entry))
        except ValidationError as e:
            label = f"document {key!r}" if key else f"document #{i + 1}"
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
            )
            raise ManifestError(f"{label}: {problems}", path=path, line=line) from e
    keys = [s.key for s in specs]
    for key in keys:
        if keys.count(key) > 1:
            raise ManifestError(f"key {key!r} appears twice", path=path, line=_line_of(text, key))
    manifest = Manifest(path=path, documents=tuple(specs), series=_series(raw, text, path, keys))
    for spec in specs:
        if not manifest.file(spec).is_file():
            raise ManifestError(
                f"document {spec.key!r} names file {spec.file!r}, which does not exist in "
                f"{path.parent}",
                path=path,
                line=_line_of(text, spec.file),
            )
    return manifest


def _series(raw: dict[str, object], text: str, path: Path, keys: list[str]) -> tuple[Series, ...]:
    """The manifest's ``[[series]]`` entries, each naming documents of the manifest, each once.

    Raises:
        ManifestError: a malformed entry, or one naming an unknown or repeated document.
    """
    entries = raw.get("series", [])
    if not isinstance(entries, list):
        raise ManifestError("`series` must be a list of [[series]] tables", path=path)
    out: list[Series] = []
    member_of: dict[str, str] = {}
    for i, entry in enumerate(entries):
        key = entry.get("key") if isinstance(entry, dict) else None
        label = f"series {key!r}" if key else f"series #{i + 1}"
        line = _line_of(text, f'"{key}"') if key else None
        try:
            series = Series.model_validate(entry)
        except ValidationError as e:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
            )
            raise ManifestError(f"{label}: {problems}", path=path, line=line) from e
        for doc in series.documents:
            if doc not in keys:
                raise ManifestError(
                    f"{label} names document {doc!r}, which the manifest does not have "
                    f"(known: {', '.join(keys)})",
                    path=path,
                    line=line,
                )
            if series.documents.count(doc) > 1:
                raise ManifestError(f"{label} names {doc!r} twice", path=path, line=line)
            if member_of.setdefault(doc, series.key) != series.key:
                raise ManifestError(
                    f"{label}: document {doc!r} is already in series {member_of[doc]!r}; a "
                    "document belongs to one series",
                    path=path,
                    line=line,
                )
        out.append(series)
    return tuple(out)
