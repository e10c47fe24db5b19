"""The red-flag check as the last NLU component: patterns, the risk model, the classifier."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.red_flag_check import RedFlagCheck
from bot.adapters.nlu.sentence_embeddings import SENTENCE_EMBEDDING_KEY
from bot.safety.risk_model import RiskModel, RiskModelError

DIMENSION = 4


def check(risk_model=None, crisis_model=None) -> RedFlagCheck:
    return RedFlagCheck(
        {
            **RedFlagCheck.get_default_config(),
            "risk_model": risk_model,
            "crisis_model": crisis_model,
        }
    )


def model_saying(probability: float, tmp_path, name: str = "risk_model.json") -> str:
    """A stored model that gives every message this probability."""
    path = tmp_path / name
    bias = float(np.log(probability / (1 - probability)))
    RiskModel(np.zeros(DIMENSION, np.float32), bias).save(path)
    return str(path)


def processed(text: str, intent: str = "ask_cost", component=None, embedded=False) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.7})
    message.set(
        "intent_ranking",
        [{"name": intent, "confidence": 0.7}, {"name": "ask_side_effects", "confidence": 0.2}],
    )
    if embedded:
        message.set(SENTENCE_EMBEDDING_KEY, np.ones(DIMENSION, np.float32) / 2)
    return (component or check()).process([message])[0]


def entities(message: Message) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in message.get("entities") or []]


def test_a_certain_red_flag_overrides_the_classifier():
    message = processed("how much is it? also my throat is closing up")
    assert message.get("intent")["name"] == "report_red_flag"
    assert message.get("intent_ranking")[0]["name"] == "report_red_flag"
    assert entities(message) == [("red_flag", "anaphylaxis")]


def test_a_mild_form_only_marks_a_possible_red_flag():
    message = processed("my lips are a little puffy after the meso")
    assert message.get("intent")["name"] == "report_red_flag"
    assert entities(message) == [("possible_red_flag", "anaphylaxis")]


def test_without_a_risk_model_the_classifier_alone_marks_a_possible_red_flag():
    message = processed("i feel really weird since the shots", intent="report_red_flag")
    assert entities(message) == [("possible_red_flag", "general")]


def test_a_calm_message_keeps_the_classifiers_intent():
    message = processed("how much does a session cost?")
    assert message.get("intent")["name"] == "ask_cost"
    assert entities(message) == []


@pytest.mark.parametrize(
    "probability, expected",
    [
        (0.995, [("red_flag", "general")]),
        (0.9, [("possible_red_flag", "general")]),
        (0.6, []),
        (0.1, []),
    ],
)
def test_the_risk_model_alone_escalates_when_nearly_sure_and_asks_when_unsure(
    tmp_path, probability, expected
):
    component = check(model_saying(probability, tmp_path))
    message = processed("something odd no pattern knows", component=component, embedded=True)
    assert entities(message) == expected


def test_a_classifier_guess_the_risk_model_does_not_back_gives_way_to_the_next_intent(tmp_path):
    component = check(model_saying(0.1, tmp_path))
    message = processed("no fever just a bit red", "report_red_flag", component, embedded=True)
    assert message.get("intent")["name"] == "ask_side_effects"
    assert entities(message) == []


def test_certain_patterns_escalate_whatever_the_risk_model_says(tmp_path):
    component = check(model_saying(0.01, tmp_path))
    message = processed("i want to kill myself", component=component, embedded=True)
    assert entities(message) == [("red_flag", "self_harm")]


@pytest.mark.parametrize(
    "probability, expected",
    [(0.95, [("red_flag", "self_harm")]), (0.5, [])],
)
def test_the_crisis_model_alone_gives_the_crisis_reply_above_its_threshold(
    tmp_path, probability, expected
):
    crisis = model_saying(probability, tmp_path, "crisis_model.json")
    component = check(model_saying(0.1, tmp_path), crisis)
    message = processed("no point booking the next one", component=component, embedded=True)
    assert entities(message) == expected


def test_the_crisis_model_adds_self_harm_to_a_pattern_red_flag(tmp_path):
    component = check(crisis_model=model_saying(0.99, tmp_path, "crisis_model.json"))
    message = processed("my throat is closing up", component=component, embedded=True)
    assert entities(message) == [("red_flag", "anaphylaxis"), ("red_flag", "self_harm")]


@pytest.mark.parametrize(
    "text",
    ["my heart skipped a beat when i saw the price", "i had a fever years ago, long gone"],
)
def test_words_that_explain_the_symptom_away_leave_the_models_only_asking(tmp_path, text):
    component = check(
        model_saying(0.999, tmp_path), model_saying(0.999, tmp_path, "crisis_model.json")
    )
    message = processed(text, component=component, embedded=True)
    assert entities(message) == [("possible_red_flag", "general")]


def test_the_risk_model_does_not_escalate_over_a_symptom_the_patterns_found_denied(tmp_path):
    component = check(model_saying(0.999, tmp_path))
    message = processed(
        "nothing is oozing and there's no fever", component=component, embedded=True
    )
    assert entities(message) == [("possible_red_flag", "general")]


def test_a_missing_or_malformed_risk_model_names_the_file(tmp_path):
    with pytest.raises(RiskModelError, match="build_risk_model"):
        check(str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(RiskModelError, match=str(bad)):
        check(str(bad))
