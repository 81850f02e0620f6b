"""Responsibility clauses: who does a task, and in what role.

A task in the work plan ends with a parenthesised clause such as::

    （省发展改革委、科技厅、工业和信息化厅按职责分工负责；各地级以上市人民政府结合实际落实，下同）

Reading rules (the clause is parsed in its normalised, Simplified form, which has the same
length as the original, so every name keeps its span in the original file):

- ``；`` separates segments; ``，`` separates groups of names; ``、`` separates names
  within a group.
- A role phrase closes everything listed since the previous one: ``牵头`` (lead),
  ``按职责分工负责`` / ``按职责分工落实`` / ``负责`` (shared), ``结合实际落实`` /
  ``负责落实`` / ``落实`` (implementing), ``配合`` / ``协助`` / ``参与`` (supporting: the
  bodies that assist the lead, as yearly plans write). Names left without a role phrase at
  the end of a segment are shared.
- The prefix of a group's first name distributes over the group: ``省委`` or ``省``
  (``省保密局、密码管理局`` is 省保密局 and 省密码管理局).
- A shared suffix distributes the other way: ``广州、深圳、珠海出入境边防检查总站`` is three
  stations, ``广州、深圳市人民政府`` two governments (:mod:`loaders.heads`).
- A generic body (``相关地市政府``) is flagged ``generic``: a kind of body, not a name the
  registry should know.
- ``等`` / ``等单位`` after a name marks the list as open-ended: a flag, not an agency.
- A collective phrase (``各有关单位``, ``省有关单位``, ``各地各部门``) is a generic body with
  the role its group gives it, and marks the list as open-ended too: the bodies it stands
  for are not named.
- ``下同`` ("the same applies below") at the end of a segment carries that segment's
  responsibilities to every later task of the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from loaders.heads import IsPlace, is_generic, shared_suffix, with_head
from loaders.records import Role

# Longest first where one ends another (负责落实 before 落实, 按职责分工负责 before 负责).
ROLE_PHRASES: tuple[tuple[str, Role], ...] = (
    ("按职责分工负责", Role.SHARED),
    ("按职责分工落实", Role.SHARED),
    ("结合实际落实", Role.IMPLEMENTING),
    ("负责落实", Role.IMPLEMENTING),
    ("牵头", Role.LEAD),
    ("配合", Role.SUPPORTING),
    ("协助", Role.SUPPORTING),
    ("参与", Role.SUPPORTING),
    ("落实", Role.IMPLEMENTING),
    ("负责", Role.SHARED),
)
COLLECTIVE_NAMES = frozenset(
    {"各有关单位", "省有关单位", "有关单位", "各有关部门", "省有关部门", "有关部门", "各地各部门"}
)
OPEN_ENDED_SUFFIXES = ("等有关单位", "等单位", "等部门", "等")
PREFIXES = ("省委", "省")
SAME_BELOW = "下同"
OPENING = {"）": "（", ")": "("}

Resolve = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class ClauseName:
    """A name read from a clause: ``start``/``end`` index the clause text."""

    name: str  # Simplified, prefix distributed
    start: int
    end: int
    role: Role
    same_below: bool
    generic: bool = False


@dataclass(frozen=True, slots=True)
class ParsedClause:
    names: tuple[ClauseName, ...]
    open_ended: bool


def find_clause(text: str) -> tuple[int, int] | None:
    """The (start, end) of the parenthesised clause that ends ``text``, if it ends in one."""
    end = len(text.rstrip())
    if end == 0 or text[end - 1] not in OPENING:
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        c = text[i]
        if c in OPENING:
            depth += 1
        elif c in OPENING.values():
            depth -= 1
            if depth == 0:
                return i, end
    return None


def _split(text: str, sep: str, base: int) -> list[tuple[str, int]]:
    """Split ``text`` on ``sep``, keeping each part's offset (``base`` added)."""
    out: list[tuple[str, int]] = []
    start = 0
    for part in text.split(sep):
        out.append((part, base + start))
        start += len(part) + len(sep)
    return out


def _prefix(first: str) -> str:
    for p in PREFIXES:
        if first.startswith(p):
            return p
    return ""


def _never(_: str) -> bool:
    return False


def parse_clause(clause: str, resolve: Resolve, is_place: IsPlace = _never) -> ParsedClause:
    """Read a normalised clause (brackets included) into names with roles.

    Args:
        clause: the clause in Simplified script with full-width punctuation.
        resolve: maps a name to a registry id or None; used only to decide whether a
            group's prefix belongs to a name (a name that resolves bare keeps no prefix).
        is_place: whether a string is a place name of the gazetteer; a list of places
            ending in a place and a head shares that head (no suffix is shared without it).
    """
    inner = clause[1:-1]
    names: list[ClauseName] = []
    open_ended = False
    for segment, seg_start in _split(inner, "；", 1):
        same_below = False
        body = segment.rstrip()
        if body.endswith(SAME_BELOW):
            same_below = True
            body = body[: -len(SAME_BELOW)].rstrip("，, ")
        pending: list[tuple[str, int, int]] = []
        for chunk, chunk_start in _split(body, "，", seg_start):
            role: Role | None = None
            listed = chunk.rstrip()
            for phrase, phrase_role in ROLE_PHRASES:
                if listed.endswith(phrase):
                    role, listed = phrase_role, listed[: -len(phrase)]
                    break
            elements = _split(listed, "、", chunk_start)
            prefix = _prefix(elements[0][0].strip()) if elements else ""
            head = shared_suffix([e.strip() for e, _ in elements], is_place)
            if head is not None:
                prefix = ""  # the list's names are places, not bodies of the province
            for element, el_start in elements:
                lead = len(element) - len(element.lstrip())
                name = element.strip()
                el_start += lead
                for suffix in OPEN_ENDED_SUFFIXES:
                    if name.endswith(suffix) and len(name) > len(suffix):
                        name, open_ended = name[: -len(suffix)], True
                        break
                if not name:
                    continue
                if name in COLLECTIVE_NAMES:  # no prefix or suffix is shared with it
                    open_ended = True
                    pending.append((name, el_start, el_start + len(name)))
                    continue
                full = name
                if head is not None and not name.endswith(head):
                    full = with_head(name, head)
                elif (
                    prefix
                    and not name.startswith(prefix)
                    and not (resolve(name) is not None and resolve(prefix + name) is None)
                ):
                    full = prefix + name
                pending.append((full, el_start, el_start + len(name)))
            if role is not None:
                names.extend(
                    ClauseName(n, s, e, role, same_below, is_generic(n)) for n, s, e in pending
                )
                pending = []
        names.extend(
            ClauseName(n, s, e, Role.SHARED, same_below, is_generic(n)) for n, s, e in pending
        )
    return ParsedClause(names=tuple(names), open_ended=open_ended)
