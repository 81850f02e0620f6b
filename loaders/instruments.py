"""Policy instruments: each clause coded by the Rothwell-Zegveld scheme.

Every clause gets the supply (供给型), environment (环境型) or demand (需求型) instruments its
words show, each with a sub-tool of the codebook ``data/vocab/instruments.toml`` (资金投入 =
funding, 技术研发 = rd, 目标规划 = planning …) and the cue that shows it. The cues are the
``[instruments]`` lists of ``loaders/content-cues.toml``: a *strong* cue codes the clause
wherever it stands, a *weak* one only in a phrase (between ，。；：) no strong cue is in; where
cues overlap the longest wins. Codes come in the order the clause states them (the first is
the main instrument), one per tool, at most ``max_codes``; a clause without a cue has no
instrument.

A tool may also have regular-expression ``patterns`` (strong), for cues that are a frame
rather than a word (培育…产业). A document the clause promises (:mod:`loaders.content`) codes
the tool its kind maps to (``deliverable_tools``: 方案 → planning, 办法 → regulation …), and
the cues inside its name count for nothing (出台…数字化转型行动方案 is planning, not the
adoption it plans). Words in ``ignore`` are names whose parts are no cue (粤港澳大湾区 is a
place, not cooperation with Hong Kong and Macao).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import VocabularyError
from loaders.content import Found, FoundDeliverable, InstrumentCues
from loaders.records import InstrumentType
from loaders.toml_files import read_toml

CODEBOOK_FILE = "instruments.toml"


class InstrumentTypeEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: InstrumentType
    zh: str
    definition: str


class Tool(BaseModel):
    """A sub-tool of the codebook: its type, Chinese name and definition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    type: InstrumentType
    zh: str
    definition: str


class Codebook(BaseModel):
    """The instrument codebook: three types and their sub-tools."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: tuple[InstrumentTypeEntry, ...]
    tool: tuple[Tool, ...]

    def tool_type(self, tool: str) -> InstrumentType:
        for t in self.tool:
            if t.id == tool:
                return t.type
        raise KeyError(tool)


def read_codebook(path: Path) -> Codebook:
    """Read the codebook (``data/vocab/instruments.toml``).

    Raises:
        VocabularyError: the file is missing or malformed.
    """
    raw = read_toml(path, "codebook")
    try:
        return Codebook.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        raise VocabularyError(
            f"{'.'.join(str(x) for x in first['loc'])}: {first['msg']}", path=path
        ) from e


def check_cues(cues: InstrumentCues, codebook: Codebook, path: Path) -> None:
    """Every tool the cues name is one of the codebook's.

    Raises:
        VocabularyError: a cue list names a tool the codebook does not define.
    """
    known = {t.id for t in codebook.tool}
    unknown = sorted((set(cues.tools) | set(cues.light_heads)) - known)
    if unknown:
        raise VocabularyError(
            f"instrument cues name tools the codebook does not define: {', '.join(unknown)}",
            path=path,
        )


@dataclass(frozen=True, slots=True)
class FoundInstrument(Found):
    type: InstrumentType
    tool: str
    cue: str


class InstrumentCoder:
    """Codes clauses with instruments from the cue lists and the codebook.

    Args:
        cues: the ``[instruments]`` cue lists.
        codebook: the codebook that gives each tool its type.

    Example::

        coder = InstrumentCoder(read_cues().instruments, read_codebook(path))
        [(i.type, i.tool) for i in coder.code("制定…行动方案，开展…试点。")]
    """

    def __init__(self, cues: InstrumentCues, codebook: Codebook):
        self.max_codes = cues.max_codes
        self._types = {t: codebook.tool_type(t) for t in cues.tools}
        self._strong = self._index(cues, strong=True)
        self._weak = self._index(cues, strong=False)
        self._patterns = [
            (re.compile(p), tool) for tool, lists in cues.tools.items() for p in lists.patterns
        ]
        self._deliverable_tools = dict(cues.deliverable_tools)
        self._ignore = re.compile("|".join(re.escape(w) for w in cues.ignore) or r"(?!)")
        self._light = frozenset(cues.light_heads)

    @staticmethod
    def _index(cues: InstrumentCues, *, strong: bool) -> tuple[re.Pattern[str], dict[str, str]]:
        owner: dict[str, str] = {}
        for tool, lists in cues.tools.items():
            for cue in lists.strong if strong else lists.weak:
                owner.setdefault(cue, tool)
        words = sorted(owner, key=len, reverse=True)
        pattern = "|".join(re.escape(w) for w in words) or r"(?!)"
        return re.compile(pattern), owner

    def code(
        self, text: str, deliverables: Sequence[FoundDeliverable] = ()
    ) -> list[FoundInstrument]:
        """The instruments of one clause's normalised text, in the order it states them;
        ``deliverables``: the documents found in it."""
        masked = self._ignore.sub(lambda m: "\0" * len(m.group(0)), text)
        hits: list[tuple[int, int, str, str]] = []
        for d in deliverables:
            masked = masked[: d.start] + "\0" * (d.end - d.start) + masked[d.end :]
            tool = self._deliverable_tools.get(d.kind)
            if tool is not None:
                hits.append((d.start, d.end, tool, text[d.start : d.end]))
        strong = (
            hits
            + self._find(masked, *self._strong)
            + [
                (m.start(), m.end(), tool, m.group(0))
                for pattern, tool in self._patterns
                for m in pattern.finditer(masked)
            ]
        )
        weak = self._find(masked, *self._weak)
        if strong:  # a weak cue counts in a phrase no strong cue is in
            covered = {_phrase_of(text, h[0]) for h in strong}
            weak = [h for h in weak if _phrase_of(text, h[0]) not in covered]
        chosen = sorted(strong + weak, key=lambda h: (h[0], -h[1]))
        if chosen:
            main = _head(text, chosen, self._light)
            chosen = [main] + [h for h in chosen if h is not main]
        seen: set[str] = set()
        found: list[FoundInstrument] = []
        for start, end, tool, cue in chosen:
            if tool not in seen:
                seen.add(tool)
                found.append(FoundInstrument(start, end, self._types[tool], tool, cue))
        return found[: self.max_codes]

    @staticmethod
    def _find(
        text: str, pattern: re.Pattern[str], owner: dict[str, str]
    ) -> list[tuple[int, int, str, str]]:
        # leftmost, longest: the alternatives are sorted by length
        return [(m.start(), m.end(), owner[m.group(0)], m.group(0)) for m in pattern.finditer(text)]


_PHRASE_END = re.compile("[，。；：]")


def _phrase_of(text: str, at: int) -> int:
    """The index of the phrase (between ，。；：) that ``at`` is in."""
    return len(_PHRASE_END.findall(text, 0, at))


def _head(
    text: str, hits: list[tuple[int, int, str, str]], light: frozenset[str]
) -> tuple[int, int, str, str]:
    """The main instrument: the last cue of the first phrase that has one. A phrase is
    a verb and its object, and a Chinese noun phrase ends in its head (…转型示范 is a pilot,
    …新模式的基础设施 infrastructure), so the last cue of the phrase names what it does.
    A *light* tool's cue (a use or a regime: 应用, 机制) is the head only when the phrase
    names no other means (…“一卡通”场景应用 is the service card, …协同管理机制 of the
    laboratories is their research)."""
    first = hits[0]
    end = _PHRASE_END.search(text, first[1])
    phrase_end = end.start() if end else len(text)
    in_phrase = [h for h in hits if h[0] < phrase_end]
    heavy = [h for h in in_phrase if h[2] not in light] or in_phrase
    return max(heavy, key=lambda h: (h[1], h[1] - h[0]))
