"""The load report as figures a person reads: counts per document, repairs, warnings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from loaders.records import Corpus, Document


@dataclass(frozen=True)
class DocumentCounts:
    key: str
    title: str
    parts: int
    groups: int
    items: int
    item_kind: str
    responsibilities: int
    inherited: int
    open_ended: int
    mentions: dict[str, int]
    repairs: int
    warnings: int


def document_counts(corpus: Corpus, document: Document) -> DocumentCounts:
    """What was found in one document."""
    items = document.items
    mentions = Counter(m.kind for i in items for m in i.mentions)
    return DocumentCounts(
        key=document.key,
        title=document.title,
        parts=len(document.parts),
        groups=len(document.groups),
        items=len(items),
        item_kind=items[0].kind if items else "item",
        responsibilities=sum(
            1 for i in items for r in i.responsibilities if r.inherited_from is None
        ),
        inherited=sum(1 for i in items for r in i.responsibilities if r.inherited_from),
        open_ended=sum(1 for i in items if i.open_ended),
        mentions=dict(sorted(mentions.items())),
        repairs=sum(1 for r in corpus.report.repairs if r.document == document.key),
        warnings=sum(1 for w in corpus.report.warnings if w.document == document.key),
    )
