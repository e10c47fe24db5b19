"""The answer action, tested the rasa-sdk way: inline Tracker, CollectingDispatcher."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion
from bot.knowledge import KnowledgeRepository
from bot.knowledge.database import create_knowledge_engine
from bot.settings import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
TOPIC_INTENTS = [intent for intent in DOMAIN["intents"] if intent.startswith("ask_")]


def tracker_for(intent: str, text: str = "a question", **slots: str | None) -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots={"concern": None, "body_area": None, **slots},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.98},
            "entities": [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def render(message: dict) -> str:
    template = DOMAIN["responses"][message["response"]][0]["text"]
    return template.format(**{k: v for k, v in message.items() if isinstance(v, str)})


@pytest.mark.parametrize("intent", TOPIC_INTENTS)
def test_each_topic_intent_is_answered_from_the_database(intent, real_repository):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion(real_repository).run(dispatcher, tracker_for(intent), DOMAIN)

    topic = intent[len("ask_") :]
    stored = real_repository.answer_for(topic)
    [message] = dispatcher.messages
    assert message["response"] == "utter_kb_answer"
    assert message["answer"] == stored.short_answer
    assert message["sources"] == stored.sources_line()
    assert events == [SlotSet("last_topic", topic), SlotSet("concern", None)]


@pytest.mark.parametrize(
    ("intent", "slots", "answer_id", "concern"),
    [
        ("ask_sessions", {"concern": "cellulite"}, "sessions-cellulite", "cellulite"),
        ("ask_sessions", {"body_area": "abdomen"}, "sessions-fat", "fat"),
        (
            "ask_sessions",
            {"concern": "cellulite", "body_area": "thighs"},
            "sessions-cellulite",
            "cellulite",
        ),
        ("ask_sessions", {"concern": "bags under my eyes"}, "sessions-under-eye", "under_eye"),
        ("ask_results_duration", {"concern": "Hair Loss"}, "results-duration-hair", "hair"),
        ("ask_uses", {"concern": "wrinkles"}, "uses-face", "face"),
        ("ask_pain", {"concern": "cellulite"}, "pain-general", "cellulite"),
        ("ask_sessions", {"concern": "elbows"}, "sessions-general", None),
    ],
)
def test_the_concern_picks_the_variant_and_falls_back_to_general(
    real_repository, intent, slots, answer_id, concern
):
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(intent, **slots)
    events = ActionAnswerQuestion(real_repository).run(dispatcher, tracker, DOMAIN)
    expected = real_repository.answer_for(intent[len("ask_") :], concern)
    assert expected.answer_id == answer_id
    assert dispatcher.messages[0]["answer"] == expected.short_answer
    assert SlotSet("concern", concern) in events


def test_the_rendered_answer_is_answer_then_sources_then_reminder(real_repository):
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion(real_repository).run(dispatcher, tracker_for("ask_cost"), DOMAIN)
    answer, sources, reminder = render(dispatcher.messages[0]).split("\n\n")
    assert "USD 250 to 600" in answer
    assert sources.startswith("Sources: ") and "Raskel Medical" in sources
    assert "general information" in reminder and "\n" not in reminder


def test_a_missing_topic_gets_a_safe_reply_and_is_logged(real_repository, caplog):
    dispatcher = CollectingDispatcher()
    with caplog.at_level(logging.ERROR):
        events = ActionAnswerQuestion(real_repository).run(
            dispatcher, tracker_for("ask_teleportation"), DOMAIN
        )
    assert [m["response"] for m in dispatcher.messages] == ["utter_answer_unavailable"]
    assert events == []
    assert "teleportation" in caplog.text


def test_an_unreachable_database_gets_a_safe_reply_and_is_logged(tmp_path: Path, caplog):
    engine = create_knowledge_engine(f"sqlite:///{tmp_path / 'nowhere' / 'kb.db'}")
    dispatcher = CollectingDispatcher()
    with caplog.at_level(logging.ERROR):
        ActionAnswerQuestion(KnowledgeRepository(engine)).run(
            dispatcher, tracker_for("ask_pain"), DOMAIN
        )
    assert [m["response"] for m in dispatcher.messages] == ["utter_answer_unavailable"]
    assert "Knowledge base unavailable" in caplog.text


def test_the_action_reads_database_url_from_the_environment(
    monkeypatch, tmp_path, real_knowledge_base
):
    from bot.knowledge.loader import load_into_database

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    engine = create_knowledge_engine(url)
    load_into_database(real_knowledge_base, engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, tracker_for("ask_recovery"), DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_kb_answer"


def test_every_response_the_action_uses_is_in_the_domain():
    assert {"utter_kb_answer", "utter_answer_unavailable"} <= set(DOMAIN["responses"])
