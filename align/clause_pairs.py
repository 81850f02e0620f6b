"""Candidate pairs of (source clause, target item), and the signals of each pair.

No loop over all pairs: the candidates come from sparse top-k products
(:func:`sparse_dot_topn.sp_matmul_topn`, multi-threaded) — each source clause's most similar
target clauses, each target clause's most similar source clauses, and each source item's
most similar target items (the *item prior*, corrected for hubs with CSLS) — and the
signals are computed for those pairs only. So the work grows with the number of clauses,
not with its square.

The signals of a pair (clause ``c``, target item ``T``), the columns of :data:`SIGNALS`:

=================  ==========================================================================
``chars``          the highest character-bigram cosine between ``c`` and a clause of ``T``
                   (of those compared: every clause of a prior item, else the clauses of
                   ``T`` among ``c``'s nearest; so too for the other "a clause of ``T``"
                   signals)
``chars_rank``     1 / the rank of ``T`` among ``c``'s candidate items by ``chars``
``reverse_rank``   1 / the rank of ``c`` among the source clauses most similar to a clause of
                   ``T`` (0 when it is not among them): the pair is also ``T``'s choice
``words``          the share of ``c``'s word weight (IDF × rarity in general Chinese) that
                   ``T``'s words cover
``contained``      the highest share of a clause of ``T``'s word weight that ``c``'s words
                   cover: a short, specific 2025 sentence contained in the 2021 clause
``contained_chars`` the same by character bigrams (IDF-weighted)
``rare_word``      the weight of the rarest word ``c`` shares with a clause of ``T``, over the
                   largest weight any word has (a shared 粤政易 or 数据经纪人 says much)
``shared_words``   the summed weight of the words ``c`` shares with a clause of ``T``, in
                   units of that largest weight (capped at 3): how much they share at all
``concepts``       the highest cosine of technology concepts (with broader ones) between ``c``
                   and a clause of ``T``
``programmes``     the highest cosine of named programmes and platforms between ``c`` and a
                   clause of ``T``
``item_prior``     1 / the rank of ``T`` among the items most similar to ``c``'s whole item
``title``          1 when ``c`` is its item's title sentence
``title_prior``    ``title`` × ``item_prior``: a title follows its item's successor
``body_rank``      (1 − ``title``) × ``chars_rank`` × ``contained_chars``: a body sentence
                   follows its own words, as far as the target sentence is in it
=================  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sparse_dot_topn import sp_matmul_topn

from align.clause_space import ClauseSpace
from align.config import ClauseOptions

SIGNALS = (
    "chars", "chars_rank", "reverse_rank", "words", "contained", "contained_chars", "rare_word",
    "shared_words",
    "concepts", "programmes", "item_prior", "title", "title_prior", "body_rank",
)  # fmt: skip
CHUNK = 200_000  # pairs per block of row-wise dot products


@dataclass
class Pairs:
    """Candidate pairs and their signals; row ``k`` is (clause ``clause[k]``, item
    ``item[k]``), ``best[k]`` the target clause of that item most like the source clause."""

    clause: np.ndarray  # source clause index
    item: np.ndarray  # target item index
    best: np.ndarray  # target clause index
    signals: np.ndarray  # pairs × len(SIGNALS)

    def column(self, name: str) -> np.ndarray:
        column: np.ndarray = self.signals[:, SIGNALS.index(name)]
        return column


def _indicator(of: np.ndarray, groups: int) -> sp.csr_matrix:
    """groups × members: 1 where member belongs to group."""
    return sp.csr_matrix(
        (np.ones(len(of), dtype=np.float32), (of, np.arange(len(of)))), shape=(groups, len(of))
    )


def _topn(a: sp.csr_matrix, b: sp.csr_matrix, n: int, threads: int) -> sp.csr_matrix:
    """Each row of ``a`` with its ``n`` most similar rows of ``b`` (cosine, > 0)."""
    if a.shape[0] == 0 or b.shape[0] == 0:
        return sp.csr_matrix((a.shape[0], b.shape[0]), dtype=np.float32)
    result: sp.csr_matrix = sp_matmul_topn(
        a.astype(np.float32).tocsr(), b.T.astype(np.float32).tocsr(), top_n=max(1, n),
        threshold=0.0, n_threads=threads,
    )  # fmt: skip
    return result.tocsr()


def row_dots(a: sp.csr_matrix, b: sp.csr_matrix, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """``a[ia[k]] · b[ib[k]]`` for every k, in blocks."""
    return row_products(a, b, ia, ib)[0]


def row_products(
    a: sp.csr_matrix, b: sp.csr_matrix, ia: np.ndarray, ib: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For every k, the sum and the largest of the elementwise products of ``a[ia[k]]`` and
    ``b[ib[k]]``, in blocks."""
    total = np.zeros(len(ia), dtype=np.float64)
    largest = np.zeros(len(ia), dtype=np.float64)
    for lo in range(0, len(ia), CHUNK):
        hi = lo + CHUNK
        product = a[ia[lo:hi]].multiply(b[ib[lo:hi]]).tocsr()
        total[lo:hi] = np.asarray(product.sum(axis=1)).ravel()
        largest[lo:hi] = product.max(axis=1).toarray().ravel()
    return total, largest


def _share(
    weighted: sp.csr_matrix, present: sp.csr_matrix, iw: np.ndarray, ip: np.ndarray
) -> np.ndarray:
    """For each k: the share of row ``iw[k]``'s weight whose features row ``ip[k]`` has."""
    total = np.asarray(weighted.sum(axis=1)).ravel()[iw]
    covered = row_dots(weighted, present, iw, ip)
    share: np.ndarray = np.divide(covered, total, out=np.zeros(len(iw)), where=total > 0)
    return share


