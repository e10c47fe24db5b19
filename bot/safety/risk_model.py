"""A second opinion on red flags: logistic regressions over the sentence embedding, for
phrasings no pattern foresaw.

The patterns (red_flags.py) decide when they are certain. Otherwise the risk model's
probability that a message describes any red flag decides whether the person is asked one
yes/no question about the danger signs, and the crisis model's probability that it speaks of
self-harm or suicide whether it gets the crisis reply. Both are trained by
`python -m bot.tools.build_risk_model` and stored as plain numbers in JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_RISK_MODEL = Path("build/safety/risk_model.json")
DEFAULT_CRISIS_MODEL = Path("build/safety/crisis_model.json")
# The red-flag group the crisis model learns to tell from everything else.
CRISIS_GROUP = "self_harm"
# Weak penalties: the risk model's chosen by the area under the ROC curve on the dev half of
# the blind sets (0.95 here against 0.91 for scikit-learn's default of 1), the crisis model's
# by out-of-fold recall and false alarms on its own examples.
DEFAULT_C = 30.0
CRISIS_C = 10.0


class RiskModelError(ValueError):
    """The stored model is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class RiskModel:
    weights: np.ndarray
    bias: float

    def probability(self, embedding: np.ndarray) -> float:
        score = float(np.asarray(embedding, dtype=np.float32) @ self.weights) + self.bias
        return 1.0 / (1.0 + math.exp(-score))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {"weights": [round(float(w), 6) for w in self.weights], "bias": self.bias}
        path.write_text(json.dumps(document), encoding="utf-8")

    @classmethod
    def load(cls, path: Path = DEFAULT_RISK_MODEL) -> RiskModel:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            return cls(np.asarray(document["weights"], np.float32), float(document["bias"]))
        except FileNotFoundError as error:
            raise RiskModelError(
                f"{path}: no red-flag risk model; build it with "
                "`python -m bot.tools.build_risk_model` (make build does)"
            ) from error
        except (ValueError, KeyError, TypeError) as error:
            raise RiskModelError(f"{path}: not a red-flag risk model: {error}") from error


def fit(rows: np.ndarray, labels: Sequence[bool], c: float = DEFAULT_C) -> RiskModel:
    """Logistic regression, both classes weighted equally whatever their sizes."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(rows, np.asarray(labels, dtype=int))
    return RiskModel(model.coef_[0].astype(np.float32), float(model.intercept_[0]))
