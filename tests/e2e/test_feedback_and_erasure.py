"""End to end: "Did this help?" and its vote; "delete my data", confirmed or not, over REST,
WhatsApp and Telegram."""

from __future__ import annotations

import sqlite3
import time

import pytest
import yaml

from bot.records import FeedbackRow, UnansweredRow
from bot.settings import PROJECT_ROOT
from tests.conftest import stored_rows
from tests.e2e.fakes import stored_id
from tests.e2e.replies import text, texts
from tests.e2e.test_chat_apps import STORED_PATIENT, post_telegram, post_whatsapp, telegram_update

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


def stored_event_count(assistant, sender: str) -> int:
    with sqlite3.connect(assistant.tracker_db) as db:
        query = "SELECT COUNT(*) FROM events WHERE sender_id = ?"
        return db.execute(query, (sender,)).fetchone()[0]


def wait_until(condition, timeout: float = 30) -> bool:
    """The conversation is saved (or erased) just after its last reply is sent."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    return condition()


def test_please_delete_my_data_asks_first_and_yes_forgets(assistant):
    sender = "e2e-forget-yes"
    assistant.ask(sender, "/ask_cost")
    assistant.ask(sender, "/ask_pain")
    assistant.ask(sender, "/affirm")  # a vote, so that there is a record to erase too
    assistant.ask(sender, "zxqv blorp wibble?")  # an unanswered question, likewise
    assert votes_of(assistant, sender)
    confirm = assistant.ask(sender, "please delete my data")
    assert text(confirm) == response_text("utter_confirm_forget")
    assert [b["payload"] for b in confirm[-1]["buttons"]] == ["/affirm", "/deny"]
    assert stored_event_count(assistant, f"rest:{sender}") > 0
    done = text(assistant.ask(sender, confirm[-1]["buttons"][0]["payload"]))
    assert done == response_text("utter_forgot_you")
    assert wait_until(lambda: stored_event_count(assistant, f"rest:{sender}") == 0)
    assert votes_of(assistant, sender) == []
    unanswered = stored_rows(UnansweredRow, assistant.database_url)
    assert not [row for row in unanswered if row.sender_id == f"rest:{sender}"]
    # the next message starts afresh: the greeting again
    assert "automated assistant" in text(assistant.ask(sender, "hello"))


def test_a_whatsapp_patient_can_erase_their_conversation(assistant, fakes):
    _, twilio = fakes
    twilio.calls.clear()
    assert post_whatsapp(assistant, "delete my data").status_code == 204
    menu = [fields["Body"] for _, fields in twilio.wait_for_calls(1)][-1]
    assert "1. Yes, delete" in menu
    assert stored_event_count(assistant, STORED_PATIENT) > 0
    twilio.calls.clear()
    assert post_whatsapp(assistant, "1").status_code == 204
    bodies = [fields["Body"] for _, fields in twilio.wait_for_calls(1)]
    assert response_text("utter_forgot_you") in " ".join(" ".join(b.split()) for b in bodies)
    assert wait_until(lambda: stored_event_count(assistant, STORED_PATIENT) == 0)


def test_a_telegram_patient_can_erase_their_conversation(assistant, fakes):
    telegram, _ = fakes
    chat = 737373
    telegram.calls.clear()
    assert post_telegram(assistant, telegram_update("can you forget me", chat, 71)).ok
    assert telegram.wait_for_calls(1)
    assert stored_event_count(assistant, stored_id(f"telegram:{chat}")) > 0
    telegram.calls.clear()
    assert post_telegram(assistant, telegram_update("yes", chat, 72)).ok
    sent = " ".join(fields.get("text", "") for _, fields in telegram.wait_for_calls(1))
    assert response_text("utter_forgot_you") in " ".join(sent.split())
    assert wait_until(lambda: stored_event_count(assistant, stored_id(f"telegram:{chat}")) == 0)


def test_forget_me_then_no_keeps_everything(assistant):
    sender = "e2e-forget-no"
    confirm = texts(assistant.ask(sender, "forget me"))[-1]
    assert confirm == response_text("utter_confirm_forget")
    kept = text(assistant.ask(sender, "no"))
    assert kept == response_text("utter_kept_data")
