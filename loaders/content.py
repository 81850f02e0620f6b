"""Policy content of a clause: the documents it promises, its targets and the documents it cites.

Chinese policy-text research codes what each clause *does*: which documents the government
promises to issue (出台 / 印发 / 制定 / 编制 / 修订 / 发布 / 立法 … 方案 / 意见 / 办法 / 条例 …),
which quantified targets it sets (不少于30个…, 提高…至75%, 以E级…为目标) and which other
documents it names in 《…》. The words that mark each are cue lists in a data file
(``loaders/content-cues.toml``, :class:`ContentCues`), never in this code; the instruments a
clause uses are :mod:`loaders.instruments`.

Pure functions over a clause's normalised (Simplified) text: every finding carries
``(start, end)`` offsets into that text, which :mod:`loaders.corpus` turns into spans of the
original file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import VocabularyError
from loaders.records import TargetComparator
from loaders.toml_files import read_toml

DEFAULT_CUES = Path(__file__).with_name("content-cues.toml")


class _Cues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeliverableCues(_Cues):
    verbs: tuple[str, ...]
    postfix_verbs: tuple[str, ...]
    postfix_kind: str
    postfix_starts: tuple[str, ...]
    kinds: tuple[str, ...]
    joiners: tuple[str, ...]
    stops: tuple[str, ...]
    other_actors: tuple[str, ...]


class TargetCues(_Cues):
    units: tuple[str, ...]
    bare_units: tuple[str, ...] = ()
    at_least: tuple[str, ...]
    at_most: tuple[str, ...]
    reach: tuple[str, ...]
    goal_open: str
    goal_close: str
    after_at_least: tuple[str, ...] = ()
    after_at_most: tuple[str, ...] = ()
    object_verbs: tuple[str, ...] = ()


class ToolCues(_Cues):
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            try:
                re.compile(p)
            except re.error as e:
                raise ValueError(f"pattern {p!r} is not a regular expression: {e}") from e
        return v


class InstrumentCues(_Cues):
    max_codes: int = Field(ge=1)
    ignore: tuple[str, ...] = ()
    light_heads: tuple[str, ...] = ()
    deliverable_tools: dict[str, str] = Field(default_factory=dict)
    tools: dict[str, ToolCues]


class ContentCues(_Cues):
    """The cue lists of every content extractor, as ``loaders/content-cues.toml`` holds them."""

    deliverables: DeliverableCues
    targets: TargetCues
    instruments: InstrumentCues


def read_cues(path: Path = DEFAULT_CUES) -> ContentCues:
    """Read the cue lists.

    Raises:
        VocabularyError: the file is missing, not TOML, or not of the expected shape
            (naming the file, and the line where TOML says).
    """
    raw = read_toml(path, "cue file")
    try:
        return ContentCues.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise VocabularyError(f"{where}: {first['msg']}", path=path) from e


@dataclass(frozen=True, slots=True)
class Found:
    """Something found in a clause's text, at ``start:end`` (offsets into that text)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FoundDeliverable(Found):
    kind: str
    verb: str
    name: str


@dataclass(frozen=True, slots=True)
class FoundTarget(Found):
    value: float
    unit: str
    comparator: TargetComparator
    object: str
    year: int | None


@dataclass(frozen=True, slots=True)
class FoundCitation(Found):
    title: str  # inside the 《》, from the text given


_QUOTED = re.compile(r"《([^《》]+)》")
_YEAR = re.compile(r"(?:到|至)?(20\d\d)年(?:底|前|末)?")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def citations(text: str) -> list[FoundCitation]:
    """Every document named in 《…》 (the span covers the brackets)."""
    return [FoundCitation(m.start(), m.end(), m.group(1).strip()) for m in _QUOTED.finditer(text)]


def deliverables(text: str, cues: DeliverableCues) -> list[FoundDeliverable]:
    """The documents ``text`` promises: an issuing verb and the names of kind that follow it,
    or an object and its postfix verb (``…领域立法``)."""
    found: list[FoundDeliverable] = []
    stops = "".join(re.escape(s) for s in cues.stops)
    verb_re = re.compile(_alternation(cues.verbs))
    for m in verb_re.finditer(text):
        if _other_actor(text, m.start(), cues):
            continue
        end = _phrase_end(text, m.end(), stops)
        found += _names_after(text, m.end(), end, m.group(0), cues)
    for m in re.finditer(_alternation(cues.postfix_verbs), text):
        found += _postfix(text, m.start(), m.end(), m.group(0), cues, stops)
    return sorted(found, key=lambda d: d.start)


def _phrase_end(text: str, start: int, stops: str) -> int:
    stop = re.compile(f"[{stops}]")
    depth = 0  # a name in quotation marks or 《》 may hold a stop
    for i in range(start, len(text)):
        c = text[i]
        if c in "“《‘":
            depth += 1
        elif c in "”》’" and depth:
            depth -= 1
        elif depth == 0 and stop.match(c):
            return i
    return len(text)


def _other_actor(text: str, verb_at: int, cues: DeliverableCues) -> bool:
    """Whether the phrase before the verb names another actor as the one who issues."""
    phrase_start = max(text.rfind(c, 0, verb_at) for c in cues.stops) + 1
    before = text[phrase_start:verb_at]
    return any(a in before for a in cues.other_actors)


