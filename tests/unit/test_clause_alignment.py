"""The clause alignment: candidate search, the fitted model, decisions and what follows."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from align.clause_level import Candidates, clause_candidates
from align.clause_model import THRESHOLDS, fit, read_model
from align.clause_pairs import SIGNALS
from align.clause_space import align_clauses, general_rarity
from align.records import Alignment
from align.succession import relations
from align.tuning import _predicted, halves, judge, read_clause_gold
from core.errors import AlignmentError
from core.settings import Settings
from policykg.pipeline import Inputs


@pytest.fixture(scope="module")
def candidates(inputs: Inputs) -> Candidates:
    source, target = (inputs.corpus.document(k) for k in ("gd2021", "gd2025"))
    return clause_candidates(
        align_clauses(source.items), align_clauses(target.items), inputs.lexicon.vocab,
        inputs.config,
    )  # fmt: skip


def test_generic_words_weigh_less_than_specific_ones() -> None:
    assert general_rarity("建设", 1.0) < general_rarity("人工智能", 1.0) < 1.0
    assert general_rarity("数据经纪人", 1.0) == 1.0  # unknown to general Chinese: rarest


def test_the_candidate_search_finds_nearly_every_judged_continuation(
    candidates: Candidates, repo_settings: Settings
) -> None:
    gold = read_clause_gold(repo_settings.gold_dir / "gd2021-gd2025-clauses.toml")
    judged = judge(candidates, gold, keep=3)
    gold_links = sum(len(c.tasks) for c in gold.clause)
    assert judged.labels.sum() >= 0.95 * gold_links
    # and stays small: a few dozen candidate items per clause at most, not all 50
    per_clause = np.bincount(candidates.pairs.clause)
    assert per_clause.max() <= 30
    assert candidates.pairs.signals.shape == (len(candidates.pairs.clause), len(SIGNALS))


def test_each_candidate_names_the_most_similar_sentence_of_its_item(
    candidates: Candidates,
) -> None:
    space, pairs = candidates.space, candidates.pairs
    prior = pairs.column("item_prior") > 0
    checked = 0
    for k in range(0, len(pairs.clause), 13):
        best = pairs.best[k]
        assert space.item_of_t[best] == pairs.item[k]
        same_item = np.flatnonzero(space.item_of_t == pairs.item[k])
        cos = (space.chars_s[pairs.clause[k]] @ space.chars_t[same_item].T).toarray().ravel()
        chars = pairs.column("chars")[k]
        assert chars == pytest.approx(float(cos[same_item == best][0]), abs=1e-6)
        assert chars <= cos.max() + 1e-6
        if prior[k]:  # every clause of a prior item is compared
            assert chars == pytest.approx(cos.max(), abs=1e-6)
            checked += 1
    assert checked > 20


def test_relations_follow_the_shape_of_the_accepted_links() -> None:
    clauses_of = np.array([4, 4, 2, 3])
    carried = {
        (0, 10): {0, 1},  # source 0 goes to 10 and 11: split
        (0, 11): {2},
        (1, 12): {0},  # sources 1 and 2 both go to 12, and nowhere else: merged
        (2, 12): {0},
        (3, 13): {0, 1},  # one to one, 2 of 3 clauses: continued
    }
    assert relations(carried, clauses_of) == {
        (0, 10): "split", (0, 11): "split", (1, 12): "merged", (2, 12): "merged",
        (3, 13): "continued",
    }  # fmt: skip
    assert relations({(3, 13): {0}}, clauses_of) == {(3, 13): "partial"}  # 1 of 3 only


def test_fitting_learns_weights_and_a_threshold_from_judgements() -> None:
    rng = np.random.default_rng(0)
    n = 600
    signal = rng.random(n)
    labels = (signal + rng.normal(0, 0.1, n) > 0.8).astype(np.int64)
    signals = np.zeros((n, len(SIGNALS)))
    signals[:, SIGNALS.index("chars")] = signal
    clause = np.arange(n)
    model = fit(signals, labels, clause, clause % 20, fitted_on="synthetic")
    assert model.weights[SIGNALS.index("chars")] > 1.0
    assert model.threshold in THRESHOLDS
    p = model.probabilities(signals)
    assert p[signal > 0.95].mean() > 0.5 > p[signal < 0.5].mean()
    with pytest.raises(AlignmentError, match="both"):
        fit(signals, np.zeros(n, dtype=np.int64), clause, clause, fitted_on="nothing")


def test_a_model_for_other_signals_is_refused() -> None:
    model = read_model()
    other = model.model_copy(update={"signals": (*model.signals, "extra")})
    with pytest.raises(AlignmentError, match="fit it again"):
        other.probabilities(np.zeros((1, len(SIGNALS))))


def test_held_out_predictions_never_see_the_held_out_judgements(
    candidates: Candidates, repo_settings: Settings
) -> None:
    gold = read_clause_gold(repo_settings.gold_dir / "gd2021-gd2025-clauses.toml")
    judged = judge(candidates, gold, keep=3)
    space = candidates.space
    _, held = halves({c.item for c in space.source})
    held_index = [space.source_items.index(i) for i in held]
    out = np.isin(judged.source_item, held_index)
    before, _ = _predicted(judged, [held], judged.source_item, space.source_items, "source")
    flipped = replace(judged, labels=np.where(out, 1 - judged.labels, judged.labels))
    after, _ = _predicted(flipped, [held], judged.source_item, space.source_items, "source")
    assert np.array_equal(before[out], after[out])
    # while the tune half's judgements are what the held-out predictions are learned from
    tune_flipped = replace(judged, labels=np.where(out, judged.labels, 1 - judged.labels))
    learned, _ = _predicted(tune_flipped, [held], judged.source_item, space.source_items, "s")
    assert not np.allclose(before[out], learned[out])


def test_a_clause_link_is_accepted_only_at_the_models_threshold(
    alignments: list[Alignment],
) -> None:
    (alignment,) = alignments
    threshold = read_model().threshold
    for link in alignment.clause_links:
        title = link.source.id.endswith("-c01")
        assert link.accepted == (link.score >= threshold and not title)
