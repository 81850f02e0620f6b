"""Numbering markers: 一、 / (一) / （一） / 1. / 1、, full- or half-width.

A document's manifest entry says which numbering style each structural level uses; this
module recognises a style's marker at the start of a line and reads its number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

NumberingStyle = Literal["cn-dun", "cn-paren", "arabic"]

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "零〇一二两三四五六七八九十百"

# Each pattern runs on the NFKC form of the line start, so full-width digits, brackets and
# full stops (１．（一）) read as their half-width forms; 、 and the Chinese numerals are
# unchanged by NFKC.
_PATTERNS: dict[NumberingStyle, re.Pattern[str]] = {
    "cn-dun": re.compile(rf"^\s*([{_CN}]+)\s*、"),
    "cn-paren": re.compile(rf"^\s*\(\s*([{_CN}]+)\s*\)"),
    "arabic": re.compile(r"^\s*(\d{1,3})\s*[.、](?!\d)"),
}


def chinese_numeral(text: str) -> int:
    """Read a Chinese numeral from 一 to 九百九十九 (三十七 → 37, 十九 → 19).

    Raises:
        ValueError: ``text`` is not a Chinese numeral in that range.
    """
    if not text or any(c not in _CN for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, current = 0, 0
    for c in text:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
    total += current
    if total <= 0:
        raise ValueError(f"not a positive Chinese numeral: {text!r}")
    return total


@dataclass(frozen=True, slots=True)
class Marker:
    """A numbering marker found at the start of a line."""

    style: NumberingStyle
    number: int
    text: str  # the marker as written, e.g. "（三）" or "1."
    length: int  # characters the marker takes in the original line, leading spaces included


def _fold(c: str) -> str:
    # Fold one character at a time, keeping any that NFKC would expand, so that offsets
    # measured on the folded prefix hold for the original line.
    folded = unicodedata.normalize("NFKC", c)
    return folded if len(folded) == 1 else c


def match_marker(line: str, style: NumberingStyle) -> Marker | None:
    """The marker of ``style`` at the start of ``line``, or None."""
    m = _PATTERNS[style].match("".join(_fold(c) for c in line[:12]))
    if m is None:
        return None
    raw = m.group(1)
    number = int(raw) if style == "arabic" else chinese_numeral(raw)
    return Marker(style=style, number=number, text=line[: m.end()].strip(), length=m.end())


def to_chinese_numeral(n: int) -> str:
    """Write 1–999 as a Chinese numeral (19 → 十九), for messages that quote the text's form."""
    if not 0 < n < 1000:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    if ones:
        out += digits[ones]
    return out
