"""End to end: the real action server and Rasa server, talked to over REST on loopback."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.servers import running_assistant

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    with running_assistant(tmp_path_factory.mktemp("e2e")) as running:
        yield running


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def test_cost_question_is_answered_with_price_and_source(assistant):
    reply = texts(assistant.ask("e2e-cost", "how much does it cost?"))
    assert "USD 250 to 600" in reply
    assert "insurance" in reply
    assert "Sources: " in reply and "Raskel Medical" in reply
    assert "general information" in reply


def test_greeting_says_it_is_an_automated_assistant_not_medical_advice(assistant):
    reply = texts(assistant.ask("e2e-greet", "hello"))
    assert "automated assistant" in reply
    assert "not medical advice" in reply


def test_conversations_are_kept_in_the_sql_tracker_store(assistant):
    assistant.ask("e2e-kept", "does it hurt?")
    with sqlite3.connect(assistant.tracker_db) as db:
        rows = db.execute(
            "SELECT type_name FROM events WHERE sender_id = ?", ("e2e-kept",)
        ).fetchall()
    assert ("user",) in rows


@pytest.mark.parametrize(
    "message",
    ["", "   ", "😀😀😀", "<script>alert('hi')</script>", "<b>price</b>?", "blah " * 2000],
    ids=["empty", "spaces", "emoji", "script-tag", "markup", "very-long"],
)
def test_odd_messages_get_a_reply_not_a_crash(assistant, message):
    replies = assistant.ask("e2e-odd", message)
    assert replies, f"no reply to {message[:40]!r}"
    assert all(reply.get("text") for reply in replies)
