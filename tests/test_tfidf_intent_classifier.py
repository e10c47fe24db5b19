"""The intent classifier: tf-idf counts beside the dense sentence embedding, saved and loaded."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.adapters.nlu.tfidf_intent_classifier import TfidfIntentClassifier
from bot.nlp.linear_intents import IntentModelError, LinearIntents

INTENTS = ["ask_cost", "ask_pain"]


def message(intent: str | None, counts: list[int], meaning: list[float] | None) -> Message:
    example = Message(data={"text": "words", **({"intent": intent} if intent else {})})
    sparse = scipy.sparse.coo_matrix(np.array([counts], dtype=float))
    example.add_features(Features(sparse, "sentence", "text", "counts"))
    if meaning is not None:
        example.add_features(Features(np.array([meaning]), "sentence", "text", "meaning"))
    return example


def train(tmp_path, examples):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    config = TfidfIntentClassifier.get_default_config()
    TfidfIntentClassifier.create(config, storage, resource, context).train(TrainingData(examples))
    return TfidfIntentClassifier.load(config, storage, resource, context)


def test_the_meaning_alone_can_tell_intents_apart_and_survives_saving(tmp_path):
    # the same words every time: only the dense sentence features differ
    examples = [
        message(intent, [1, 1, 0], [1.0, 0.0] if intent == "ask_cost" else [0.0, 1.0])
        for intent in INTENTS * 10
    ]
    classifier = train(tmp_path, examples)
    cost, pain = message(None, [1, 1, 0], [0.9, 0.1]), message(None, [1, 1, 0], [0.1, 0.9])
    classifier.process([cost, pain])
    assert [cost.get("intent")["name"], pain.get("intent")["name"]] == INTENTS


def test_without_dense_features_the_counts_alone_still_work(tmp_path):
    examples = [
        message(intent, [1, 0, 2] if intent == "ask_cost" else [0, 1, 2], None)
        for intent in INTENTS * 10
    ]
    classifier = train(tmp_path, examples)
    cost = message(None, [1, 0, 1], None)
    classifier.process([cost])
    assert cost.get("intent")["name"] == "ask_cost"


def fitted_pipeline(tmp_path, intents: list[str], with_meaning: bool):
    rng = np.random.default_rng(7)
    examples = [
        message(
            intent,
            list(rng.integers(0, 3, size=6) + (np.arange(6) == index) * 3),
            list(rng.normal(size=4) + index) if with_meaning else None,
        )
        for index, intent in enumerate(intents)
        for _ in range(8)
    ]
    storage = LocalModelStorage(tmp_path)
    resource = Resource("classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    config = TfidfIntentClassifier.get_default_config()
    classifier = TfidfIntentClassifier.create(config, storage, resource, context)
    classifier.train(TrainingData(examples))
    loaded = TfidfIntentClassifier.load(config, storage, resource, context)
    return classifier, loaded, examples


@pytest.mark.parametrize(
    "intents, with_meaning",
    [(INTENTS, True), (INTENTS, False), (["a", "b", "c", "d"], True), (["a", "b", "c"], False)],
)
def test_the_saved_arrays_give_the_trained_pipelines_probabilities(tmp_path, intents, with_meaning):
    classifier, loaded, examples = fitted_pipeline(tmp_path, intents, with_meaning)
    expected = classifier.clf.predict_proba(classifier._create_X(examples))
    assert loaded.model is not None
    assert list(loaded.model.classes) == list(classifier.clf.classes_)
    found = loaded.model.probabilities(*loaded._features(examples))
    assert np.allclose(found, expected, atol=1e-9)


def test_a_damaged_model_file_is_named(tmp_path):
    path = tmp_path / "linear_intents.npz"
    path.write_bytes(b"not numpy")
    with pytest.raises(IntentModelError, match="linear_intents.npz"):
        LinearIntents.load(path)
