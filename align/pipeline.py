"""Align two documents of the corpus: features → scores → links with evidence → coverage."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from align.clause_level import align_clauses_of, combine, link_candidates
from align.clause_model import ClauseModel, read_model
from align.clause_space import AlignClause, align_clauses
from align.config import AlignConfig
from align.features import AlignItem, Features, align_items, build_features, tokens
from align.records import (
    Alignment,
    ClauseLink,
    Coverage,
    CoverageEntry,
    Evidence,
    Link,
    SharedTerm,
)
from align.score import Scored, score_all
from core.errors import AlignmentError
from loaders.lexicon import Lexicon
from loaders.normalise import normalise
from loaders.records import Corpus, Span

log = logging.getLogger(__name__)

SHARED_TERMS = 8  # shared terms reported per link, strongest first


@dataclass(frozen=True)
class SourceText:
    """A document's original file text and its normalised form (same length)."""

    original: str
    normalised: str
    line_starts: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> SourceText:
        starts = [0] + [i + 1 for i, c in enumerate(original) if c == "\n"]
        return cls(original=original, normalised=normalise(original), line_starts=tuple(starts))

    def spans(self, term: str, within: Span, limit: int = 3) -> tuple[Span, ...]:
        """Where ``term`` occurs in the original within ``within`` (matched on normalised text)."""
        out: list[Span] = []
        at = self.normalised.find(term, within.start, within.end)
        while at >= 0 and len(out) < limit:
            line = bisect.bisect_right(self.line_starts, at)
            out.append(Span(start=at, end=at + len(term), line=line))
            at = self.normalised.find(term, at + len(term), within.end)
        return tuple(out)


def align_documents(
    corpus: Corpus,
    lexicon: Lexicon,
    config: AlignConfig,
    source: str,
    target: str,
    originals: Mapping[str, str],
    model: ClauseModel | None = None,
) -> Alignment:
    """Align ``source`` with ``target`` clause by clause, and derive the item links.

    Every source clause gets its candidate target items, each with the fitted model's
    probability that it carries the clause on (:mod:`align.clause_level`); item links are
    scored, accepted and typed from those clause links, and keep the item-level signals as
    evidence.

    Args:
        corpus: the loaded corpus.
        lexicon: the vocabularies and tokenizer the loaders used.
        config: the method's configuration.
        source, target: document keys (``gd2021``, ``gd2025``).
        originals: each document's original file text, for evidence spans.
        model: the clause model (default: the fitted one, ``align/clause-model.toml``).

    Raises:
        AlignmentError: an unknown document key, or source and target are the same.
    """
    keys = [d.key for d in corpus.documents]
    for key in (source, target):
        if key not in keys:
            raise AlignmentError(f"unknown document {key!r} (known: {', '.join(keys)})")
    if source == target:
        raise AlignmentError("source and target must be different documents")
    s_doc, t_doc = corpus.document(source), corpus.document(target)
    texts = {k: SourceText.of(originals[k]) for k in (source, target)}
    return align_items_of(
        align_items(s_doc.items), align_items(t_doc.items), lexicon, config, texts, source,
        target, clauses=(align_clauses(s_doc.items), align_clauses(t_doc.items)),
        model=model or read_model(),
    )  # fmt: skip


def align_items_of(
    s_items: Sequence[AlignItem],
    t_items: Sequence[AlignItem],
    lexicon: Lexicon,
    config: AlignConfig,
    texts: Mapping[str, SourceText] | None,
    source: str,
    target: str,
    token_lists: Sequence[list[str]] | None = None,
    clauses: tuple[Sequence[AlignClause], Sequence[AlignClause]] | None = None,
    model: ClauseModel | None = None,
) -> Alignment:
    """The alignment of two item lists; with their ``clauses`` and a ``model``, decided
    clause by clause, otherwise by the item-level scores alone (the benchmark's item-level
    run)."""
    if not s_items or not t_items:
        raise AlignmentError("both documents need at least one item to align")
    features = build_features(s_items, t_items, lexicon, config, token_lists)
    clause_links: tuple[ClauseLink, ...] = ()
    method_version = config.method_version
    if clauses is None or model is None:
        scored = score_all(features, config)
        links = _links(scored, features, s_items, t_items, texts)
        coverage = _coverage(scored, s_items, t_items)
    else:
        # every pair keeps its item-level evidence; which become links the clauses decide
        every = config.model_copy(
            update={
                "acceptance": config.acceptance.model_copy(
                    update={"top_k": len(t_items), "floor": 0.0}
                )
            }
        )
        scored = score_all(features, every)
        level = align_clauses_of(*clauses, lexicon.vocab, config, model)
        kept = link_candidates(scored, s_items, t_items, level, config)
        links, coverage = combine(_links(kept, features, s_items, t_items, texts), s_items,
                                  t_items, level)  # fmt: skip
        clause_links = tuple(level.links)
        method_version += f", clause model {model.digest[:12]}"
    log.info(
        "%s → %s: %d candidate links kept, %d accepted",
        source,
        target,
        len(links),
        sum(1 for link in links if link.accepted),
    )
    return Alignment(
        source=source,
        target=target,
        method=config.method,
        method_version=method_version,
        config_digest=config.digest,
        links=tuple(links),
        coverage=coverage,
        clause_links=clause_links,
    )


