"""The Simplified, punctuation-normalised form of a text, used for matching and search.

Conversion uses OpenCC's ``t2s`` profile. On the 2025 work plan (Traditional produced by
machine conversion from mainland Simplified) ``t2s``, ``tw2s`` and ``hk2s`` give identical
output, while ``tw2sp`` also swaps Taiwanese vocabulary (智慧 → 智能, 核心 → 内核,
资讯 → 信息) and so changes the policy terms themselves; ``t2s`` is the faithful choice.

Normalisation keeps length: every character of the result stands where its source character
stood, so a span found in the normalised text is the same span in the original.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

OPENCC_PROFILE = "t2s"

# Half-width punctuation that the work plan uses where Chinese text has full-width forms.
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(OPENCC_PROFILE)


def is_cjk(c: str) -> bool:
    """True for a CJK ideograph (the Unified block and Extension A)."""
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def to_simplified(text: str) -> str:
    """Convert to Simplified script character by character position (length is kept)."""
    converted: str = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: fall back to one character at a time.
    return "".join(c if len(s := _converter().convert(c)) != 1 else s for c in text)


def normalise_punctuation(text: str) -> str:
    """Make half-width punctuation next to Chinese text full-width (``,`` → ``，``)."""
    out = list(text)
    for i, c in enumerate(text):
        if c in _FULL_WIDTH and _next_to_cjk(text, i):
            out[i] = _FULL_WIDTH[c]
    return "".join(out)


def _next_to_cjk(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return is_cjk(before) or is_cjk(after) or before in "”）" or after in "“（"


def normalise(text: str) -> str:
    """Simplified script and full-width punctuation; same length as ``text``."""
    return normalise_punctuation(to_simplified(text))
