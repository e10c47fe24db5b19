"""Intent classifier: tf-idf weighted word and character counts beside the dense sentence
embedding, then logistic regression.

The counts catch the exact words ("price", "hurt"); the embedding (bot/adapters/nlu/
sentence_embeddings.py) catches meaning in other words ("performed", "eligible"). Rasa's
LogisticRegressionClassifier on raw counts, and DIET, both scored lower on our data in 5-fold
cross-validation (see README, "How it understands patients"); this trains in seconds.

scikit-learn trains it; what it learned is kept and used as plain arrays
(bot/nlp/linear_intents.py): no scikit-learn objects to unpickle or check at start, and no
scikit-learn overhead on each message.
"""

from typing import Any, Dict, List, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.nlp.linear_intents import LinearIntents

MODEL_FILE = "linear_intents.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            # a weak penalty: every example counts; class_weight keeps small intents heard
            "C": 20.0,
            "max_iter": 2000,
            # how much the sentence embedding counts beside the (unit-length) tf-idf vector
            "dense_weight": 1.0,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        name: Text,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.model: LinearIntents | None = None

    def _pipeline(self, sparse_width: int, dense_width: int) -> Pipeline:
        """tf-idf on the count columns only; the dense columns (if any) pass through, weighted."""
        parts = [("counts", TfidfTransformer(sublinear_tf=True), slice(0, sparse_width))]
        if dense_width:
            parts.append(("meaning", "passthrough", slice(sparse_width, None)))
        features = ColumnTransformer(
            parts, transformer_weights={"counts": 1.0, "meaning": self.config["dense_weight"]}
        )
        return Pipeline(
            [
                ("features", features),
                (
                    "logistic_regression",
                    LogisticRegression(
                        C=self.config["C"],
                        max_iter=self.config["max_iter"],
                        tol=self.config["tol"],
                        class_weight="balanced",
                        random_state=self.config["random_state"],
                    ),
                ),
            ]
        )

    def _features(self, messages: List[Message]) -> Tuple[csr_matrix, np.ndarray | None]:
        """The messages' sentence-level counts and embeddings, each side by side in the order
        their featurizers added them (as Rasa combines them, without its copying of the
        per-word features the classifier never reads)."""
        counts, meaning = [], []
        for message in messages:
            features = [
                f
                for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE
            ]
            counts.append(hstack([f.features for f in features if f.is_sparse()], format="csr"))
            meaning.append([f.features for f in features if f.is_dense()])
        dense = [np.concatenate(parts, axis=-1) for parts in meaning if parts]
        return vstack(counts, format="csr"), np.vstack(dense) if dense else None

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        counts, meaning = self._features(messages)
        return counts if meaning is None else hstack([counts, csr_matrix(meaning)], format="csr")

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get("intent") and e.get(TEXT)]
        counts, meaning = self._features(examples[:1]) if examples else (None, None)
        self.clf = self._pipeline(
            counts.shape[-1] if counts is not None else 0,
            meaning.shape[-1] if meaning is not None else 0,
        )
        X, y = self._create_training_matrix(training_data)
        if X.shape[0]:
            self.clf.fit(X, y)
            self.model = LinearIntents.from_pipeline(self.clf)
            self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """The intents' probabilities (as Rasa's classifier sets them), from the arrays."""
        if self.model is None or not messages:
            return messages
        probabilities = self.model.probabilities(*self._features(messages))
        for message, row in zip(messages, probabilities, strict=True):
            ranking = sorted(
                (
                    {"name": str(name), "confidence": float(p)}
                    for name, p in zip(self.model.classes, row, strict=True)
                ),
                key=lambda intent: -intent["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            if self.config["ranking_length"] > 0:
                ranking = ranking[: self.config["ranking_length"]]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        if self.model is not None:
            with self._model_storage.write_to(self._resource) as model_dir:
                self.model.save(model_dir / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TfidfIntentClassifier":
        component = cls(config, execution_context.node_name, model_storage, resource)
        with model_storage.read_from(resource) as model_dir:
            component.model = LinearIntents.load(model_dir / MODEL_FILE)
        return component
