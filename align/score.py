"""Score every target item for every source item, keep the top candidates, accept links.

For a pair (s, t) the *similarity* is the weighted mean of the signals' cosine similarities
(each in [0, 1]). Some items are a little similar to everything; the *score* corrects for
such hubs with cross-domain similarity local scaling (CSLS)::

    score(s, t) = clip(2·sim(s, t) − r_S(s) − r_T(t), 0, 1)

where r_S(s) is s's mean similarity to its k most similar targets and r_T(t) is t's mean
similarity to its k most similar sources. Candidates are ranked by the unclipped value.

Source items are scored in blocks of ``chunk_rows`` against all targets with sparse matrix
products, in two passes (the first finds every target's r_T). Each block keeps only its
top-k candidates per row, so memory grows with the links kept, not with the number of pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    column_best: np.ndarray  # best score per target item
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

    def blocks(self) -> Iterator[_Block]:
        step = self.config.performance.chunk_rows
        for start in range(0, self.n_s, step):
            stop = min(start + step, self.n_s)
            sim = np.zeros((stop - start, self.n_t), dtype=np.float32)
            contrib: dict[str, np.ndarray] = {}
            for name, w in self.weights.items():
                if name == "parts":
                    rows = self.part_sim[self.features.source_part[start:stop]]
                    part = rows[:, self.features.target_part] * np.float32(w)
                else:
                    block: sp.csr_matrix = self.features.source[name][start:stop]
                    part = (block @ self.targets_t[name]).toarray().astype(np.float32)
                    np.clip(part, 0.0, 1.0, out=part)
                    part *= np.float32(w)
                sim += part
                contrib[name] = part
            yield _Block(start, stop, sim, contrib)


def _top_mean(values: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Mean of the k largest values along ``axis``."""
    k = min(k, values.shape[axis])
    n = values.shape[axis]
    top = np.partition(values, n - k, axis=axis)
    top = top[n - k :] if axis == 0 else top[:, n - k :]
    result: np.ndarray = top.mean(axis=axis)
    return result


def score_all(features: Features, config: AlignConfig) -> Scored:
    """Rank the targets of every source item (see the module docstring)."""
    scorer = _Scorer(features, config)
    acc = config.acceptance
    hub_k = config.hubness.neighbours
    n_s, n_t = scorer.n_s, scorer.n_t
    k = min(acc.top_k, n_t)

    # Pass 1: every target's k largest similarities to any source, kept across blocks.
    column_top = np.full((min(hub_k, n_s), n_t), -np.inf, dtype=np.float32)
    for block in scorer.blocks():
        both = np.vstack([column_top, block.similarity])
        column_top = np.partition(both, both.shape[0] - column_top.shape[0], axis=0)[
            both.shape[0] - column_top.shape[0] :
        ]
    r_t = column_top.mean(axis=0).astype(np.float32)

    # Pass 2: CSLS scores, top-k per source, best source per target.
    col_best = np.full(n_t, -np.inf, dtype=np.float32)
    col_best_src = np.full(n_t, -1, dtype=np.int64)
    row_best = np.zeros(n_s, dtype=np.float32)
    row_best_t = np.zeros(n_s, dtype=np.int64)
    kept: dict[str, list[np.ndarray]] = {
        key: []
        for key in ("source", "target", "csls", "similarity", "rank", "accepted", "r_s", "r_t")
    }
    contributions: dict[str, list[np.ndarray]] = {name: [] for name in scorer.weights}
    for block in scorer.blocks():
        sim = block.similarity
        rows = block.stop - block.start
        r_s = _top_mean(sim, hub_k, axis=1).astype(np.float32)
        csls = 2 * sim - r_s[:, None] - r_t[None, :]

        block_col = csls.max(axis=0)
        better = block_col > col_best
        col_best[better] = block_col[better]
        col_best_src[better] = block.start + csls.argmax(axis=0)[better]

        if k < n_t:
            top = np.argpartition(-csls, k - 1, axis=1)[:, :k]
        else:
            top = np.tile(np.arange(n_t), (rows, 1))
        top_csls = np.take_along_axis(csls, top, axis=1)
        order = np.argsort(-top_csls, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        top_csls = np.take_along_axis(top_csls, order, axis=1)
        top_sim = np.take_along_axis(sim, top, axis=1)
        ranks = np.tile(np.arange(1, k + 1), (rows, 1))
        scores = np.clip(top_csls, 0.0, 1.0)

        best = scores[:, 0]
        row_best[block.start : block.stop] = best
        row_best_t[block.start : block.stop] = top[:, 0]
        clear = top_sim[:, 0] >= sim.mean(axis=1) + acc.background_z * sim.std(axis=1)
        accepted = scores >= acc.threshold
        accepted[:, 0] |= clear & (best > 0)
        keep = (scores >= acc.floor) | (ranks == 1)

        src = np.repeat(np.arange(block.start, block.stop), k).reshape(rows, k)
        kept["source"].append(src[keep])
        kept["target"].append(top[keep])
        kept["csls"].append(scores[keep])
        kept["similarity"].append(top_sim[keep])
        kept["rank"].append(ranks[keep])
        kept["accepted"].append(accepted[keep])
        kept["r_s"].append(np.broadcast_to(r_s[:, None], (rows, k))[keep])
        kept["r_t"].append(r_t[top][keep])
        for name, values in block.contributions.items():
            contributions[name].append(np.take_along_axis(values, top, axis=1)[keep])

    def cat(key: str, dtype: type) -> np.ndarray:
        parts = kept[key]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    return Scored(
        source=cat("source", np.int64),
        target=cat("target", np.int64),
        score=cat("csls", np.float64),
        similarity=cat("similarity", np.float64),
        rank=cat("rank", np.int64),
        accepted=cat("accepted", np.bool_),
        contributions={
            name: np.concatenate(v).astype(np.float64) for name, v in contributions.items() if v
        },
        source_hubness=cat("r_s", np.float64),
        target_hubness=cat("r_t", np.float64),
        row_best=row_best,
        row_best_target=row_best_t,
        column_best=np.clip(col_best, 0.0, 1.0),
        column_best_source=col_best_src,
    )
