"""The answer action, tested the rasa-sdk way: inline Tracker, CollectingDispatcher."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion, ActionTellMeMore
from actions.fallback import ActionSuggestTopics
from actions.knowledge import AnswerWriter
from actions.menu import ActionChooseOption
from bot.knowledge import KnowledgeRepository
from bot.knowledge.database import create_knowledge_engine
from bot.records import UnansweredRow
from bot.settings import PROJECT_ROOT
from bot.tools.knowledge.files import read_knowledge_base
from bot.tools.knowledge.loader import load_into_database
from bot.topics import topic_for_intent
from tests.conftest import stored_rows

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
TOPIC_INTENTS = [i for i in DOMAIN["intents"] if topic_for_intent(i)]
MULTI_INTENTS = [i for i in DOMAIN["intents"] if "+" in i]


def tracker_for(
    intent: str, text: str = "a question", channel: str | None = None, **slots: str | None
) -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots={"concern": None, "body_area": None, **slots},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.98},
            "entities": [],
        },
        events=[{"event": "user", "text": text, "input_channel": channel}] if channel else [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def render(message: dict, channel: str | None = None) -> str:
    """The text Rasa makes of a message: the response's variation for the output channel."""
    variations = DOMAIN["responses"][message["response"]]
    template = next(
        (v for v in variations if v.get("channel") == channel),
        next(v for v in variations if "channel" not in v),
    )["text"]
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
    assert message["sources"] == "; ".join(source.short_name for source in stored.sources)
    assert events[:2] == [SlotSet("last_topic", topic), SlotSet("concern", None)]


def answer_message(intent: str, repository, channel: str | None = None) -> dict:
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion(repository).run(dispatcher, tracker_for(intent, channel=channel), DOMAIN)
    [message] = dispatcher.messages
    return message


def test_an_answer_is_one_message_one_bubble_that_names_every_source(real_repository):
    message = answer_message("ask_cost", real_repository, channel="rest")
    text = render(message)
    # Rasa's REST and socket.io channels make a bubble of every paragraph
    assert "\n\n" not in text
    assert text.startswith(real_repository.answer_for("cost").short_answer)
    for source in real_repository.answer_for("cost").sources:
        assert source.short_name in text
        assert "http" not in source.short_name


def test_rest_and_socketio_get_the_structured_payload_and_the_shell_does_not(real_repository):
    stored = real_repository.answer_for("cost")
    for channel in ("rest", "socketio"):
        payload = answer_message("ask_cost", real_repository, channel)["custom"]["data"]
        assert payload["type"] == "answer"
        assert payload["topic"] == "cost"
        assert payload["answer"] == stored.short_answer
        assert payload["sources"] == [
            {"name": s.short_name, "url": s.link, "kind": s.kind} for s in stored.sources
        ]
    assert not answer_message("ask_cost", real_repository, "cmdline").get("custom")


def test_only_answers_about_risks_keep_the_reminder(real_repository):
    reminder = DOMAIN["responses"]["utter_general_information_reminder"][0]["text"]
    assert reminder not in render(answer_message("ask_cost", real_repository))
    assert reminder in render(answer_message("ask_side_effects", real_repository))
    assert reminder in render(answer_message("ask_side_effects", real_repository), "socketio")
    assert "not a doctor" in DOMAIN["responses"]["utter_session_notice"][0]["text"]


def test_telegram_gets_source_links_in_html_and_whatsapp_one_link_per_source(real_repository):
    stored = real_repository.answer_for("evidence")
    telegram_message = answer_message("ask_evidence", real_repository, "telegram")
    telegram = render(telegram_message, "telegram")
    whatsapp = render(answer_message("ask_evidence", real_repository, "whatsapp"), "twilio")
    for source in stored.sources:
        if source.link:
            assert f'<a href="{source.link}">{source.short_name}</a>' in telegram
            assert whatsapp.count(source.link) == 1
        assert source.short_name in whatsapp
    assert "<a " not in whatsapp
    assert not telegram_message.get("custom")


def test_telegram_gets_the_answer_escaped_for_html(real_repository):
    stored = dataclasses.replace(real_repository.answer_for("cost"), short_answer="a < b & c")
    dispatcher = CollectingDispatcher()
    writer = AnswerWriter.for_turn(dispatcher, tracker_for("ask_cost", channel="telegram"), DOMAIN)
    writer.answer(stored.short_answer, stored)
    assert render(dispatcher.messages[0], "telegram").startswith("a &lt; b &amp; c\n")


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


