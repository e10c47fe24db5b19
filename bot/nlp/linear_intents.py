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
from functools import cached_property
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

    def probabilities(
        self, counts: scipy.sparse.spmatrix, meaning: np.ndarray | None
    ) -> np.ndarray:
        """One row of intent probabilities per row of counts (and of the embeddings, if
        any): what the pipeline's predict_proba gives for the two side by side."""
        rows = scipy.sparse.csr_matrix(counts, dtype=float, copy=True)
        data = np.log(rows.data) + 1.0 if self.sublinear_tf else rows.data
        data = data * self.idf[rows.indices]
        row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=rows.shape[0]))
        norms[norms == 0.0] = 1.0
        rows.data = data / norms[row_of]
        decision = rows @ self._count_weights + self.intercept
        if meaning is not None and meaning.shape[-1]:
            decision = decision + (meaning * self.dense_weight) @ self._dense_weights
        decision = np.asarray(decision)
        if decision.shape[1] == 1:  # two intents: one logistic
            positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        decision = decision - decision.max(axis=1, keepdims=True)
        exp = np.exp(decision)
        return exp / exp.sum(axis=1, keepdims=True)

    # coef's two parts, transposed, each in one block of memory: a product with a slice of
    # coef copied the whole matrix on every message
    @cached_property
    def _count_weights(self) -> np.ndarray:
        return np.ascontiguousarray(self.coef[:, : len(self.idf)].T)

    @cached_property
    def _dense_weights(self) -> np.ndarray:
        return np.ascontiguousarray(self.coef[:, len(self.idf) :].T)

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
