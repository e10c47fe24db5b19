"""End to end: the conversations live in the tracker store, not in a Rasa process.

- A Rasa server stopped and started again on the same SQLite databases goes on with a
  conversation where it was (the default profile).
- Two Rasa processes on one PostgreSQL, sharing their locks in Redis (the production
  profile), each taking turns in the same conversations: every message is stored once, in
  order, with its replies.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import redis
import requests

from bot.settings import KNOWLEDGE_DIR, Settings
from bot.tools.knowledge.files import read_knowledge_base
from bot.tools.launcher import (
    MODEL,
    Server,
    Servers,
    action_server,
    free_port,
    prepared,
    rasa_server,
)
from bot.tools.stored_conversations import stored_conversation
from tests.e2e.replies import texts

pytestmark = pytest.mark.e2e

KB = read_knowledge_base(KNOWLEDGE_DIR)


def answer(answer_id: str) -> str:
    return next(a.short_answer for a in KB.answers if a.id == answer_id)


@dataclass
class Profile:
    """The servers' environment and settings, and where their files go."""

    env: dict[str, str]
    settings: Settings
    workdir: Path
    credentials: Path

    def rasa(self, name: str, port: int) -> Server:
        settings = replace(self.settings, rasa_port=port)
        server = rasa_server(settings, self.workdir, self.credentials, MODEL, "127.0.0.1")
        return replace(server, name=f"Rasa server {name}", log=self.workdir / f"rasa-{name}.log")


def profile(workdir: Path, storage: Mapping[str, str]) -> Profile:
    env = {
        **os.environ,
        "ACTIONS_PORT": str(free_port()),
        **storage,
    }
    env, settings, credentials = prepared(workdir, env)
    return Profile(env, settings, workdir, credentials)


@contextmanager
def action_server_running(setup: Profile) -> Iterator[None]:
    with Servers(setup.env) as servers:
        servers.start(action_server(setup.settings, setup.workdir))
        yield


def ask(port: int, sender: str, message: str) -> list[dict]:
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    response = requests.post(url, json={"sender": sender, "message": message}, timeout=120)
    response.raise_for_status()
    return response.json()


def said(port: int, sender: str, message: str) -> str:
    return " ".join(texts(ask(port, sender, message)))


def test_a_restarted_rasa_server_goes_on_where_the_conversation_was(tmp_path):
    setup = profile(
        tmp_path,
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'mesoguide.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        },
    )
    port = free_port()
    sender = "e2e-restart"
    with action_server_running(setup):
        with Servers(setup.env) as rasa:
            rasa.start(setup.rasa("before", port))
            said(port, sender, "I'm interested in it for cellulite")
            assert "1 of 10" in said(port, sender, "/start_self_check")
            assert "2 of 10" in said(port, sender, "yes")  # pregnancy: a point to raise
            for number in (3, 4, 5):
                assert f"{number} of 10" in said(port, sender, "no")
        # stopped: nothing of the conversation is left in any process
        with Servers(setup.env) as rasa:
            rasa.start(setup.rasa("after", port))
            assert "6 of 10. Do you have an autoimmune disease?" in said(port, sender, "no")
            for number in (7, 8, 9, 10):
                assert f"{number} of 10" in said(port, sender, "no")
            end = said(port, sender, "no")
            assert "raise these points" in end and "pregnancy" in end
            assert answer("sessions-cellulite") in said(
                port, sender, "how many sessions would I need?"
            )


# Each conversation's messages, sent in this order, each after the reply to the one before.
SCRIPTS = {
    "e2e-two-1": ["hi", "how much does it cost?", "does it hurt?", "thanks"],
    "e2e-two-2": ["I'm interested in it for cellulite", "how many sessions would I need?",
                  "what are the side effects?", "bye"],
    "e2e-two-3": ["how long do the results last?", "is that permanent?", "when will I see results?",
                  "how much is it?"],
    "e2e-two-4": ["what is mesotherapy?", "tell me more", "does it hurt?", "who are you?"],
    "e2e-two-5": ["could it help with my tummy?", "how many sessions would I need?",
                  "what is the recovery like?", "thank you"],
}  # fmt: skip


def stored_turns(url: str, sender: str) -> list[tuple[str, str]]:
    """The user messages stored for a conversation, in order, each with the text of the bot
    messages stored after it (the first one also with the session's opening notice)."""
    stored = stored_conversation(url, sender)
    if stored.turns:
        stored.turns[0].replies[:0] = stored.opening
    return [(turn.message, words(turn.replies)) for turn in stored.turns]


def words(replies: list[str]) -> str:
    """Replies as one run of words: the REST channel splits a text at blank lines."""
    return " ".join(" ".join(replies).split())


def test_two_rasa_processes_share_the_conversations_without_loss_or_duplicates(
    tmp_path, postgres_url, redis_url
):
    setup = profile(
        tmp_path,
        {"DATABASE_URL": postgres_url, "TRACKER_STORE_URL": postgres_url, "REDIS_URL": redis_url},
    )
    ports = {"A": free_port(), "B": free_port()}
    sent: dict[str, list[tuple[str, str, str]]] = {sender: [] for sender in SCRIPTS}
    errors: list[BaseException] = []

    def converse(index: int, sender: str) -> None:
        try:
            for turn, message in enumerate(SCRIPTS[sender]):
                process = "AB"[(index + turn) % 2]  # alternately, starting on either
                replies = texts(ask(ports[process], sender, message))
                sent[sender].append((message, process, words(replies)))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    locks = redis.Redis.from_url(redis_url)
    with action_server_running(setup), Servers(setup.env) as rasa:
        rasa.start(*(setup.rasa(name, port) for name, port in ports.items()))
        commands_before = locks.info("stats")["total_commands_processed"]
        threads = [
            threading.Thread(target=converse, args=(index, sender))
            for index, sender in enumerate(SCRIPTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        # each message takes, checks and gives back its conversation's lock in Redis
        lock_commands = locks.info("stats")["total_commands_processed"] - commands_before
    assert not errors, errors
    messages = sum(len(script) for script in SCRIPTS.values())
    assert lock_commands >= 3 * messages

    lines = []
    for sender, script in SCRIPTS.items():
        found = stored_turns(postgres_url, sender)
        route = "".join(process for _, process, _ in sent[sender])
        replies = [reply for _, _, reply in sent[sender]]
        stored_replies = [reply for _, reply in found]
        lines.append(
            f"{sender}: sent {len(script)} messages via {route}; stored {len(found)} user "
            f"messages in the order sent; the bot's words after each: "
            f"{sum(len(r.split()) for r in stored_replies)} stored, "
            f"{sum(len(r.split()) for r in replies)} received"
        )
        assert [message for message, _ in found] == script, sender
        assert all(replies), f"{sender}: a message got no reply"
        assert stored_replies == replies, sender
    summary = "\n".join(
        [
            f"Two Rasa processes (A, B) on PostgreSQL with Redis locks; {len(SCRIPTS)} "
            "conversations at once, each message to the other process than the one before; "
            f"{lock_commands} Redis commands for {messages} messages:",
            *lines,
        ]
    )
    print(summary)
    (tmp_path / "summary.txt").write_text(summary + "\n", encoding="utf-8")
