"""Original text as lines with offsets, and the repair of page-break artifacts.

The received texts were copied out of paginated documents. A page break splits a paragraph
with blank lines, sometimes repeating the boundary character on the new page (``社`` /
``社会``, ``基`` / ``基础``) or the opening quote of an open quotation (``“万物`` /
``“智联``); a line can also break inside a sentence (``开展“`` / ``机器人+”行动``).
:func:`join_lines` joins such breaks and returns every repair it made, with the offset in
the original file, so the original stays auditable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from loaders.records import Repair, RepairKind

# A paragraph genuinely ends after these; a line ending otherwise was broken mid-sentence.
SENTENCE_END = frozenset("。！？!?…")
CLOSERS = frozenset("”’」』）)》")
OPENING_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}

IsWord = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the original file: ``text`` without its newline, from offset ``start``."""

    number: int  # 1-based
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Cut ``text`` into lines, keeping each line's offset (``\\r\\n`` and ``\\n`` both end one)."""
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        content = raw[:-1] if raw.endswith("\r") else raw
        lines.append(Line(number=number, start=offset, text=content))
        offset += len(raw) + 1
    return lines


@dataclass(frozen=True, slots=True)
class Mapped:
    """Text built from pieces of the original, with each character's original offset."""

    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) of ``text[start:end]``."""
        if start >= end:
            raise ValueError("empty span")
        return self.offsets[start], self.offsets[end - 1] + 1

    def __getitem__(self, s: slice) -> Mapped:
        return Mapped(self.text[s], self.offsets[s])


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of one line that belongs to a block of text (a heading's rest, a paragraph)."""

    line: Line
    start: int  # offset in the original file
    text: str  # stripped of surrounding whitespace
    blank_before: bool  # blank lines separate it from the previous piece: a page break


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a paragraph: 。！？ possibly followed by closing quotes."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _open_quote(text: str) -> str | None:
    """The opening quote left open at the end of ``text``, if any."""
    stack: list[str] = []
    _track_quotes(stack, text)
    return stack[-1] if stack else None


def _track_quotes(stack: list[str], text: str) -> None:
    """Update ``stack``, the quotes open so far, with ``text`` read after them."""
    for c in text:
        if c in OPENING_QUOTES:
            stack.append(c)
        elif stack and c == OPENING_QUOTES[stack[-1]]:
            stack.pop()


def _ends_sentence_at(chars: Sequence[str]) -> bool:
    """:func:`ends_sentence` of ``"".join(chars)``, reading only its end."""
    i = len(chars) - 1
    while i >= 0 and not chars[i].strip():
        i -= 1
    while i >= 0 and chars[i] in CLOSERS:
        i -= 1
    return i >= 0 and chars[i] in SENTENCE_END


def is_repeated_boundary(before: str, after: str, is_word: IsWord) -> bool:
    """Whether ``after`` begins by repeating the character ``before`` ends with.

    ``社`` / ``社会治理`` is a repeat: ``社社`` is no word, and dropping the second ``社``
    leaves the word ``社会`` across the break. ``人`` / ``人都…`` is not: ``人人`` is a word,
    a genuine reduplication that must be kept.
    """
    if not before or not after or before[-1] != after[0] or not after[0].strip():
        return False
    c = before[-1]
    if is_word(c + c):
        return False
    return any(is_word(c + after[1:k]) for k in range(2, min(len(after), 6) + 1))


def join_lines(
    pieces: Sequence[Piece], original: str, *, document: str, is_word: IsWord
) -> tuple[Mapped, list[Repair]]:
    """Join a block's pieces into one text, repairing page and line breaks.

    Pieces that end a sentence are kept as separate paragraphs (joined by a newline); a
    piece that stops mid-sentence is joined to the next one, dropping a repeated boundary
    character or a repeated opening quote. Every join is returned as a :class:`Repair`
    whose ``before`` is the original from the last character kept before the break to the
    first character kept after it.

    Linear in the block's length: only the end of the text so far is read at each break,
    and the quotes left open are tracked as the text grows.
    """
    chars: list[str] = []
    offsets: list[int] = []
    repairs: list[Repair] = []
    open_quotes: list[str] = []
    previous: Piece | None = None
    for piece in pieces:
        text, start = piece.text, piece.start
        if previous is not None:
            if _ends_sentence_at(chars):
                chars.append("\n")
                offsets.append(previous.start + len(previous.text))
            else:
                drop = 0
                kind: RepairKind = "page-break-join" if piece.blank_before else "line-break-join"
                open_quote = open_quotes[-1] if open_quotes else None
                if (
                    open_quote is not None and text.startswith(open_quote) and piece.blank_before
                ) or (piece.blank_before and is_repeated_boundary(chars[-1], text, is_word)):
                    drop = 1
                if drop:
                    kind = "page-break-repeat"
                last = offsets[-1]
                before = original[last : start + drop + 1]
                after = chars[-1] + text[drop : drop + 1]
                repairs.append(
                    Repair(
                        document=document,
                        offset=last,
                        line=previous.line.number,
                        kind=kind,
                        before=before,
                        after=after,
                    )
                )
                text, start = text[drop:], start + drop
        chars.extend(text)
        offsets.extend(range(start, start + len(text)))
        _track_quotes(open_quotes, text)
        previous = piece
    return Mapped("".join(chars), tuple(offsets)), repairs
