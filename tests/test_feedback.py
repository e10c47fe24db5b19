"""'Did this help?': when it is asked (bot/feedback.py), and the vote (actions/feedback.py)."""

from __future__ import annotations

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion
from actions.feedback import ActionFeedback
from actions.privacy import ActionForgetMe
from bot.feedback import AnswerTurn, should_ask_feedback
from bot.records import FeedbackRow, votes_per_topic
from bot.settings import PROJECT_ROOT
from bot.tools.readability import flesch_kincaid_grade
from tests.conftest import stored_rows

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def asked_after(count: int, **turn: object) -> list[int]:
    """The answer numbers, out of `count` answers, that "Did this help?" follows."""
    asked: list[int] = []
    for number in range(1, count + 1):
        last = asked[-1] if asked else None
        if should_ask_feedback(AnswerTurn(number, last, ("cost",), **turn)):  # type: ignore[arg-type]
            asked.append(number)
    return asked


def test_asked_after_the_second_answer_then_every_third():
    assert asked_after(12) == [2, 5, 8, 11]


@pytest.mark.parametrize(
    "turn",
    [{"in_self_check": True}, {"with_options": True}, {"personal": True}],
)
def test_never_in_the_self_check_under_a_choice_of_topics_or_after_a_personal_question(turn):
    assert asked_after(12, **turn) == []


@pytest.mark.parametrize("topic", ["urgent_care", "candidates", "red_flag", "personal_advice"])
def test_never_after_urgent_care_or_when_the_self_check_is_offered(topic):
    assert not should_ask_feedback(AnswerTurn(2, None, (topic,)))
    assert not should_ask_feedback(AnswerTurn(2, None, ("cost", topic)))


def test_a_skipped_answer_moves_the_question_to_the_next_one():
    assert not should_ask_feedback(AnswerTurn(2, None, ("urgent_care",)))
    assert should_ask_feedback(AnswerTurn(3, None, ("cost",)))
    assert not should_ask_feedback(AnswerTurn(7, 5, ("cost",)))
    assert should_ask_feedback(AnswerTurn(8, 5, ("pain",)))


def tracker(
    intent: str,
    events: list[dict] | None = None,
    active_loop: dict | None = None,
    **slots: object,
) -> Tracker:
    return Tracker(
        sender_id="rest:patient-1",
        slots={"concern": None, "body_area": None, **slots},
        latest_message={"text": "a message", "intent": {"name": intent}, "entities": []},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop=active_loop or {},
        latest_action_name="action_listen",
    )


def answer(intent: str, repository, **kwargs: object) -> tuple[list[str], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion(repository).run(dispatcher, tracker(intent, **kwargs), DOMAIN)
    return [m["response"] for m in dispatcher.messages], events


def test_the_second_answer_asks_about_its_topic(real_repository):
    responses, events = answer("ask_cost", real_repository)
    assert responses == ["utter_kb_answer"]
    assert SlotSet("answer_count", 1) in events and SlotSet("feedback_topic", None) in events

    responses, events = answer("ask_pain", real_repository, answer_count=1)
    assert responses == ["utter_kb_answer", "utter_ask_feedback"]
    assert SlotSet("answer_count", 2) in events
    assert SlotSet("feedback_asked_at", 2) in events
    assert SlotSet("feedback_topic", "pain") in events

    responses, _ = answer("ask_cost", real_repository, answer_count=2, feedback_asked_at=2)
    assert responses == ["utter_kb_answer"]


def test_no_question_inside_the_self_check_or_after_urgent_care(real_repository):
    in_form = {"name": "self_check_form"}
    responses, _ = answer("ask_cost", real_repository, answer_count=1, active_loop=in_form)
    assert responses == ["utter_kb_answer"]
    responses, _ = answer("ask_urgent_care", real_repository, answer_count=1)
    assert responses == ["utter_kb_answer"]


def test_the_feedback_buttons_are_yes_and_no_everywhere_and_typed_in_the_shell():
    variations = DOMAIN["responses"]["utter_ask_feedback"]
    assert variations[0]["text"] == "Did this help?"
    assert [b["payload"] for b in variations[0]["buttons"]] == ["/affirm", "/deny"]
    assert [b["title"] for b in variations[0]["buttons"]] == ["👍 Yes", "👎 No"]
    shell = next(v for v in variations if v.get("channel") == "queue")
    assert "buttons" not in shell and "yes or no" in shell["text"]


ASKED = {
    "event": "bot",
    "text": "Did this help?",
    "metadata": {"utter_action": "utter_ask_feedback"},
}


@pytest.mark.parametrize(
    ("intent", "helpful", "thanks"),
    [("affirm", True, "utter_feedback_helpful"), ("deny", False, "utter_feedback_not_helpful")],
)
def test_a_vote_is_stored_with_its_topic_and_thanked(records_db, intent, helpful, thanks):
    dispatcher = CollectingDispatcher()
    events = ActionFeedback().run(
        dispatcher, tracker(intent, [ASKED], feedback_topic="cost"), DOMAIN
    )
    assert [m["response"] for m in dispatcher.messages] == [thanks]
    assert events == [SlotSet("feedback_topic", None)]
    [row] = stored_rows(FeedbackRow, records_db)
    assert (row.sender_id, row.topic, row.helpful) == ("rest:patient-1", "cost", helpful)
    [votes] = votes_per_topic(url=records_db)
    assert (votes.helpful, votes.not_helpful) == (int(helpful), int(not helpful))


def test_a_yes_when_the_question_was_not_just_asked_is_a_stray_one(records_db):
    other = {"event": "bot", "metadata": {"utter_action": "utter_bot_identity"}}
    for events, slots in (([other], {"feedback_topic": "cost"}), ([ASKED], {})):
        dispatcher = CollectingDispatcher()
        ActionFeedback().run(dispatcher, tracker("affirm", events, **slots), DOMAIN)
        assert [m["response"] for m in dispatcher.messages] == ["utter_what_else"]
    assert stored_rows(FeedbackRow, records_db) == []


def test_a_vote_the_database_cannot_store_is_still_thanked(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nowhere' / 'records.db'}")
    dispatcher = CollectingDispatcher()
    ActionFeedback().run(dispatcher, tracker("affirm", [ASKED], feedback_topic="cost"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_feedback_helpful"]


def test_forget_me_only_says_so_and_deletes_nothing_itself(records_db):
    dispatcher = CollectingDispatcher()
    assert ActionForgetMe().run(dispatcher, tracker("affirm"), DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_forgot_you"]


def test_the_erasure_confirmation_has_yes_and_no_and_the_privacy_answer_names_it():
    confirm = DOMAIN["responses"]["utter_confirm_forget"]
    assert [b["payload"] for b in confirm[0]["buttons"]] == ["/affirm", "/deny"]
    assert "cannot be undone" in confirm[0]["text"]
    assert "delete my data" in DOMAIN["responses"]["utter_privacy"][0]["text"]
    greeting = DOMAIN["responses"]["utter_greet"]
    assert all("personal details" in variation["text"] for variation in greeting)


NEW_RESPONSES = [
    "utter_greet",
    "utter_ask_feedback",
    "utter_feedback_helpful",
    "utter_feedback_not_helpful",
    "utter_confirm_forget",
    "utter_forgot_you",
    "utter_kept_data",
    "utter_privacy",
]


@pytest.mark.parametrize("name", NEW_RESPONSES)
def test_the_new_replies_read_at_grade_8_or_lower(name):
    for variation in DOMAIN["responses"][name]:
        assert flesch_kincaid_grade(variation["text"]) <= 8