def _names_after(
    text: str, start: int, end: int, verb: str, cues: DeliverableCues
) -> list[FoundDeliverable]:
    """The names of kind in ``text[start:end]``, each ending in a kind word that ends the
    name (followed by a joiner, the phrase's end or a closing bracket)."""
    segment = text[start:end]
    quoted = _QUOTED.match(segment)
    if quoted:
        kind = _kind_of(quoted.group(1), cues)
        if kind is None:
            return []
        name = quoted.group(1).strip()
        return [FoundDeliverable(start - len(verb), start + quoted.end(), kind, verb, name)]
    found: list[FoundDeliverable] = []
    kinds = re.compile(_alternation(cues.kinds))
    name_start = 0
    for k in kinds.finditer(segment):
        after = segment[k.end() :]
        joiner = next((j for j in cues.joiners if after.startswith(j)), None)
        if after and joiner is None:
            continue  # the kind word is inside a longer name (标准化…)
        name = segment[name_start : k.end()].strip()
        if name:
            found.append(
                FoundDeliverable(
                    start + name_start - (0 if found else len(verb)),
                    start + k.end(),
                    k.group(0),
                    verb,
                    name,
                )
            )
        if joiner is None:
            break
        name_start = k.end() + len(joiner)
    return found


def _kind_of(name: str, cues: DeliverableCues) -> str | None:
    for kind in sorted(cues.kinds, key=len, reverse=True):
        if name.endswith(kind):
            return kind
    return None


def _postfix(
    text: str, start: int, end: int, verb: str, cues: DeliverableCues, stops: str
) -> list[FoundDeliverable]:
    before = text[:start]
    quoted = re.search(r"《([^《》]+)》$", before)
    if quoted:
        kind = _kind_of(quoted.group(1), cues) or cues.postfix_kind
        return [FoundDeliverable(quoted.start(), end, kind, verb, quoted.group(1).strip())]
    phrase_start = max((before.rfind(c) for c in cues.stops), default=-1) + 1
    starts = re.compile(_alternation(cues.postfix_starts))
    object_start = phrase_start
    for m in starts.finditer(before, phrase_start):
        object_start = m.end()
    name = (text[object_start:start] + verb).strip()
    if name == verb:
        return []
    return [FoundDeliverable(object_start, end, cues.postfix_kind, verb, name)]


def targets(text: str, cues: TargetCues) -> list[FoundTarget]:
    """The quantified commitments of ``text``: a number with a unit and a comparator before
    it (不少于, 至 …) or after it (以上), or inside a goal phrase (以…为目标)."""
    units = _alternation(cues.units)
    bare = _alternation(cues.bare_units) if cues.bare_units else None
    pattern = rf"(\d+(?:\.\d+)?)\s*({units})"
    if bare:
        pattern += rf"|(?<![\d.])({bare})"
    year = _YEAR.search(text)
    found: list[FoundTarget] = []
    for m in re.finditer(pattern, text):
        value = float(m.group(1)) if m.group(1) else 1.0
        unit = m.group(2) or m.group(3)
        comparator, start = _comparator(text, m.start(), m.end(), cues)
        if comparator is None:
            continue
        obj = _object(text, start, m.start(), m.end(), cues)
        found.append(
            FoundTarget(
                start, m.end(), value, unit, comparator, obj, int(year.group(1)) if year else None
            )
        )
    return found


def _comparator(
    text: str, start: int, end: int, cues: TargetCues
) -> tuple[TargetComparator | None, int]:
    """The comparator of the quantity at ``start:end`` and where its phrase starts."""
    before = text[max(0, start - 6) : start]
    for name, words in (
        ("at_least", cues.at_least),
        ("at_most", cues.at_most),
        ("reach", cues.reach),
    ):
        for w in sorted(words, key=len, reverse=True):
            if before.endswith(w):
                return name, start - len(w)  # type: ignore[return-value]
    after = text[end : end + 3]
    if any(after.startswith(w) for w in cues.after_at_least):
        return "at_least", start
    if any(after.startswith(w) for w in cues.after_at_most):
        return "at_most", start
    goal_at = text.rfind(cues.goal_open, 0, start)
    close_at = text.find(cues.goal_close, end)
    if goal_at >= 0 and close_at >= 0 and not re.search("[，。；]", text[goal_at:close_at]):
        return "reach", goal_at
    return None, start


def _object(text: str, phrase_start: int, start: int, end: int, cues: TargetCues) -> str:
    """What the quantity measures: the noun phrase after it (30个省级中试平台), or the words
    between the verb and the comparator (提高…占比至75%)."""
    after = re.split("[，。；、和]", text[end:], maxsplit=1)[0]
    if not after.startswith(cues.goal_close):
        after = after.split(cues.goal_close, 1)[0]
    if after and not after.startswith(("以上", "以内", "以下", "为目标", "和")):
        return after.strip()
    head = text[:phrase_start]
    verbs = [head.rfind(v) + len(v) for v in cues.object_verbs if v in head]
    cut = max(verbs) if verbs else max(head.rfind(c) for c in "，。；") + 1
    if head[cut:].strip() or cues.goal_close not in text[end:]:
        return head[cut:].strip()
    # 以E级…为目标，支持…提升能力: what the goal is for follows it
    rest = text[text.index(cues.goal_close, end) + len(cues.goal_close) :].lstrip("，")
    return re.split("[，。；]", rest, maxsplit=1)[0].strip()
