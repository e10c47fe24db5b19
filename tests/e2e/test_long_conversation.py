"""End to end: a long conversation is read in a window (bot/conversation_window.py), and
what depends on earlier turns still works after the window has moved on."""

from __future__ import annotations

import sqlite3

import pytest

from bot.settings import KNOWLEDGE_DIR
from bot.tools.knowledge.files import read_knowledge_base
from tests.e2e.replies import text

pytestmark = pytest.mark.e2e

KB = read_knowledge_base(KNOWLEDGE_DIR)

# Questions answered without asking anything back, to fill the window several times over.
FILLERS = [
    "what is mesotherapy?",
    "does it hurt?",
    "how much is it?",
    "is there downtime?",
    "how long do results last?",
    "what goes in the injections?",
    "who should avoid it?",
]


def answer(answer_id: str):
    return next(a for a in KB.answers if a.id == answer_id)


def checkpoints(assistant, sender: str) -> int:
    with sqlite3.connect(assistant.tracker_db) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM conversation_checkpoints WHERE sender_id LIKE ?",
            (f"%{sender}",),
        ).fetchone()
    return int(count)


def test_follow_ups_work_deep_into_a_long_conversation(assistant):
    sender = "e2e-long"
    for number in range(24):
        reply = text(assistant.ask(sender, FILLERS[number % len(FILLERS)]))
        assert reply, f"message {number + 1} got no reply"
    assert checkpoints(assistant, sender) == 1
    # a follow-up on the topic just answered
    assistant.ask(sender, "how much is it?")
    reply = text(assistant.ask(sender, "is that per session?"))
    assert answer("cost-general").details in reply
    assistant.ask(sender, "does it hurt?")
    reply = text(assistant.ask(sender, "tell me more"))
    assert answer("pain-general").details in reply
