"""Score every target item for every source item, keep the top candidates, accept links.

For a pair (s, t) the *similarity* is the weighted mean of the signals' cosine similarities
(each in [0, 1]). Some items are a little similar to everything; the *score* corrects for
such hubs with cross-domain similarity local scaling (CSLS)::

    score(s, t) = clip(2·sim(s, t) − r_S(s) − r_T(t), 0, 1)

where r_S(s) is s's mean similarity to its k most similar targets and r_T(t) is t's mean
similarity to its k most similar sources. Candidates are ranked by the unclipped value.

Source items are scored in blocks of ``chunk_rows`` against all targets with sparse matrix
products, in one pass: each block yields its rows' r_S, updates every target's running
top-k (for r_T), and keeps the ``candidates`` most similar targets of each row. When the
pass is done, CSLS re-ranks those candidates. With no more targets than ``candidates`` (as
in the corpus) this is exact; beyond that, the hub correction re-ranks the most similar
targets, and memory grows with the candidates kept, not with the number of pairs.

The rows of each block are shared among ``threads`` (scipy and numpy release the GIL in
the products); a row's arithmetic is the same whichever thread does it, so the result does
not depend on the number of threads.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from align.config import AlignConfig
from align.features import SIGNALS, Features


@dataclass
class Scored:
    """The kept candidates of every source item, and each target's best source."""

    # one entry per kept candidate, grouped by source item, best first
    source: np.ndarray
    target: np.ndarray
    score: np.ndarray
    similarity: np.ndarray
    rank: np.ndarray
    accepted: np.ndarray
    contributions: dict[str, np.ndarray]  # signal → weighted similarity per candidate
    source_hubness: np.ndarray  # r_S per candidate
    target_hubness: np.ndarray  # r_T per candidate
    row_best: np.ndarray  # best score per source item
    row_best_target: np.ndarray
    column_best: np.ndarray  # best score per target item, among the candidates
    column_best_source: np.ndarray


@dataclass
class _Block:
    start: int
    stop: int
    similarity: np.ndarray  # rows × targets
    contributions: dict[str, np.ndarray]


