"""End to end: Rasa's socket.io channel (the website widget's) with a real socket.io client.

The client does what web/mesoguide-widget.js does: `session_request` with its own session id,
then `user_uttered` with that id. With session_persistence on, Rasa sends the replies to the
room named after the session id; python-socketio 5.10+ made `enter_room` a coroutine that
Rasa 3.6 does not await, so with it the replies never arrive and these tests time out.
"""

from __future__ import annotations

import queue
import time
import uuid

import pytest
import socketio

from tests.e2e.replies import text

pytestmark = pytest.mark.e2e

REPLY_TIMEOUT = 60  # seconds; a reply normally takes well under one


class WidgetClient:
    """A socket.io client speaking the widget's protocol (long-polling: no extra packages)."""

    def __init__(self, url: str, session_id: str):
        self.session_id = session_id
        self.replies: queue.Queue[dict] = queue.Queue()
        self.confirmed: queue.Queue[str] = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", self.confirmed.put)
        self.client.connect(url, transports=["polling"], socketio_path="socket.io", wait_timeout=20)

    def start_session(self) -> str:
        self.client.emit("session_request", {"session_id": self.session_id})
        return self.confirmed.get(timeout=20)

    def say(self, message: str) -> None:
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})

    def wait_for(self, text: str, timeout: float = REPLY_TIMEOUT) -> list[dict]:
        """Every reply up to and including the first whose text contains `text`."""
        received: list[dict] = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no bot_uttered containing {text!r} within {timeout}s; got {received}"
                )
            try:
                reply = self.replies.get(timeout=remaining)
            except queue.Empty:
                continue
            received.append(reply)
            if text in (reply.get("text") or ""):
                return received

    def close(self) -> None:
        self.client.disconnect()


def test_a_persisted_session_gets_the_cost_answer(assistant):
    session_id = uuid.uuid4().hex
    client = WidgetClient(assistant.base_url, session_id)
    try:
        assert client.start_session() == session_id
        client.say("how much does it cost?")
        replies = client.wait_for("USD 250")
    finally:
        client.close()
    texts = text(replies)
    assert "automated assistant" in texts  # the session's opening notice comes first
    assert "USD 250 to 600" in texts


def test_a_new_connection_with_the_same_session_id_continues_the_conversation(assistant):
    """What a page reload does: a new socket, the stored session id, the same conversation."""
    session_id = uuid.uuid4().hex
    first = WidgetClient(assistant.base_url, session_id)
    try:
        first.start_session()
        first.say("does it hurt?")
        first.wait_for("pinches")
    finally:
        first.close()

    second = WidgetClient(assistant.base_url, session_id)
    try:
        assert second.start_session() == session_id
        second.say("tell me more")  # answered from the last topic, kept in Rasa's tracker
        replies = second.wait_for("small shots")
    finally:
        second.close()
    texts = text(replies)
    assert "automated assistant" not in texts  # no new session, so no second notice


def test_buttons_arrive_as_quick_replies_with_payloads(assistant):
    client = WidgetClient(assistant.base_url, uuid.uuid4().hex)
    try:
        client.start_session()
        client.say("hi")
        replies = client.wait_for("You can ask me")
    finally:
        client.close()
    quick_replies = replies[-1].get("quick_replies") or []
    assert {"content_type": "text", "title": "Does it hurt?", "payload": "/ask_pain"} in (
        quick_replies
    )