@pytest.mark.parametrize(
    ("intent", "slots", "answer_id"),
    [
        ("ask_what_is", {"concern": "under eye"}, "uses-under-eye"),
        ("ask_evidence", {"concern": "hair loss"}, "uses-hair"),
        ("ask_evidence", {"concern": "cellulite"}, "evidence-general"),
        ("ask_what_is", {}, "what-is-general"),
    ],
)
def test_a_general_question_about_one_use_gets_that_uses_answer(
    real_repository, intent, slots, answer_id
):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion(real_repository).run(
        dispatcher, tracker_for(intent, **slots), DOMAIN
    )
    answer = next(a for a in real_repository.all_answers() if a.answer_id == answer_id)
    assert dispatcher.messages[0]["answer"] == answer.short_answer
    assert events[0] == SlotSet("last_topic", answer.topic)


def test_the_rendered_answer_is_answer_then_sources_then_reminder(real_repository):
    answer, sources, reminder = render(answer_message("ask_safety", real_repository)).split("\n")
    assert answer == real_repository.answer_for("safety").short_answer
    assert sources.startswith("Sources: ")
    assert "general information" in reminder
    cost = render(answer_message("ask_cost", real_repository))
    assert "USD 250 to 600" in cost and cost.endswith(
        "Sources: Raskel Medical; Sivagnanam 2010, J Pharmacol Pharmacother"
    )


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


@pytest.mark.parametrize("intent", MULTI_INTENTS)
def test_two_questions_in_one_message_get_both_answers_in_order(intent, real_repository):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion(real_repository).run(dispatcher, tracker_for(intent), DOMAIN)
    first, second = (topic[len("ask_") :] for topic in intent.split("+"))
    assert [m["answer"] for m in dispatcher.messages] == [
        real_repository.answer_for(first).short_answer,
        real_repository.answer_for(second).short_answer,
    ]
    assert SlotSet("last_topic", second) in events


def test_tell_me_more_gives_the_details_of_the_last_topic(real_repository):
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("tell_me_more", "is that per session?", last_topic="cost")
    ActionTellMeMore(real_repository).run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_kb_answer"
    assert message["answer"] == real_repository.answer_for("cost").details
    assert "per session" not in real_repository.answer_for("cost").short_answer
    assert "That price is for one session" in message["answer"]


def test_tell_me_more_uses_the_general_details_when_the_variant_has_none(real_repository):
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("tell_me_more", last_topic="sessions", concern="cellulite")
    ActionTellMeMore(real_repository).run(dispatcher, tracker, DOMAIN)
    assert real_repository.answer_for("sessions", "cellulite").details is None
    assert dispatcher.messages[0]["answer"] == real_repository.answer_for("sessions").details