class _Scorer:
    def __init__(self, features: Features, config: AlignConfig):
        self.features = features
        self.config = config
        weights = config.weights.as_dict()
        total = config.weights.total()
        self.weights = {name: w / total for name, w in weights.items() if w > 0}
        self.targets_t = {
            name: features.target[name].T.tocsc() for name in SIGNALS if name in self.weights
        }
        part_sim = features.part_similarity
        row_max = part_sim.max(axis=1, keepdims=True)
        self.part_sim = np.divide(part_sim, row_max, out=np.zeros_like(part_sim), where=row_max > 0)
        self.n_s = features.source["chars"].shape[0]
        self.n_t = features.target["chars"].shape[0]

    def block_rows(self) -> int:
        """Rows per block: the configured number, fewer if the arrays would not fit."""
        perf = self.config.performance
        arrays = len(self.weights) + 2  # each signal's part, the sum, and a working copy
        fit = int(perf.block_megabytes * 2**20 // max(1, self.n_t * 4 * arrays))
        return max(1, min(perf.chunk_rows, fit))

    def threads(self) -> int:
        wanted: int = self.config.performance.threads or os.cpu_count() or 1
        return max(1, min(wanted, int(self.n_s)))

    def _fill(self, start: int, lo: int, hi: int, block: _Block) -> None:
        """Rows ``lo:hi`` of the source (``start`` is the block's first row) into ``block``."""
        rows = slice(lo - start, hi - start)
        for name, w in self.weights.items():
            part = block.contributions[name][rows]
            if name == "parts":
                sims = self.part_sim[self.features.source_part[lo:hi]]
                np.multiply(sims[:, self.features.target_part], np.float32(w), out=part)
            else:
                source: sp.csr_matrix = self.features.source[name][lo:hi]
                part[...] = (source @ self.targets_t[name]).toarray()
                np.clip(part, 0.0, 1.0, out=part)
                part *= np.float32(w)
            block.similarity[rows] += part

    def blocks(self) -> Iterator[_Block]:
        step = self.block_rows()
        threads = self.threads()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for start in range(0, self.n_s, step):
                stop = min(start + step, self.n_s)
                shape = (stop - start, self.n_t)
                block = _Block(
                    start,
                    stop,
                    np.zeros(shape, dtype=np.float32),
                    {name: np.empty(shape, dtype=np.float32) for name in self.weights},
                )
                bounds = np.linspace(start, stop, min(threads, stop - start) + 1).astype(int)
                jobs = [
                    pool.submit(self._fill, start, lo, hi, block)
                    for lo, hi in itertools.pairwise(bounds.tolist())
                    if hi > lo
                ]
                for job in jobs:
                    job.result()
                yield block


def _top_mean(values: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Mean of the k largest values along ``axis``."""
    k = min(k, values.shape[axis])
    n = values.shape[axis]
    top = np.partition(values, n - k, axis=axis)
    top = top[n - k :] if axis == 0 else top[:, n - k :]
    result: np.ndarray = top.mean(axis=axis)
    return result


def _top_columns(values: np.ndarray, m: int) -> np.ndarray:
    """Indexes of each row's m largest values (unordered)."""
    if m >= values.shape[1]:
        return np.tile(np.arange(values.shape[1]), (values.shape[0], 1))
    top: np.ndarray = np.argpartition(-values, m - 1, axis=1)[:, :m]
    return top


def score_all(features: Features, config: AlignConfig) -> Scored:
    """Rank the targets of every source item (see the module docstring)."""
    scorer = _Scorer(features, config)
    acc = config.acceptance
    hub_k = config.hubness.neighbours
    n_s, n_t = scorer.n_s, scorer.n_t
    m = min(max(config.hubness.candidates, acc.top_k), n_t)
    k = min(acc.top_k, m)

    # One pass: r_S per row, every target's running top-k similarities, each row's
    # m most similar targets with their similarities and signal contributions.
    column_top = np.full((min(hub_k, n_s), n_t), -np.inf, dtype=np.float32)
    cand = np.zeros((n_s, m), dtype=np.int64)
    cand_sim = np.zeros((n_s, m), dtype=np.float32)
    cand_contrib = {name: np.zeros((n_s, m), dtype=np.float32) for name in scorer.weights}
    r_s = np.zeros(n_s, dtype=np.float32)
    clear_bar = np.zeros(n_s, dtype=np.float32)  # mean + z·std of each row's similarity
    for block in scorer.blocks():
        sim = block.similarity
        rows = slice(block.start, block.stop)
        r_s[rows] = _top_mean(sim, hub_k, axis=1)
        clear_bar[rows] = sim.mean(axis=1) + acc.background_z * sim.std(axis=1)
        both = np.vstack([column_top, sim])
        keep = column_top.shape[0]
        column_top = np.partition(both, both.shape[0] - keep, axis=0)[both.shape[0] - keep :]
        top = _top_columns(sim, m)
        cand[rows] = top
        cand_sim[rows] = np.take_along_axis(sim, top, axis=1)
        for name, values in block.contributions.items():
            cand_contrib[name][rows] = np.take_along_axis(values, top, axis=1)
    r_t = column_top.mean(axis=0).astype(np.float32)

    # CSLS over the candidates, best first.
    csls = 2 * cand_sim - r_s[:, None] - r_t[cand]
    order = np.argsort(-csls, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(cand, order, axis=1)
    top_csls = np.take_along_axis(csls, order, axis=1)
    top_sim = np.take_along_axis(cand_sim, order, axis=1)
    scores = np.clip(top_csls, 0.0, 1.0)
    ranks = np.tile(np.arange(1, k + 1), (n_s, 1))
    best = scores[:, 0]
    accepted = scores >= acc.threshold
    accepted[:, 0] |= (top_sim[:, 0] >= clear_bar) & (best > 0)
    kept = (scores >= acc.floor) | (ranks == 1)

    # The best source of each target, among the candidates.
    col_best = np.full(n_t, -np.inf, dtype=np.float32)
    col_best_src = np.full(n_t, -1, dtype=np.int64)
    flat_t, flat_v = cand.ravel(), csls.ravel()
    flat_s = np.repeat(np.arange(n_s), cand.shape[1])
    by_value = np.lexsort((flat_s, -flat_v))  # best first, ties to the lower source
    first = np.unique(flat_t[by_value], return_index=True)[1]
    col_best[flat_t[by_value][first]] = flat_v[by_value][first]
    col_best_src[flat_t[by_value][first]] = flat_s[by_value][first]

    src = np.repeat(np.arange(n_s), k).reshape(n_s, k)
    return Scored(
        source=src[kept],
        target=top[kept],
        score=scores[kept].astype(np.float64),
        similarity=top_sim[kept].astype(np.float64),
        rank=ranks[kept],
        accepted=accepted[kept],
        contributions={
            name: np.take_along_axis(values, order, axis=1)[kept].astype(np.float64)
            for name, values in cand_contrib.items()
        },
        source_hubness=np.broadcast_to(r_s[:, None], (n_s, k))[kept].astype(np.float64),
        target_hubness=r_t[top][kept].astype(np.float64),
        row_best=best,
        row_best_target=top[:, 0],
        column_best=np.clip(col_best, 0.0, 1.0),
        column_best_source=col_best_src,
    )
