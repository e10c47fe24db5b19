"""Nobody reaches another person's conversation, and the clinic can erase one.

A WhatsApp sender's id is `whatsapp:+<phone>` and a Telegram one's a chat number: easy to
guess. A REST or widget caller who sends such an id gets a conversation of its own. The chat
apps' conversations are stored under a keyed pseudonym (fakes.stored_id), never the number;
the clinic can erase them by the number all the same."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid

import pytest
import requests

from bot.tools.launcher import running_assistant
from tests.e2e.fakes import PRIVACY_TOKEN, stored_id
from tests.e2e.replies import text
from tests.e2e.test_chat_apps import (
    PATIENT,
    STORED_PATIENT,
    post_telegram,
    post_whatsapp,
    telegram_update,
)
from tests.e2e.test_socketio import WidgetClient

pytestmark = pytest.mark.e2e


def stored_senders(assistant) -> dict[str, int]:
    with sqlite3.connect(assistant.tracker_db) as db:
        rows = db.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id").fetchall()
    return dict(rows)


def user_texts(assistant, sender: str) -> list[str]:
    with sqlite3.connect(assistant.tracker_db) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        ).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def test_a_rest_caller_using_a_whatsapp_id_gets_a_conversation_of_its_own(assistant, fakes):
    assert post_whatsapp(assistant, "does it hurt?").status_code == 204
    _, twilio = fakes
    twilio.wait_for_calls(1)
    before = stored_senders(assistant)[STORED_PATIENT]
    assert PATIENT not in stored_senders(assistant), "the number is stored in clear"

    assert text(assistant.ask(PATIENT, "stop"))

    after = stored_senders(assistant)
    assert after[STORED_PATIENT] == before, "the REST message landed in the WhatsApp conversation"
    assert "stop" not in user_texts(assistant, STORED_PATIENT)
    assert user_texts(assistant, f"rest:{PATIENT}")[-1] == "stop"
    # nor can a REST caller who knows the pseudonym reach it
    assistant.ask(STORED_PATIENT, "go on")
    assert "go on" not in user_texts(assistant, STORED_PATIENT)
    assert user_texts(assistant, f"rest:{STORED_PATIENT}") == ["go on"]


def test_a_rest_caller_using_a_telegram_id_gets_a_conversation_of_its_own(assistant, fakes):
    telegram, _ = fakes
    chat = 515151
    assert post_telegram(assistant, telegram_update("how long does it last?", chat, 9)).ok
    telegram.wait_for_calls(1)
    assistant.ask(str(chat), "my own question")
    assistant.ask(f"telegram:{chat}", "another one")
    assert user_texts(assistant, stored_id(f"telegram:{chat}")) == ["how long does it last?"]
    assert not user_texts(assistant, f"telegram:{chat}")
    assert user_texts(assistant, f"rest:{chat}") == ["my own question"]
    assert user_texts(assistant, f"rest:telegram:{chat}") == ["another one"]


def test_a_widget_caller_using_a_whatsapp_id_gets_a_conversation_of_its_own(assistant):
    widget = WidgetClient(assistant.base_url, session_id=PATIENT)
    try:
        widget.start_session()
        widget.say("is it safe?")
        widget.wait_for("")
    finally:
        widget.client.disconnect()
    # the conversation is saved after its last reply is sent: wait for it
    deadline = time.monotonic() + 30
    while not user_texts(assistant, f"socketio:{PATIENT}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert user_texts(assistant, f"socketio:{PATIENT}")[-1] == "is it safe?"
    assert "is it safe?" not in user_texts(assistant, STORED_PATIENT)


def test_a_request_forwarded_by_a_proxy_needs_the_rest_token(assistant):
    reply = requests.post(
        assistant.rest_url,
        json={"sender": "proxied", "message": "hi"},
        headers={"X-Forwarded-For": "203.0.113.9"},
        timeout=30,
    )
    assert reply.status_code == 403
    assert "REST_TOKEN" in reply.text
    assert "rest:proxied" not in stored_senders(assistant)


def forget(assistant, sender: str, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.post(
        f"{assistant.base_url}/webhooks/privacy/forget",
        json={"sender": sender},
        headers=headers,
        timeout=30,
    )


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_the_erasure_endpoint_refuses_a_caller_without_the_token(assistant, token):
    sender = f"kept-{uuid.uuid4().hex[:8]}"
    assistant.ask(sender, "what does it cost?")
    reply = forget(assistant, f"rest:{sender}", token)
    assert reply.status_code == 401
    assert f"rest:{sender}" in stored_senders(assistant)


def test_the_erasure_endpoint_deletes_one_senders_conversation(assistant):
    gone, kept = (f"{name}-{uuid.uuid4().hex[:8]}" for name in ("gone", "kept"))
    for sender in (gone, kept):
        assistant.ask(sender, "what does it cost?")
    reply = forget(assistant, f"rest:{gone}", PRIVACY_TOKEN)
    assert reply.status_code == 200, reply.text
    assert reply.json()["deleted"]["events"] > 0
    senders = stored_senders(assistant)
    assert f"rest:{gone}" not in senders
    assert f"rest:{kept}" in senders
    assert forget(assistant, f"rest:{gone}", PRIVACY_TOKEN).json()["deleted"]["events"] == 0


@pytest.mark.parametrize("named_by", ["number", "stored id"])
def test_the_clinic_erases_a_chat_app_patient_by_their_number_or_stored_id(
    assistant, fakes, named_by
):
    telegram, _ = fakes
    chat = 626262 if named_by == "number" else 636363
    original = f"telegram:{chat}"
    assert post_telegram(assistant, telegram_update("does it hurt?", chat, 60)).ok
    telegram.wait_for_calls(1)
    deadline = time.monotonic() + 30
    while stored_id(original) not in stored_senders(assistant) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored_id(original) in stored_senders(assistant)

    given = original if named_by == "number" else stored_id(original)
    reply = forget(assistant, given, PRIVACY_TOKEN)
    assert reply.status_code == 200, reply.text
    assert reply.json()["sender"] == stored_id(original)  # never the number
    assert reply.json()["deleted"]["events"] > 0
    assert stored_id(original) not in stored_senders(assistant)


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP port is listened on, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


def test_the_action_server_listens_on_loopback_only(assistant):
    addresses = listening_addresses(assistant.actions_port)
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1, little-endian hex


def test_with_a_rest_token_set_the_servers_start_and_the_rest_channel_asks_for_it(tmp_path):
    token = f"e2e-{uuid.uuid4().hex}"
    with running_assistant(tmp_path, {"REST_TOKEN": token}) as running:
        message = {"sender": "with-token", "message": "how much is it?"}
        refused = requests.post(running.rest_url, json=message, timeout=30)
        assert refused.status_code == 401
        answered = requests.post(
            running.rest_url,
            json=message,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert answered.status_code == 200
        assert "USD 250" in text(answered.json())
