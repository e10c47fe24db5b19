"""End to end over REST: "Did this help?" and its vote; "delete my data", confirmed or not."""

from __future__ import annotations

import pytest
import yaml

from bot.records import FeedbackRow
from bot.settings import PROJECT_ROOT
from tests.conftest import stored_rows
from tests.e2e.replies import text, texts

pytestmark = pytest.mark.e2e

RESPONSES = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
FEEDBACK = RESPONSES["utter_ask_feedback"][0]["text"]


def response_text(name: str) -> str:
    return " ".join(RESPONSES[name][0]["text"].split())


def votes_of(assistant, sender: str) -> list[FeedbackRow]:
    # the sender id may carry its channel's prefix (rest:<id>)
    rows = stored_rows(FeedbackRow, assistant.database_url)
    return [r for r in rows if r.sender_id in (sender, f"rest:{sender}")]


def test_feedback_is_asked_after_the_second_answer_and_a_yes_is_stored(assistant):
    sender = "e2e-feedback"
    first = assistant.ask(sender, "/ask_cost")
    assert FEEDBACK not in texts(first)
    second = assistant.ask(sender, "/ask_pain")
    assert texts(second)[-1] == FEEDBACK
    assert "pinches" in text(second[:-1])
    assert [b["payload"] for b in second[-1]["buttons"]] == ["/affirm", "/deny"]

    thanks = text(assistant.ask(sender, second[-1]["buttons"][0]["payload"]))
    assert thanks == response_text("utter_feedback_helpful")
    assert [(r.topic, r.helpful) for r in votes_of(assistant, sender)] == [("pain", True)]

    # the third answer is not followed by the question; a later question is simply answered
    third = assistant.ask(sender, "/ask_recovery")
    assert FEEDBACK not in texts(third)


def test_an_ignored_feedback_question_just_answers_the_next_question(assistant):
    sender = "e2e-feedback-ignored"
    assistant.ask(sender, "/ask_cost")
    assert texts(assistant.ask(sender, "/ask_pain"))[-1] == FEEDBACK
    reply = text(assistant.ask(sender, "how many sessions would I need?"))
    assert "session" in reply and FEEDBACK not in reply
    assert not [
        r for r in stored_rows(FeedbackRow, assistant.database_url) if sender in r.sender_id
    ]


def test_please_delete_my_data_asks_first_and_yes_forgets(assistant):
    sender = "e2e-forget-yes"
    assistant.ask(sender, "hello")
    confirm = assistant.ask(sender, "please delete my data")
    assert text(confirm) == response_text("utter_confirm_forget")
    assert [b["payload"] for b in confirm[-1]["buttons"]] == ["/affirm", "/deny"]
    done = text(assistant.ask(sender, confirm[-1]["buttons"][0]["payload"]))
    assert done == response_text("utter_forgot_you")


def test_forget_me_then_no_keeps_everything(assistant):
    sender = "e2e-forget-no"
    confirm = texts(assistant.ask(sender, "forget me"))[-1]
    assert confirm == response_text("utter_confirm_forget")
    kept = text(assistant.ask(sender, "no"))
    assert kept == response_text("utter_kept_data")
