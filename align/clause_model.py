"""The learned part of the clause alignment: how much each signal counts, and where
"continued" begins.

A logistic model turns a candidate pair's signals (:data:`align.clause_pairs.SIGNALS`) into
the probability that the target item carries the source clause on. Its weights are learned
from judged pairs (:func:`fit`), and so is the decision threshold: a pair is a continuation
when its probability reaches ``threshold``, which is how the method can say "nothing
continues this clause" instead of always accepting the best candidate. The threshold is
chosen by cross-validation inside the training judgements (folds by source item), for the
best mean of the F1 of clause links and the F1 of "this clause is carried on".

The fitted model is a data file (``align/clause-model.toml``), written by
``policykg evaluate --fit`` with what it was fitted on; :func:`read_model` reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sklearn.linear_model import LogisticRegression

from align.clause_pairs import SIGNALS
from core.errors import AlignmentError
from core.files import write_atomically

DEFAULT_MODEL = Path(__file__).resolve().parent / "clause-model.toml"
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.10, 0.71, 0.05))
INNER_FOLDS = 3
REGULARISATION = 1.0  # scikit-learn's C: the inverse strength of the L2 penalty


class ClauseModel(BaseModel):
    """Weights per signal, intercept and decision threshold, with their provenance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    signals: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float = Field(gt=0, lt=1)
    fitted_on: str = Field(description="which judgements the model was fitted on")
    pairs: int = Field(ge=0, description="judged candidate pairs in the fit")
    positives: int = Field(ge=0)
    fitted: dt.date
    digest: str = Field(default="", exclude=True, description="SHA-256 of the model file")

    def probabilities(self, signals: np.ndarray) -> np.ndarray:
        """P(continued) for each row of ``signals`` (columns as :data:`SIGNALS`)."""
        if self.signals != SIGNALS:
            raise AlignmentError(
                f"the clause model was fitted on signals {self.signals}, the method computes "
                f"{SIGNALS}; fit it again (policykg evaluate --fit)"
            )
        z = signals @ np.asarray(self.weights) + self.intercept
        result: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return result


def read_model(path: Path = DEFAULT_MODEL) -> ClauseModel:
    """Read a fitted clause model.

    Raises:
        AlignmentError: the file is missing or malformed.
    """
    try:
        data = path.read_bytes()
        raw = tomllib.loads(data.decode("utf-8"))
        return ClauseModel.model_validate({**raw, "digest": hashlib.sha256(data).hexdigest()})
    except FileNotFoundError as e:
        raise AlignmentError(f"{path}: the fitted clause model is missing") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValidationError) as e:
        raise AlignmentError(f"{path}: not a valid clause model: {e}") from e


def write_model(model: ClauseModel, path: Path = DEFAULT_MODEL) -> None:
    """Write ``model`` as TOML, with a header saying what it is."""
    lines = [
        "# The clause alignment's fitted logistic model (align/clause_model.py).",
        "# Written by `policykg evaluate --fit`; do not edit by hand.",
        f"fitted_on = {_q(model.fitted_on)}",
        f"fitted = {model.fitted.isoformat()}",
        f"pairs = {model.pairs}",
        f"positives = {model.positives}",
        f"threshold = {model.threshold}",
        f"intercept = {model.intercept:.6f}",
        "signals = [" + ", ".join(_q(s) for s in model.signals) + "]",
        "weights = [" + ", ".join(f"{w:.6f}" for w in model.weights) + "]",
    ]
    write_atomically(path, "\n".join(lines) + "\n")


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _logistic(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=REGULARISATION, max_iter=5000).fit(x, y)


def _f1(predicted: set[object], gold: set[object]) -> float:
    hits = len(predicted & gold)
    return 2 * hits / (len(predicted) + len(gold)) if predicted or gold else 1.0


def decision_score(
    probability: np.ndarray,
    labels: np.ndarray,
    clause: np.ndarray,
    threshold: float,
    deciding: np.ndarray,
) -> float:
    """Mean of the F1 of pairs judged continued and of clauses judged carried on, over the
    ``deciding`` pairs (those of substantive clauses)."""
    accept = (probability >= threshold) & deciding
    positive = (labels == 1) & deciding
    pairs = set(np.flatnonzero(accept).tolist())
    gold_pairs = set(np.flatnonzero(positive).tolist())
    carried = set(clause[accept].tolist())
    gold_carried = set(clause[positive].tolist())
    return (_f1(pairs, gold_pairs) + _f1(carried, gold_carried)) / 2  # type: ignore[arg-type]


def fit(
    signals: np.ndarray,
    labels: np.ndarray,
    clause: np.ndarray,
    group: np.ndarray,
    *,
    fitted_on: str,
) -> ClauseModel:
    """Fit weights on judged pairs, and choose the threshold by inner cross-validation.

    Args:
        signals: judged candidate pairs × signals.
        labels: 1 where the judgement says the item carries the clause on.
        clause: each pair's source clause (a clause judged "not continued" has only 0s).
        group: each pair's source item; folds never split an item.
        fitted_on: recorded in the model (``"all judgements"``, ``"tune half"`` …).
    """
    if labels.sum() == 0 or labels.sum() == len(labels):
        raise AlignmentError("the judgements need both continued and not continued pairs")
    items = np.unique(group)
    folds = [set(items[k::INNER_FOLDS].tolist()) for k in range(INNER_FOLDS)]
    out_of_fold = np.zeros(len(labels))
    for fold in folds:
        test = np.isin(group, list(fold))
        if labels[~test].min() == labels[~test].max():
            out_of_fold[test] = labels[~test].mean()
            continue
        out_of_fold[test] = _logistic(signals[~test], labels[~test]).predict_proba(signals[test])[
            :, 1
        ]
    deciding = signals[:, SIGNALS.index("title")] == 0
    threshold = max(
        THRESHOLDS,
        key=lambda t: (decision_score(out_of_fold, labels, clause, t, deciding), -abs(t - 0.5)),
    )
    model = _logistic(signals, labels)
    return ClauseModel(
        signals=SIGNALS,
        weights=tuple(float(w) for w in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        threshold=float(threshold),
        fitted_on=fitted_on,
        pairs=len(labels),
        positives=int(labels.sum()),
        fitted=dt.date.today(),
    )
