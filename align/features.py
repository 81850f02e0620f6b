"""Feature matrices for alignment: one sparse, L2-normalised row per item for each signal.

A signal's similarity between a source and a target item is then the dot product of their
rows, so every signal for a block of source items against all targets is one sparse matrix
product: no Python loop over pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

from align.config import AlignConfig
from loaders.lexicon import Lexicon
from loaders.records import Item, Responsibility, Span
from loaders.vocabulary import Vocabularies

SIGNALS = ("words", "chars", "technologies", "programmes", "places", "agencies")
_PUNCT = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class AlignItem:
    """What the alignment needs of an item: its words and what it names."""

    id: str
    document: str
    part: str
    title: str
    text: str  # normalised Simplified body, without the responsibility clause
    span: Span  # where the item is in its original file
    technologies: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # jieba words of ``text`` from the loader; empty: tokenise here


def named_refs(
    mentions: Iterable[tuple[str, str]], responsibilities: Iterable[Responsibility]
) -> dict[str, tuple[str, ...]]:
    """What an item names, by kind, first mention first: ``technology``, ``programme``,
    ``place``, and ``agency`` (mentioned, then responsible and not inherited by 下同)."""
    named: dict[str, list[str]] = {"technology": [], "programme": [], "place": [], "agency": []}
    for kind, ref in mentions:
        if ref not in named[kind]:
            named[kind].append(ref)
    agencies = named["agency"]
    for r in responsibilities:
        if r.agency and r.inherited_from is None and r.agency not in agencies:
            agencies.append(r.agency)
    return {kind: tuple(refs) for kind, refs in named.items()}


def align_items(items: Sequence[Item]) -> list[AlignItem]:
    """The alignment's view of loader items: body text, mentions and responsible agencies."""
    out = []
    for item in items:
        named = named_refs(((m.kind, m.ref) for m in item.mentions), item.responsibilities)
        out.append(
            AlignItem(
                id=item.id,
                document=item.document,
                part=item.part,
                title=item.title_simplified,
                text=item.body_simplified,
                span=item.span,
                technologies=named["technology"],
                programmes=named["programme"],
                places=named["place"],
                agencies=named["agency"],
                words=item.words,
            )
        )
    return out


@dataclass
class Features:
    """Per-signal matrices for the source and the target items, and part similarities."""

    source: dict[str, sp.csr_matrix]
    target: dict[str, sp.csr_matrix]
    word_vocabulary: np.ndarray  # feature index → token, for explaining shared terms
    char_vocabulary: np.ndarray  # feature index → character n-gram
    part_similarity: np.ndarray  # source part × target part
    source_part: np.ndarray  # source item → row of part_similarity
    target_part: np.ndarray  # target item → column of part_similarity
    source_parts: list[str]
    target_parts: list[str]


def tokens(lexicon: Lexicon, text: str, config: AlignConfig) -> list[str]:
    """Content tokens of a normalised text: jieba words minus stop words and punctuation."""
    return content_words(lexicon.words(text), config)


def content_words(words: Iterable[str], config: AlignConfig) -> list[str]:
    """``words`` minus stop words, punctuation and words too short to tell anything."""
    stop = set(config.words.stop)
    return [
        w
        for w in words
        if (len(w) >= config.words.min_length or w.isascii())
        and w not in stop
        and _PUNCT.sub("", w)
    ]


def item_tokens(item: AlignItem, lexicon: Lexicon, config: AlignConfig) -> list[str]:
    """The item's content tokens, from the loader's words when it kept them."""
    if item.words:
        return content_words(item.words, config)
    return tokens(lexicon, item.text, config)


def _char_text(text: str) -> str:
    # Punctuation becomes a word boundary, so n-grams never span it.
    return _PUNCT.sub(" ", text)


def _ancestors(vocab: Vocabularies, max_depth: int) -> Mapping[str, list[tuple[str, int]]]:
    broader = {c.id: c.broader for c in vocab.concepts}
    out: dict[str, list[tuple[str, int]]] = {}
    for cid in broader:
        seen: dict[str, int] = {cid: 0}
        frontier = [cid]
        for depth in range(1, max_depth + 1):
            frontier = [b for f in frontier for b in broader.get(f, []) if b not in seen]
            for b in frontier:
                seen[b] = depth
        out[cid] = list(seen.items())
    return out