def _shared_features(
    features: Features, scored: Scored, signal: str, vocab: np.ndarray
) -> list[list[tuple[str, float]]]:
    """For every kept link, the features of ``signal`` both items share, strongest first,
    each with its share of that signal's similarity."""
    ws: sp.csr_matrix = features.source[signal][scored.source]
    wt: sp.csr_matrix = features.target[signal][scored.target]
    product = ws.multiply(wt).tocsr()
    out: list[list[tuple[str, float]]] = []
    for r in range(product.shape[0]):
        lo, hi = product.indptr[r], product.indptr[r + 1]
        values = product.data[lo:hi]
        total = float(values.sum())
        terms: list[tuple[str, float]] = []
        if total > 0:
            for o in np.argsort(-values, kind="stable"):
                term = str(vocab[product.indices[lo + o]]).strip()
                # character n-grams padded at a word boundary carry a space: not a term
                if term and " " not in term:
                    terms.append((term, float(values[o]) / total))
                if len(terms) == SHARED_TERMS:
                    break
        out.append(terms)
    return out


def _links(
    scored: Scored,
    features: Features,
    s_items: Sequence[AlignItem],
    t_items: Sequence[AlignItem],
    texts: Mapping[str, SourceText] | None,
) -> list[Link]:
    shared = _shared_features(features, scored, "words", features.word_vocabulary)
    bigrams = _shared_features(features, scored, "chars", features.char_vocabulary)
    links: list[Link] = []
    for n in range(len(scored.score)):
        s, t = s_items[int(scored.source[n])], t_items[int(scored.target[n])]
        s_text = texts.get(s.document) if texts else None
        t_text = texts.get(t.document) if texts else None

        def spanned(found: list[tuple[str, float]]) -> tuple[SharedTerm, ...]:
            return tuple(
                SharedTerm(
                    term=term,
                    weight=round(weight, 4),
                    source_spans=s_text.spans(term, s.span) if s_text else (),  # noqa: B023
                    target_spans=t_text.spans(term, t.span) if t_text else (),  # noqa: B023
                )
                for term, weight in found
            )

        item_score = min(1.0, max(0.0, round(float(scored.score[n]), 6)))
        evidence = Evidence(
            contributions={name: round(float(v[n]), 6) for name, v in scored.contributions.items()},
            similarity=round(float(scored.similarity[n]), 6),
            source_hubness=round(float(scored.source_hubness[n]), 6),
            target_hubness=round(float(scored.target_hubness[n]), 6),
            shared_terms=spanned(shared[n]),
            shared_bigrams=spanned(bigrams[n]),
            technologies=tuple(sorted(set(s.technologies) & set(t.technologies))),
            programmes=tuple(sorted(set(s.programmes) & set(t.programmes))),
            places=tuple(sorted(set(s.places) & set(t.places))),
            agencies=tuple(sorted(set(s.agencies) & set(t.agencies))),
            parts=(s.part, t.part),
            item_score=item_score,
        )
        links.append(
            Link(
                source=s.id,
                target=t.id,
                score=item_score,
                rank=int(scored.rank[n]),
                accepted=bool(scored.accepted[n]),
                evidence=evidence,
            )
        )
    return links


def _coverage(
    scored: Scored, s_items: Sequence[AlignItem], t_items: Sequence[AlignItem]
) -> Coverage:
    has_successor = np.zeros(len(s_items), dtype=bool)
    has_predecessor = np.zeros(len(t_items), dtype=bool)
    has_successor[scored.source[scored.accepted]] = True
    has_predecessor[scored.target[scored.accepted]] = True
    dropped = []
    for i in map(int, np.flatnonzero(~has_successor)):
        best = t_items[int(scored.row_best_target[i])]
        dropped.append(
            CoverageEntry(
                item=s_items[i].id,
                title=s_items[i].title,
                best=best.id,
                best_title=best.title,
                score=round(float(scored.row_best[i]), 6),
            )
        )
    new = []
    for j in map(int, np.flatnonzero(~has_predecessor)):
        src = int(scored.column_best_source[j])
        best_s = s_items[src] if src >= 0 else None
        new.append(
            CoverageEntry(
                item=t_items[j].id,
                title=t_items[j].title,
                best=best_s.id if best_s else None,
                best_title=best_s.title if best_s else None,
                score=round(max(0.0, float(scored.column_best[j])), 6),
            )
        )
    return Coverage(dropped=tuple(dropped), new=tuple(new))


__all__ = ["SourceText", "align_documents", "align_items_of", "tokens"]
