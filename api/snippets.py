"""Full-text search, the pure parts: the Lucene query for a researcher's words, and the
snippet of a hit with its matches marked."""

from __future__ import annotations

import re

# Text the CJK analyzer turns into tokens: letters, digits, ideographs.
_INDEXABLE = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
SNIPPET_RADIUS = 40


def lucene_query(simplified: str) -> tuple[list[str], str | None]:
    """The query's terms and the Lucene query for them (None when nothing is indexable).

    Every term is quoted, so Lucene reads operators and wildcards as plain text; the whole
    query as one phrase ranks first, the terms alone (CJK bigrams) still find near matches.
    """
    terms = [t for t in re.split(r"\s+", simplified) if t]
    quoted = [_quote(t) for t in terms if _INDEXABLE.search(t)]
    if not quoted:
        return terms, None
    return terms, " OR ".join([f"{_quote(' '.join(terms))}^4", *quoted])


def _quote(text: str) -> str:
    """A Lucene phrase: the text in double quotes, with quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def highlight(text: str, original: str, terms: list[str]) -> tuple[str, str]:
    """A window of ``text`` around the first match, matches wrapped in ``<mark>``.

    The Simplified text and the original have the same length, character for character,
    so the same positions mark the same words in both. Where no whole term occurs, the
    term's character bigrams (what the CJK index matched) are marked instead.
    """
    spans: list[tuple[int, int]] = []
    for term in terms:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(term), text)]
    if not spans:
        for term in terms:
            for k in range(len(term) - 1):
                bigram = term[k : k + 2]
                spans += [(m.start(), m.end()) for m in re.finditer(re.escape(bigram), text)]
    if not spans:
        end = min(len(text), 2 * SNIPPET_RADIUS)
        return _escape(text[:end]), _escape(original[:end])
    spans.sort()
    first = spans[0][0]
    lo = max(0, first - SNIPPET_RADIUS)
    hi = min(len(text), first + 2 * SNIPPET_RADIUS)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if s < lo or e > hi:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))

    def mark(source: str) -> str:
        out, pos = [], lo
        for s, e in merged:
            out.append(_escape(source[pos:s]))
            out.append("<mark>" + _escape(source[s:e]) + "</mark>")
            pos = e
        out.append(_escape(source[pos:hi]))
        return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(source) else "")

    return mark(text), mark(original if len(original) == len(text) else text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
