"""Clauses: an item's text cut into its sentences, the unit of clause-level alignment.

A clause is a sentence that ends in ``。`` or ``；``; the item's title sentence (the phrase
before its first ``。``, :func:`loaders.structure.title_of`) is always a clause of its own.
A terminator inside quotation marks or brackets does not end a clause (``打造“一网通办。”``
stays whole), and a last stretch without a terminator is a clause too. The cut is made on
the item's normalised text, which has the original's length, so each clause's offsets are
the same in the original.

Pure functions over text; :mod:`loaders.corpus` turns the bounds into records.
"""

from __future__ import annotations

TERMINATORS = frozenset("。；")
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】"}


def clause_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each clause of ``text`` (end exclusive, terminator included,
    surrounding white space left out).

    Quotation marks and brackets are followed so that a terminator inside them does not end
    a clause; if the text leaves one open (a defect of the text), they are ignored instead.
    """
    title_end = _title_end(text)
    bounds = [(0, title_end)] if title_end else []
    rest = _sentences(text, title_end, balanced=True)
    if rest is None:
        rest = _sentences(text, title_end, balanced=False)
    assert rest is not None
    return [trimmed for a, b in bounds + rest if (trimmed := _trim(text, a, b)) is not None]


def _sentences(text: str, start: int, *, balanced: bool) -> list[tuple[int, int]] | None:
    """The sentences of ``text[start:]``; None when ``balanced`` and a pair is left open."""
    bounds: list[tuple[int, int]] = []
    open_pairs: list[str] = []
    for i in range(start, len(text)):
        c = text[i]
        if balanced and c in PAIRS:
            open_pairs.append(PAIRS[c])
        elif open_pairs and c == open_pairs[-1]:
            open_pairs.pop()
        elif c in TERMINATORS and not open_pairs:
            bounds.append((start, i + 1))
            start = i + 1
    if open_pairs:
        return None
    bounds.append((start, len(text)))
    return bounds


def _title_end(text: str) -> int:
    """Just past the title sentence: its ``。`` on the first line, else the first line's end
    when more lines follow (0 when the text is one line with no ``。``)."""
    first_line = text.split("\n", 1)[0]
    at = first_line.find("。")
    if at >= 0:
        return at + 1
    return len(first_line) if len(first_line) < len(text) else 0


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def clause_id(item_id: str, number: int) -> str:
    """``gd2021-m06`` + 2 → ``gd2021-m06-c02``: numbered from 1 in the item's order."""
    return f"{item_id}-c{number:02d}"
