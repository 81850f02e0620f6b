"""Shaping a clause's policy content and the instrument mix from Cypher rows (pure)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from api import schemas


def clause_content(content: dict[str, Any], clause: dict[str, Any]) -> schemas.ClauseContent:
    """The content map of :func:`api.content_queries.content_map` as the API gives it.

    A citation's span is found in the clause's original text (the graph links the clause to
    the document it cites; where the 《…》 stands is the clause's own text)."""
    text, span = clause["text"], clause["span"]
    citations = []
    for c in sorted(content["citations"], key=lambda c: c["title_simplified"] or ""):
        at = text.find(f"《{c['title']}》")
        start = span["start"] + max(at, 0)
        length = len(c["title"]) + 2 if at >= 0 else len(text)
        line = span["line"] + text.count("\n", 0, max(at, 0))
        citations.append(
            schemas.CitationOut(
                **c, span=schemas.SpanOut(start=start, end=start + length, line=line)
            )
        )
    return schemas.ClauseContent(
        deliverables=[
            schemas.DeliverableOut(**{k: v for k, v in d.items() if k != "ordinal"})
            for d in sorted(content["deliverables"], key=lambda d: d["ordinal"])
        ],
        targets=[
            schemas.TargetOut(**{k: v for k, v in t.items() if k != "ordinal"})
            for t in sorted(content["targets"], key=lambda t: t["ordinal"])
        ],
        citations=citations,
        instruments=[
            schemas.InstrumentOut(**{k: v for k, v in i.items() if k != "ordinal"})
            for i in sorted(content["instruments"], key=lambda i: i["ordinal"])
        ],
    )


def mix_rows(rows: list[dict[str, Any]]) -> list[schemas.MixRow]:
    """Rows of :func:`api.content_queries.instrument_mix`, each with its share of the codes
    of its document and group (the uncoded clauses, type none, count in no share)."""
    totals: dict[tuple[str, str | None], int] = defaultdict(int)
    for r in rows:
        if r["type"] != "none":
            totals[(r["document"], r["group"]["id"] if r["group"] else None)] += r["codes"]
    out = []
    for r in rows:
        total = totals[(r["document"], r["group"]["id"] if r["group"] else None)]
        out.append(
            schemas.MixRow(
                document=r["document"], year=r["date"].year, group=r["group"], type=r["type"],
                tool=r["tool"], codes=r["codes"], clauses=r["clauses"],
                share=round(r["codes"] / total, 4) if r["type"] != "none" and total else 0.0,
            )
        )  # fmt: skip
    return sorted(out, key=lambda m: (m.year, m.document, m.group.id if m.group else "",
                                      m.type == "none", m.type, m.tool or ""))  # fmt: skip
