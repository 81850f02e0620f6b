"""The clauses of two documents as vectors: what the clause alignment compares.

Every clause of both documents becomes rows of sparse matrices, fitted over the clauses of
the two documents together, so that document frequency counts clauses (a phrase every
clause uses weighs little):

* ``chars``: TF-IDF over character bigrams, L2-normalised (the lexical similarity);
* ``probe``: the same bigrams without the most frequent ones (a document frequency above
  ``max_df``), for the candidate search only, which keeps it sparse at any size;
* ``words``: the clause's content words (jieba, stop list), each weighted by its inverse
  document frequency *and* by how rare it is in general Chinese (jieba's own dictionary
  counts: 推进, 建设 or 支持 weigh little, 数据经纪人 or 算力 much), for word coverage in
  both directions (how much of a clause the other side's words cover);
* ``bigrams``: which character bigrams a clause has, weighted by inverse document
  frequency, for the same coverage by characters;
* ``concepts``: the technology concepts the clause names, each also counting towards its
  broader concepts at a discount (4K/8K → 超高清视频), L2-normalised;
* ``programmes``: the named programmes and platforms it names (粤政易, “一网统管” …).

Pure: built from records, no files but jieba's dictionary (read once).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from align.config import AlignConfig
from align.features import _ancestors, _char_text, _id_matrix, content_words
from loaders.records import Item, Mention, Span
from loaders.vocabulary import Vocabularies


@dataclass(frozen=True)
class AlignClause:
    """What the clause alignment needs of a clause."""

    id: str
    item: str
    number: int
    text: str  # Simplified, normalised
    span: Span
    words: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()

    @property
    def is_title(self) -> bool:
        """The item's title sentence (its first clause)."""
        return self.number == 1


def align_clauses(items: Iterable[Item]) -> list[AlignClause]:
    """The alignment's view of every clause of ``items``, in document order."""
    return [
        AlignClause(
            id=c.id,
            item=c.item,
            number=c.number,
            text=c.text_simplified,
            span=c.span,
            words=c.words,
            technologies=_refs(c.mentions, "technology"),
            programmes=_refs(c.mentions, "programme"),
        )
        for i in items
        for c in i.clauses
    ]


def _refs(mentions: Iterable[Mention], kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.ref for m in mentions if m.kind == kind))


@cache
def general_frequencies() -> tuple[dict[str, int], int]:
    """Word counts of general Chinese, from jieba's dictionary, and their total."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            word, count, *_ = line.split()
            counts[word] = int(count)
    return counts, sum(counts.values())


def general_rarity(word: str, power: float) -> float:
    """How rare ``word`` is in general Chinese, in (0, 1]: log(total / count) / log(total),
    to ``power``; a word jieba's dictionary does not know counts as rarest (1)."""
    counts, total = general_frequencies()
    return float((math.log(total / (counts.get(word, 0) + 1)) / math.log(total)) ** power)


@dataclass
class ClauseSpace:
    """Both documents' clauses as matrices (source rows, then target rows, split)."""

    source: list[AlignClause]
    target: list[AlignClause]
    chars_s: sp.csr_matrix
    chars_t: sp.csr_matrix
    probe_s: sp.csr_matrix
    probe_t: sp.csr_matrix
    words_s: sp.csr_matrix  # presence × weight, not normalised
    words_t: sp.csr_matrix  # presence (0/1)
    word_totals_t: np.ndarray  # the summed word weight of each target clause
    bigrams_s: sp.csr_matrix  # presence (0/1)
    weighted_bigrams_t: sp.csr_matrix  # presence × idf
    concepts_s: sp.csr_matrix
    concepts_t: sp.csr_matrix
    programmes_s: sp.csr_matrix
    programmes_t: sp.csr_matrix
    word_weight_max: float  # the largest word weight, to scale the rarest shared word
    source_items: list[str]  # item ids in order of first clause
    target_items: list[str]
    item_of_s: np.ndarray  # clause → index into source_items
    item_of_t: np.ndarray
    title_s: np.ndarray  # bool per source clause


def _index(clauses: Sequence[AlignClause]) -> tuple[list[str], np.ndarray]:
    order: dict[str, int] = {}
    of = np.array([order.setdefault(c.item, len(order)) for c in clauses], dtype=np.int64)
    return list(order), of


def build_space(
    source: Sequence[AlignClause],
    target: Sequence[AlignClause],
    vocab: Vocabularies,
    config: AlignConfig,
) -> ClauseSpace:
    """Fit every signal on the clauses of both sides together (see the module docstring)."""
    clauses = [*source, *target]
    n = len(source)
    opts = config.clauses
    char_vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 2), norm="l2", dtype=np.float32
    )
    chars = char_vectorizer.fit_transform([_char_text(c.text) for c in clauses]).tocsr()
    bigrams = (chars > 0).astype(np.float64)
    real = np.array([" " not in b for b in char_vectorizer.get_feature_names_out()])
    bigram_weight = char_vectorizer.idf_ * real  # padding bigrams at word edges count nothing
    df = np.bincount(chars.indices, minlength=chars.shape[1])
    frequent = df > max(opts.probe_min_df, opts.probe_max_df * len(clauses))
    probe = normalize(chars @ sp.diags((~frequent).astype(np.float32)))

    tokens = [content_words(c.words, config) for c in clauses]
    vectorizer = TfidfVectorizer(analyzer=lambda t: t, norm=None, use_idf=True, dtype=np.float64)
    counts = vectorizer.fit_transform(tokens).tocsr()
    weights = vectorizer.idf_ * np.array(
        [general_rarity(w, opts.general_rarity_power) for w in vectorizer.get_feature_names_out()]
    )
    present = (counts > 0).astype(np.float64)
    words_s = (present[:n] @ sp.diags(weights)).tocsr()
    word_totals_t = np.asarray(present[n:] @ weights).ravel()

    ancestors = _ancestors(vocab, config.concepts.max_depth)
    discount = config.concepts.broader_discount
    rows = []
    for c in clauses:
        weight: dict[str, float] = {}
        for concept in c.technologies:
            for a, depth in ancestors.get(concept, [(concept, 0)]):
                weight[a] = max(weight.get(a, 0.0), discount**depth)
        rows.append(list(weight.items()))
    concepts = normalize(_id_matrix(rows, {}))
    programmes = normalize(_id_matrix([[(p, 1.0) for p in c.programmes] for c in clauses], {}))

    source_items, item_of_s = _index(source)
    target_items, item_of_t = _index(target)
    return ClauseSpace(
        source=list(source),
        target=list(target),
        chars_s=chars[:n],
        chars_t=chars[n:],
        probe_s=probe[:n].tocsr(),
        probe_t=probe[n:].tocsr(),
        words_s=words_s,
        words_t=present[n:].tocsr(),
        word_totals_t=word_totals_t,
        bigrams_s=bigrams[:n].tocsr(),
        weighted_bigrams_t=(bigrams[n:] @ sp.diags(bigram_weight)).tocsr(),
        concepts_s=concepts[:n].tocsr(),
        concepts_t=concepts[n:].tocsr(),
        programmes_s=programmes[:n].tocsr(),
        programmes_t=programmes[n:].tocsr(),
        word_weight_max=float(weights.max()) if len(weights) else 1.0,
        source_items=source_items,
        target_items=target_items,
        item_of_s=item_of_s,
        item_of_t=item_of_t,
        title_s=np.array([c.is_title for c in source], dtype=bool),
    )