def _id_matrix(rows: Sequence[Sequence[tuple[str, float]]], index: dict[str, int]) -> sp.csr_matrix:
    data, ri, ci = [], [], []
    for r, entries in enumerate(rows):
        for key, weight in entries:
            col = index.setdefault(key, len(index))
            data.append(weight)
            ri.append(r)
            ci.append(col)
    return sp.csr_matrix((data, (ri, ci)), shape=(len(rows), max(len(index), 1)), dtype=np.float64)


def _weighted(matrix: sp.csr_matrix, n_source: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """IDF-weight and L2-normalise a stacked (source; target) matrix, then split it."""
    if matrix.nnz == 0:
        return matrix[:n_source], matrix[n_source:]
    weighted = TfidfTransformer(sublinear_tf=False).fit_transform(matrix)
    weighted = normalize(weighted)
    return weighted[:n_source].tocsr(), weighted[n_source:].tocsr()


def build_features(
    source: Sequence[AlignItem],
    target: Sequence[AlignItem],
    lexicon: Lexicon,
    config: AlignConfig,
    token_lists: Sequence[list[str]] | None = None,
) -> Features:
    """Fit every signal on the source and target items together and split the matrices."""
    items = [*source, *target]
    n = len(source)
    toks = (
        list(token_lists)
        if token_lists is not None
        else [item_tokens(i, lexicon, config) for i in items]
    )

    words = TfidfVectorizer(
        analyzer=lambda t: t, sublinear_tf=config.words.sublinear_tf, norm="l2", dtype=np.float32
    )
    w = words.fit_transform(toks).tocsr()
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(config.chars.ngram_min, config.chars.ngram_max),
        sublinear_tf=config.chars.sublinear_tf,
        norm="l2",
        dtype=np.float32,
    )
    c = chars.fit_transform([_char_text(i.text) for i in items]).tocsr()

    ancestors = _ancestors(lexicon.vocab, config.concepts.max_depth)
    discount = config.concepts.broader_discount
    tech_rows = []
    for i in items:
        weights: dict[str, float] = {}
        for cid in i.technologies:
            for anc, depth in ancestors.get(cid, [(cid, 0)]):
                weights[anc] = max(weights.get(anc, 0.0), discount**depth)
        tech_rows.append(sorted(weights.items()))
    source_m: dict[str, sp.csr_matrix] = {"words": w[:n], "chars": c[:n]}
    target_m: dict[str, sp.csr_matrix] = {"words": w[n:], "chars": c[n:]}
    for name, rows in (
        ("technologies", tech_rows),
        ("programmes", [[(p, 1.0) for p in i.programmes] for i in items]),
        ("places", [[(p, 1.0) for p in i.places] for i in items]),
        ("agencies", [[(a, 1.0) for a in i.agencies] for i in items]),
    ):
        s_m, t_m = _weighted(_id_matrix(rows, {}), n)
        source_m[name], target_m[name] = s_m, t_m

    source_parts = sorted({i.part for i in source})
    target_parts = sorted({i.part for i in target})
    part_index_s = {p: k for k, p in enumerate(source_parts)}
    part_index_t = {p: k for k, p in enumerate(target_parts)}
    src_part = np.array([part_index_s[i.part] for i in source], dtype=np.int64)
    tgt_part = np.array([part_index_t[i.part] for i in target], dtype=np.int64)
    # A part's profile is the sum of its items' character vectors, normalised.
    ps = normalize(
        sp.csr_matrix((np.ones(n), (src_part, np.arange(n))), shape=(len(source_parts), n)) @ c[:n]
    )
    m = len(target)
    pt = normalize(
        sp.csr_matrix((np.ones(m), (tgt_part, np.arange(m))), shape=(len(target_parts), m)) @ c[n:]
    )
    part_similarity = np.asarray((ps @ pt.T).todense(), dtype=np.float32)

    return Features(
        source=source_m,
        target=target_m,
        word_vocabulary=words.get_feature_names_out(),
        char_vocabulary=chars.get_feature_names_out(),
        part_similarity=part_similarity,
        source_part=src_part,
        target_part=tgt_part,
        source_parts=source_parts,
        target_parts=target_parts,
    )
