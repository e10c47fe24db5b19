"""The intent classifier's trained weights, and its intent probabilities, without
scikit-learn at run time.

scikit-learn trains the classifier (bot/adapters/nlu/tfidf_intent_classifier.py): tf-idf on
the word and character counts, the sentence embedding beside it with a weight, then logistic
regression. What it learns is a handful of arrays. Kept as plain arrays (numpy .npz, no
pickle), the model loads in milliseconds and safely, and a message's probabilities are a few
matrix products: scikit-learn's checks around them cost more than the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse


class IntentModelError(ValueError):
    """A saved intent model that cannot be used (the file is named)."""


@dataclass(frozen=True)
class LinearIntents:
    classes: np.ndarray  # intent names, in the order of coef's rows
    idf: np.ndarray  # one weight per count column
    sublinear_tf: bool
    dense_weight: float
    coef: np.ndarray  # (1 or classes) x (count columns + dense columns)
    intercept: np.ndarray

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearIntents:
        """The weights of the fitted scikit-learn pipeline (features, logistic_regression)."""
        features = pipeline.named_steps["features"]
        tfidf = features.named_transformers_["counts"]
        if tfidf.norm != "l2" or not tfidf.use_idf:
            raise ValueError("expected tf-idf with idf weights and l2 norm")
        regression = pipeline.named_steps["logistic_regression"]
        weights = features.transformer_weights or {}
        return cls(
            classes=np.asarray(regression.classes_, dtype=str),
            idf=np.asarray(tfidf.idf_, dtype=float),
            sublinear_tf=bool(tfidf.sublinear_tf),
            dense_weight=float(weights.get("meaning", 1.0)),
            coef=np.asarray(regression.coef_, dtype=float),
            intercept=np.asarray(regression.intercept_, dtype=float),
        )

    def probabilities(self, features: scipy.sparse.spmatrix) -> np.ndarray:
        """One row of intent probabilities per row of features (counts, then the embedding):
        what the pipeline's predict_proba gives."""
        rows = scipy.sparse.csr_matrix(features, dtype=float)
        width = len(self.idf)
        counts = rows[:, :width].copy()
        if self.sublinear_tf:
            counts.data = np.log(counts.data) + 1.0
        counts = counts.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        counts = scipy.sparse.diags(1.0 / norms) @ counts
        decision = counts @ self.coef[:, :width].T + self.intercept
        if rows.shape[1] > width:
            meaning = rows[:, width:].toarray() * self.dense_weight
            decision = decision + meaning @ self.coef[:, width:].T
        decision = np.asarray(decision)
        if decision.shape[1] == 1:  # two intents: one logistic
            positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        decision = decision - decision.max(axis=1, keepdims=True)
        exp = np.exp(decision)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        with path.open("wb") as file:
            np.savez(
                file,
                classes=self.classes,
                idf=self.idf,
                sublinear_tf=np.array(self.sublinear_tf),
                dense_weight=np.array(self.dense_weight),
                coef=self.coef,
                intercept=self.intercept,
            )

    @classmethod
    def load(cls, path: Path) -> LinearIntents:
        try:
            with np.load(path, allow_pickle=False) as saved:
                model = cls(
                    classes=saved["classes"],
                    idf=saved["idf"],
                    sublinear_tf=bool(saved["sublinear_tf"]),
                    dense_weight=float(saved["dense_weight"]),
                    coef=saved["coef"],
                    intercept=saved["intercept"],
                )
        except (OSError, KeyError, ValueError) as error:
            raise IntentModelError(f"{path}: not a saved intent model ({error})") from error
        if model.coef.shape[0] != (1 if len(model.classes) == 2 else len(model.classes)):
            raise IntentModelError(f"{path}: the weights do not match the intents")
        return model
