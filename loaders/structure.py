"""Structure: a document's text becomes parts, groups and items, with repaired text.

Pure functions over text: no files, no vocabularies. The manifest entry says which
numbering style each level uses; numbering is checked (a gap is a warning, a repeat or a
step backwards is an error) and never renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import StructureError
from loaders.manifest import DocumentSpec, LevelKind
from loaders.notice import is_signature, read_notice
from loaders.numbering import Marker, match_marker, to_chinese_numeral
from loaders.records import LoadWarning, Notice, Repair, Span
from loaders.text import IsWord, Line, Mapped, Piece, join_lines, split_lines

ID_LETTER = {"part": "p", "group": "g", "measure": "m", "task": "t"}


@dataclass
class _Node:
    kind: LevelKind
    marker: Marker
    line: Line
    pieces: list[Piece] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.line.start + len(self.line.text) - len(self.line.text.lstrip())

    @property
    def end(self) -> int:
        last = self.pieces[-1] if self.pieces else None
        return last.start + len(last.text) if last else self.line.end


@dataclass(frozen=True)
class HeadingDraft:
    """A part or group heading with its own text."""

    kind: LevelKind
    id: str
    number: int
    marker: str
    title: str
    text: str
    span: Span
    parent: str | None


@dataclass(frozen=True)
class ItemDraft:
    """An item's structure and repaired text, before responsibilities and mentions."""

    id: str
    number: int
    marker: str
    text: Mapped  # repaired original, with each character's offset in the file
    part: str
    group: str | None
    span: Span

    @property
    def title(self) -> str:
        return title_of(self.text.text)


@dataclass(frozen=True)
class ParsedDocument:
    preamble: str
    preamble_span: Span
    parts: tuple[HeadingDraft, ...]
    groups: tuple[HeadingDraft, ...]
    items: tuple[ItemDraft, ...]
    repairs: tuple[Repair, ...]
    warnings: tuple[LoadWarning, ...]
    notice: Notice | None = None


def title_of(text: str) -> str:
    """An item's title: the phrase before its first 。 (the whole first line if it has none)."""
    first_line = text.split("\n", 1)[0]
    head, sep, _ = first_line.partition("。")
    return head.strip() if sep else first_line.strip()


def make_id(key: str, kind: str, number: int) -> str:
    """``gd2021`` + measure 12 → ``gd2021-m12``: the official number, never a renumbering."""
    return f"{key}-{ID_LETTER[kind]}{number:02d}"


def make_item_id(spec: DocumentSpec, part: int, number: int) -> str:
    """An item's id: ``gd2021-m12`` when items are numbered across parts, ``fam2023-p02t01``
    (part 2, item 1) when their numbering starts again in each part."""
    if spec.item_numbering == "per-part":
        return f"{spec.key}-{ID_LETTER['part']}{part:02d}{ID_LETTER[spec.item_kind]}{number:02d}"
    return make_id(spec.key, spec.item_kind, number)


def _piece(line: Line, skip: int, blank_before: bool) -> Piece | None:
    rest = line.text[skip:]
    stripped = rest.strip()
    if not stripped:
        return None
    lead = len(rest) - len(rest.lstrip())
    return Piece(
        line=line, start=line.start + skip + lead, text=stripped, blank_before=blank_before
    )


