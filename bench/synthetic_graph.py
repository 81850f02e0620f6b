"""The synthetic corpus as records and as an RDF graph, for the load benchmark.

A :class:`bench.synthetic.SyntheticCorpus` becomes validated :mod:`loaders.records`
documents, the project's alignment of its two sides, and the graph the project's own
:func:`ontology.build.build_graph` makes of them, so its triples look exactly like real ones
(IRIs only, no blank nodes). :func:`check` compares the generator's shortcuts with the
project's own functions.
"""

from __future__ import annotations

import hashlib
import math
import time

from rdflib import BNode, Graph

from align.features import align_items, tokens
from align.pipeline import align_items_of
from align.records import Alignment
from bench.synthetic import (
    BUILD_TIME,
    GRAPH_LINK_RANKS,
    Report,
    SyntheticCorpus,
    SyntheticSide,
    _quiet,
    align_item_list,
    align_item_lists,
    group_title,
    part_title,
    synthetic_corpus,
    token_lists,
)
from core.version import __version__
from loaders.records import Corpus, Document, Group, Item, LoadReport, Mention, Part, Span
from loaders.structure import title_of
from ontology.build import BuildParameters, build_graph
from policykg.pipeline import Inputs


def document_of(side: SyntheticSide) -> Document:
    """The side as a validated :class:`loaders.records.Document`."""
    doc = side.model.document
    layout = side._layout()
    script_title = f"{doc.title}（合成）"
    parts = tuple(
        Part(
            id=side.part_id(k),
            document=side.key,
            number=k + 1,
            marker=f"{k + 1}、",
            title=part_title(side, k)[0],
            title_simplified=part_title(side, k)[1],
            text="",
            span=span,
        )
        for k, span in enumerate(layout.parts)
    )
    groups = tuple(
        Group(
            id=side.group_id(k),
            document=side.key,
            number=k + 1,
            marker=f"({k + 1})",
            title=group_title(side, k)[0],
            title_simplified=group_title(side, k)[1],
            part=side.part_id(k // side.groups_per_part),
            span=span,
        )
        for k, span in enumerate(layout.groups)
    )
    digest = hashlib.sha256()
    items = []
    for item, placed in side.placed():
        text = placed.body + placed.clause
        digest.update(text.encode("utf-8"))
        items.append(
            Item(
                id=placed.id,
                document=side.key,
                kind=side.model.kind,
                number=item.number,
                marker=f"{item.number}.",
                title=title_of(text),
                title_simplified=title_of(placed.body_simplified + placed.clause_simplified),
                text=text,
                text_simplified=placed.body_simplified + placed.clause_simplified,
                body=placed.body,
                body_simplified=placed.body_simplified,
                part=side.part_id(item.part),
                group=side.group_id(item.group) if item.group is not None else None,
                span=placed.span,
                responsibility_clause=placed.clause or None,
                responsibility_span=(
                    Span(
                        start=placed.span.start + len(placed.body),
                        end=placed.span.end,
                        line=placed.span.line,
                    )
                    if placed.clause
                    else None
                ),
                responsibilities=placed.responsibilities,
                open_ended=False,
                mentions=tuple(
                    Mention(
                        kind=h.kind,
                        ref=h.ref,
                        surface=placed.body[h.start : h.end],
                        span=Span(
                            start=placed.span.start + h.start,
                            end=placed.span.start + h.end,
                            line=placed.span.line,
                        ),
                    )
                    for h in placed.hits
                ),
            )
        )
    return Document(
        key=side.key,
        title=script_title,
        title_simplified=f"{doc.title_simplified}（合成）",
        issuer=doc.issuer,
        number=doc.number,
        date=doc.date,
        type=doc.type,
        note="synthetic benchmark document built from the sentences of " + doc.key,
        relevant_for=doc.relevant_for,
        script=doc.script,
        file=f"synthetic/{side.key}.txt",
        sha256=digest.hexdigest(),
        characters=layout.characters,
        preamble=doc.preamble,
        preamble_span=layout.preamble,
        parts=parts,
        groups=groups,
        items=tuple(items),
    )


def records_of(corpus: SyntheticCorpus) -> Corpus:
    """The synthetic corpus as loader records (empty load report)."""
    return Corpus(
        documents=(document_of(corpus.source), document_of(corpus.target)),
        report=LoadReport(repairs=(), warnings=(), unresolved=()),
    )


def alignment_of(inputs: Inputs, corpus: SyntheticCorpus, max_rank: int) -> Alignment:
    """The project's alignment of the two sides, keeping links up to ``max_rank``."""
    source, target = align_item_lists(corpus)
    alignment = align_items_of(
        source,
        target,
        inputs.lexicon,
        inputs.config,
        None,
        corpus.source.key,
        corpus.target.key,
        token_lists(corpus),
    )
    links = tuple(link for link in alignment.links if link.rank <= max_rank)
    return alignment.model_copy(update={"links": links})


def graph_of(inputs: Inputs, corpus: SyntheticCorpus) -> Graph:
    """The synthetic corpus as RDF, built by :func:`ontology.build.build_graph`."""
    records = records_of(corpus)
    alignment = alignment_of(inputs, corpus, GRAPH_LINK_RANKS)
    n = f"{len(corpus.source.items)}x{len(corpus.target.items)}"
    params = BuildParameters(
        iri_base="https://w3id.org/policykg/",
        software_version=__version__,
        input_digest=hashlib.sha256(f"synthetic-{corpus.seed}-{n}".encode()).hexdigest(),
        time=BUILD_TIME,
    )
    return build_graph(records, inputs.lexicon, [alignment], params)


def items_for_triples(inputs: Inputs, triples: int, *, seed: int = 0) -> int:
    """Items per side that make a graph of about ``triples`` triples (from two small builds)."""
    small, large = 250, 1000
    t_small = len(graph_of(inputs, synthetic_corpus(inputs, small, small, seed=seed)))
    t_large = len(graph_of(inputs, synthetic_corpus(inputs, large, large, seed=seed)))
    per_item = (t_large - t_small) / (large - small)
    base = t_small - small * per_item
    return max(1, math.ceil((triples - base) / per_item))


def synthetic_graph(
    inputs: Inputs, triples: int, *, seed: int = 0, report: Report = _quiet
) -> Graph:
    """A graph of about ``triples`` triples: a synthetic corpus plus its alignment.

    The vocabularies (about 7,000 triples) are included, as in a real build.
    """
    started = time.perf_counter()
    n = items_for_triples(inputs, triples, seed=seed)
    report(f"synthetic graph: {n} items per side for ~{triples:,} triples")
    corpus = synthetic_corpus(inputs, n, n, seed=seed)
    graph = graph_of(inputs, corpus)
    report(f"synthetic graph: {len(graph):,} triples in {time.perf_counter() - started:.1f} s")
    return graph


def check(inputs: Inputs, n: int, seed: int) -> list[str]:
    """Differences between the shortcuts above and the project's own functions (none = good)."""
    problems = []
    corpus = synthetic_corpus(inputs, n, n, seed=seed)
    records = records_of(corpus)
    precomputed = token_lists(corpus)
    k = 0
    for side, document in zip((corpus.source, corpus.target), records.documents, strict=True):
        fast = align_item_list(side)
        slow = align_items(document.items)
        if fast != slow:
            problems.append(f"{side.key}: AlignItems differ from align_items(records)")
        for item in document.items:
            hits = [
                (h.kind, h.ref, h.start, h.end) for h in inputs.lexicon.find(item.body_simplified)
            ]
            mine = [(m.kind, m.ref, m.span.start - item.span.start, m.span.end - item.span.start)
                    for m in item.mentions]  # fmt: skip
            if hits != mine:
                problems.append(f"{item.id}: mentions differ from lexicon.find on the body")
            if tokens(inputs.lexicon, item.body_simplified, inputs.config) != precomputed[k]:
                problems.append(f"{item.id}: tokens differ from align.features.tokens")
            k += 1
    graph = graph_of(inputs, corpus)
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        problems.append("the graph has blank nodes")
    return problems