def test_tell_me_more_without_a_topic_asks_which_one(real_repository):
    dispatcher = CollectingDispatcher()
    ActionTellMeMore(real_repository).run(dispatcher, tracker_for("tell_me_more"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_which_topic"]


def test_tell_me_more_with_no_details_says_so(memory_engine, small_kb_dir):
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine)
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("tell_me_more", last_topic="cost")
    ActionTellMeMore(KnowledgeRepository(memory_engine)).run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_more_details"]


def unanswered(url: str) -> list[tuple[str, str, list[str]]]:
    rows = stored_rows(UnansweredRow, url)
    return [(r.sender_id, r.text, json.loads(r.suggested_topics)) for r in rows]


def test_an_unsure_question_gets_the_closest_topics_as_buttons(real_repository, records_db):
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("nlu_fallback", "can i put makeup on after")
    ActionSuggestTopics(real_repository).run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_suggest_topics"
    assert 1 <= len(message["buttons"]) <= 3
    assert message["buttons"][0] == {
        "title": "What should I do after?",
        "payload": "/ask_aftercare",
    }
    [(sender, text, topics)] = unanswered(records_db)
    assert (sender, text) == ("test-user", "can i put makeup on after")
    assert topics[0] == "aftercare"


def test_nothing_close_asks_to_rephrase_and_is_stored(real_repository, records_db):
    dispatcher = CollectingDispatcher()
    ActionSuggestTopics(real_repository).run(
        dispatcher, tracker_for("nlu_fallback", "zxqv blorp"), DOMAIN
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_please_rephrase"]
    assert unanswered(records_db) == [("test-user", "zxqv blorp", [])]


def test_unanswered_questions_are_stored_redacted(real_repository, records_db, monkeypatch):
    monkeypatch.setattr("bot.records.redact", lambda text: text.replace("555 0199", "<PHONE>"))
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("nlu_fallback", "call me on 555 0199 about zxqv")
    ActionSuggestTopics(real_repository).run(dispatcher, tracker, DOMAIN)
    [(_, text, _)] = unanswered(records_db)
    assert text == "call me on <PHONE> about zxqv"


def test_an_unwritable_records_database_still_gets_a_reply(real_repository, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nowhere' / 'records.db'}")
    dispatcher = CollectingDispatcher()
    ActionSuggestTopics(real_repository).run(
        dispatcher, tracker_for("nlu_fallback", "zxqv blorp"), DOMAIN
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_please_rephrase"]


def test_the_search_reads_each_topics_example_questions_from_the_database(
    memory_engine, small_kb_dir
):
    examples = {"sessions": ["can I go to zumba between visits"]}
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine, examples)
    search = ActionSuggestTopics(KnowledgeRepository(memory_engine)).search()
    assert [match.topic for match in search.closest("zumba", min_score=0)] == ["sessions"]

    load_into_database(read_knowledge_base(small_kb_dir), memory_engine)  # no examples
    search = ActionSuggestTopics(KnowledgeRepository(memory_engine)).search()
    assert search.closest("zumba", min_score=0) == []


def test_suggestions_survive_an_unreachable_database(tmp_path, records_db):
    engine = create_knowledge_engine(f"sqlite:///{tmp_path / 'nowhere' / 'kb.db'}")
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("nlu_fallback", "price?")
    ActionSuggestTopics(KnowledgeRepository(engine)).run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_please_rephrase"]


def tracker_ranked(ranking: list[tuple[str, float]], channel: str = "rest") -> Tracker:
    tracker = tracker_for(ranking[0][0])
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    tracker.events = [{"event": "user", "input_channel": channel, "parse_data": {}}]
    return tracker


def answer_buttons(tracker: Tracker, repository) -> list[dict]:
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion(repository).run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages[-1]["buttons"]


def test_a_middling_answer_offers_the_runners_up_as_buttons(real_repository):
    ranking = [("ask_cost", 0.6), ("ask_cost+ask_sessions", 0.2), ("ask_pain", 0.1)]
    buttons = answer_buttons(tracker_ranked(ranking), real_repository)
    titles = real_repository.topic_titles()
    assert buttons == [
        {"title": titles["sessions"], "payload": "/ask_sessions"},
        {"title": titles["pain"], "payload": "/ask_pain"},
    ]


def test_a_confident_answer_or_the_terminal_gets_no_related_buttons(real_repository):
    confident = [("ask_cost", 0.95), ("ask_pain", 0.03)]
    assert answer_buttons(tracker_ranked(confident), real_repository) == []
    middling = [("ask_cost", 0.6), ("ask_pain", 0.3)]
    assert answer_buttons(tracker_ranked(middling, channel="cmdline"), real_repository) == []


def tracker_after(bot_event: dict, text: str) -> Tracker:
    tracker = tracker_for("choose_option", text=text, channel="cmdline")
    tracker.events.insert(0, bot_event)
    return tracker


def test_a_number_picks_the_option_of_the_last_responses_buttons(real_repository):
    greeted = {"event": "bot", "text": "Hello!", "metadata": {"utter_action": "utter_greet"}}
    dispatcher = CollectingDispatcher()
    events = ActionChooseOption(real_repository).run(
        dispatcher, tracker_after(greeted, "3"), DOMAIN
    )
    [message] = dispatcher.messages
    assert message["answer"] == real_repository.answer_for("cost").short_answer
    assert SlotSet("last_topic", "cost") in events
    assert ActionChooseOption(real_repository).run(
        CollectingDispatcher(), tracker_after(greeted, "6"), DOMAIN
    ) == [FollowupAction("action_handoff")]


def test_a_number_picks_from_the_menu_an_action_stored(real_repository):
    suggested = {
        "event": "bot",
        "metadata": {
            "utter_action": "utter_suggest_topics",
            "menu": [
                {"title": "Does it hurt?", "payload": "/ask_pain"},
                {"title": "What are the side effects?", "payload": "/ask_side_effects"},
            ],
        },
    }
    dispatcher = CollectingDispatcher()
    ActionChooseOption(real_repository).run(dispatcher, tracker_after(suggested, "2."), DOMAIN)
    assert (
        dispatcher.messages[0]["answer"] == real_repository.answer_for("side_effects").short_answer
    )


def test_a_number_with_no_such_option_asks_for_the_question(real_repository):
    answered = {"event": "bot", "metadata": {"utter_action": "utter_kb_answer"}}
    for tracker in (tracker_after(answered, "2"), tracker_for("choose_option", text="9")):
        dispatcher = CollectingDispatcher()
        assert ActionChooseOption(real_repository).run(dispatcher, tracker, DOMAIN) == []
        assert [m["response"] for m in dispatcher.messages] == ["utter_no_such_option"]