def parse_document(text: str, spec: DocumentSpec, *, is_word: IsWord) -> ParsedDocument:
    """Parse one document's text into its structure.

    Args:
        text: the whole decoded file.
        spec: the document's manifest entry (numbering styles, item kind, trailer).
        is_word: tells whether a string is a dictionary word, used to tell a page break's
            repeated character from a genuine reduplication.

    Raises:
        StructureError: no heading of the top level at all, an item before any part, a
            number that repeats or goes backwards.
    """
    lines = split_lines(text)
    nodes: list[_Node] = []
    preamble_lines: list[Line] = []
    closing: tuple[Line, Line] | None = None  # an issuer's signature and date ending the body
    previous_blank = False
    for index, line in enumerate(lines):
        if line.blank:
            previous_blank = True
            continue
        stripped = line.text.strip()
        if nodes and any(stripped.startswith(t) for t in spec.trailer_starts):
            break
        if nodes and is_signature(lines, index):
            closing = (line, next(n for n in lines[index + 1 :] if not n.blank))
            break
        marker_kind = _heading(line, spec)
        if marker_kind is not None:
            kind, marker = marker_kind
            node = _Node(kind=kind, marker=marker, line=line)
            if kind == "item":
                p = _piece(line, marker.length, False)
                if p is not None:
                    node.pieces.append(p)
            nodes.append(node)
        elif nodes:
            p = _piece(line, 0, previous_blank)
            if p is not None:
                nodes[-1].pieces.append(p)
        else:
            preamble_lines.append(line)
        previous_blank = False

    if not any(n.kind == "part" for n in nodes):
        style = spec.style("part")
        raise StructureError(
            f"document {spec.key!r}: no part heading in the {style} numbering style was found; "
            "is this the right file, and does the manifest name the right numbering?",
            line=1,
        )

    repairs: list[Repair] = []
    warnings: list[LoadWarning] = []
    _check_numbering(nodes, spec, warnings)

    parts: list[HeadingDraft] = []
    groups: list[HeadingDraft] = []
    items: list[ItemDraft] = []
    current_part: HeadingDraft | None = None
    current_group: HeadingDraft | None = None
    for node in nodes:
        span = Span(start=node.start, end=node.end, line=node.line.number)
        if node.kind == "item":
            if current_part is None:
                raise StructureError(
                    f"item {node.marker.text} comes before any part heading", line=node.line.number
                )
            mapped, item_repairs = join_lines(node.pieces, text, document=spec.key, is_word=is_word)
            repairs.extend(item_repairs)
            if not mapped.text:
                raise StructureError(f"item {node.marker.text} has no text", line=node.line.number)
            items.append(
                ItemDraft(
                    id=make_item_id(spec, current_part.number, node.marker.number),
                    number=node.marker.number,
                    marker=node.marker.text,
                    text=mapped,
                    part=current_part.id,
                    group=current_group.id if current_group else None,
                    span=span,
                )
            )
            continue
        # A heading: its title is the rest of its line; what follows before the next
        # heading is its own text (the 2021 opinion's 一、总体要求 has a paragraph).
        title = node.line.text.strip()[len(node.marker.text) :].strip()
        own, own_repairs = join_lines(node.pieces, text, document=spec.key, is_word=is_word)
        repairs.extend(own_repairs)
        if node.kind == "part":
            current_part = HeadingDraft(
                kind="part",
                id=make_id(spec.key, "part", node.marker.number),
                number=node.marker.number,
                marker=node.marker.text,
                title=title,
                text=own.text,
                span=span,
                parent=None,
            )
            current_group = None
            parts.append(current_part)
        else:
            if current_part is None:
                raise StructureError(
                    f"group {node.marker.text} comes before any part heading",
                    line=node.line.number,
                )
            current_group = HeadingDraft(
                kind="group",
                id=make_id(spec.key, "group", node.marker.number),
                number=node.marker.number,
                marker=node.marker.text,
                title=title,
                text=own.text,
                span=span,
                parent=current_part.id,
            )
            groups.append(current_group)

    if not items:
        raise StructureError(
            f"document {spec.key!r}: parts were found but no {spec.item_kind} in the "
            f"{spec.style('item')} numbering style",
            line=nodes[0].line.number,
        )

    preamble = "\n".join(line.text.strip() for line in preamble_lines)
    if preamble_lines:
        pre_span = Span(
            start=preamble_lines[0].start, end=preamble_lines[-1].end, line=preamble_lines[0].number
        )
    else:
        pre_span = Span(start=0, end=0, line=1)
    return ParsedDocument(
        preamble=preamble,
        preamble_span=pre_span,
        parts=tuple(parts),
        groups=tuple(groups),
        items=tuple(items),
        repairs=tuple(repairs),
        warnings=tuple(warnings),
        notice=read_notice(preamble_lines, closing),
    )


def _heading(line: Line, spec: DocumentSpec) -> tuple[LevelKind, Marker] | None:
    for level in spec.levels:
        marker = match_marker(line.text, level.numbering)
        if marker is not None:
            return level.kind, marker
    return None


def _check_numbering(nodes: list[_Node], spec: DocumentSpec, warnings: list[LoadWarning]) -> None:
    """Numbers rise through the document at each level; a gap warns, a repeat fails."""
    for level in spec.levels:
        seen: dict[int, int] = {}
        previous = 0
        restarts = level.kind == "item" and spec.item_numbering == "per-part"
        for node in nodes:
            if restarts and node.kind == "part":
                seen, previous = {}, 0
            if node.kind != level.kind:
                continue
            n, line = node.marker.number, node.line.number
            if n in seen:
                raise StructureError(
                    f"{level.kind} number {node.marker.text} appears twice "
                    f"(first at line {seen[n]})",
                    line=line,
                )
            if n < previous:
                raise StructureError(
                    f"{level.kind} {node.marker.text} comes after number {previous}: "
                    "numbering goes backwards",
                    line=line,
                )
            if n > previous + 1:
                missing = list(range(previous + 1, n))
                shown = ", ".join(_display(level.numbering, m) for m in missing)
                warnings.append(
                    LoadWarning(
                        document=spec.key,
                        line=line,
                        code="numbering-gap",
                        message=f"{level.kind} numbering skips {shown}: "
                        f"{_display(level.numbering, previous)} is followed by "
                        f"{node.marker.text}; kept as in the text, not renumbered",
                    )
                )
            seen[n] = line
            previous = n


def _display(style: str, n: int) -> str:
    if style == "arabic":
        return f"{n}."
    if style == "cn-paren":
        return f"({to_chinese_numeral(n)})"
    return f"{to_chinese_numeral(n)}、"