def _ranks(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The rank (1 = highest ``value``) of each entry within its ``group``."""
    order = np.lexsort((-value, group))
    ranks = np.empty(len(group), dtype=np.int64)
    g = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    counts = np.diff(np.r_[starts, len(g)])
    ranks[order] = np.arange(len(g)) - np.repeat(starts, counts) + 1
    return ranks


def item_prior(space: ClauseSpace, options: ClauseOptions, threads: int) -> sp.csr_matrix:
    """source items × target items: 1 / rank of each of a source item's most similar
    target items (item vectors are the sums of their clauses' search vectors, scored with
    CSLS against hubs)."""
    items_s = normalize(_indicator(space.item_of_s, len(space.source_items)) @ space.probe_s)
    items_t = normalize(_indicator(space.item_of_t, len(space.target_items)) @ space.probe_t)
    pool = max(options.item_candidates, options.hub_neighbours) * 4
    forward = _topn(items_s, items_t, pool, threads).tocoo()
    backward = _topn(items_t, items_s, options.hub_neighbours, threads).tocoo()

    def hubness(rows: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
        top = np.zeros(size)
        ranks = _ranks(rows, values)
        keep = ranks <= options.hub_neighbours
        np.add.at(top, rows[keep], values[keep])
        return top / options.hub_neighbours

    r_s = hubness(forward.row, forward.data, items_s.shape[0])
    r_t = hubness(backward.row, backward.data, items_t.shape[0])
    csls = 2 * forward.data - r_s[forward.row] - r_t[forward.col]
    ranks = _ranks(forward.row, csls)
    keep = ranks <= options.item_candidates
    return sp.csr_matrix(
        (1.0 / ranks[keep], (forward.row[keep], forward.col[keep])),
        shape=(items_s.shape[0], items_t.shape[0]),
    )


def candidate_pairs(space: ClauseSpace, options: ClauseOptions, threads: int) -> Pairs:
    """Every candidate (source clause, target item) pair with its signals."""
    n_items_t = len(space.target_items)
    near = _topn(space.probe_s, space.probe_t, options.candidates, threads).tocoo()
    prior = item_prior(space, options, threads)
    reverse = _topn(space.probe_t, space.probe_s, options.reverse_candidates, threads).tocoo()

    # target clauses to compare with: the nearest ones, and every clause of a prior item
    members = _indicator(space.item_of_t, n_items_t).tocsr()
    prior_of_clause = prior[space.item_of_s].tocsr()  # source clause × target item
    expanded = (prior_of_clause @ members).tocoo()  # source clause × target clause
    n_t = space.chars_t.shape[0]
    key = np.sort(
        np.r_[near.row, expanded.row].astype(np.int64) * n_t + np.r_[near.col, expanded.col]
    )
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    pc, pt = key // n_t, key % n_t
    cos = row_dots(space.chars_s, space.chars_t, pc, pt)
    concept = row_dots(space.concepts_s, space.concepts_t, pc, pt)
    programme = row_dots(space.programmes_s, space.programmes_t, pc, pt)
    # the words both share, weighed once: their sum, the rarest, and the target's share
    shared, rare_weight = row_products(space.words_s, space.words_t, pc, pt)
    rare = rare_weight / space.word_weight_max
    mass = np.minimum(shared / space.word_weight_max, 3.0)
    target_total = space.word_totals_t[pt]
    contained = np.divide(shared, target_total, out=np.zeros(len(pt)), where=target_total > 0)
    contained_chars = _share(space.weighted_bigrams_t, space.bigrams_s, pt, pc)
    rev = sp.csr_matrix(
        (1.0 / _ranks(reverse.row, reverse.data), (reverse.col, reverse.row)),
        shape=space.chars_s.shape[:1] + space.chars_t.shape[:1],
    )
    rev_rank = np.asarray(rev[pc, pt]).ravel()

    # clause pairs → (clause, item) pairs: the best clause of the item, the highest values
    pi = space.item_of_t[pt]
    order = np.lexsort((-cos, pi, pc))
    columns = (cos, concept, programme, rare, mass, rev_rank, contained, contained_chars)
    pc, pt, pi = pc[order], pt[order], pi[order]
    cos, concept, programme, rare, mass, rev_rank, contained, contained_chars = (
        x[order] for x in columns
    )
    first = np.r_[True, (np.diff(pc) != 0) | (np.diff(pi) != 0)]
    group = np.cumsum(first) - 1
    n_pairs = int(group[-1]) + 1 if len(group) else 0
    clause, item, best = pc[first], pi[first], pt[first]
    chars = cos[first]

    def best_of(values: np.ndarray) -> np.ndarray:
        out = np.zeros(n_pairs)
        np.maximum.at(out, group, values)
        return out

    concepts, programmes, rare_word, shared_words, reverse_rank = map(
        best_of, (concept, programme, rare, mass, rev_rank)
    )
    best_contained, best_contained_chars = map(best_of, (contained, contained_chars))

    words_t = (members @ space.words_t).tocsr()
    words_t.data[:] = 1.0
    words = _share(space.words_s, words_t, clause, item)

    chars_rank = 1.0 / _ranks(clause, chars + 1e-9 * concepts)
    prior_rank = np.asarray(prior_of_clause[clause, item]).ravel()
    title = space.title_s[clause].astype(np.float64)
    signals = np.column_stack(
        [chars, chars_rank, reverse_rank, words, best_contained, best_contained_chars, rare_word,
         shared_words, concepts, programmes, prior_rank, title, title * prior_rank,
         (1 - title) * chars_rank * best_contained_chars]
    )  # fmt: skip
    return Pairs(clause=clause, item=item, best=best, signals=signals)
