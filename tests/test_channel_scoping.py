"""Each channel's conversations are its own, the REST channel is guarded, and the action server
listens on loopback only."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.adapters.connectors.rest import refusal
from bot.adapters.connectors.scoped import scoped_on_new_message
from bot.chat_apps import is_local_address, scoped_sender_id
from bot.privacy.pseudonyms import is_pseudonym, pseudonym
from bot.settings import Settings
from bot.tools.credentials import channel_credentials
from bot.tools.launcher import action_server

KEY = "a-test-key"


@pytest.fixture
def sender_key(monkeypatch):
    monkeypatch.setenv("SENDER_ID_KEY", KEY)
    return KEY


@pytest.mark.parametrize(
    ("channel", "sender", "stored"),
    [
        ("rest", "alice", "rest:alice"),
        ("rest", "rest:alice", "rest:alice"),
        ("rest", "whatsapp:+15550199999", "rest:whatsapp:+15550199999"),
        ("rest", "telegram:4242", "rest:telegram:4242"),
        ("socketio", "whatsapp:+15550199999", "socketio:whatsapp:+15550199999"),
        ("telegram", "4242", pseudonym("telegram", "4242", KEY)),
        ("whatsapp", "whatsapp:+15550199999", pseudonym("whatsapp", "+15550199999", KEY)),
    ],
)
def test_a_sender_is_stored_under_its_own_channel(channel, sender, stored, sender_key):
    assert scoped_sender_id(channel, sender) == stored
    assert scoped_sender_id(channel, sender, key=KEY) == stored


def test_a_chat_app_sender_is_stored_without_its_number(sender_key):
    for channel, sender in (("whatsapp", "whatsapp:+15550199999"), ("telegram", "4242")):
        stored = scoped_sender_id(channel, sender)
        assert is_pseudonym(stored) and stored.startswith(f"{channel}:")
        assert "4242" not in stored and "15550199999" not in stored
    # a REST caller never gets a chat app's stored id, nor its pseudonym
    rest = scoped_sender_id("rest", "whatsapp:+15550199999")
    assert rest != scoped_sender_id("whatsapp", "whatsapp:+15550199999")
    assert scoped_sender_id("rest", scoped_sender_id("whatsapp", "whatsapp:+1555")).startswith(
        "rest:whatsapp:"
    )


def test_a_scoped_message_is_answered_at_the_id_its_channel_gave():
    collector = CollectingOutputChannel()
    seen = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append((message.sender_id, message.input_channel))
        await message.output_channel.send_response(message.sender_id, {"text": "hi"})

    handle = scoped_on_new_message("rest", on_new_message)
    message = UserMessage("hello", collector, "whatsapp:+15550199999", input_channel="whatsapp")
    asyncio.run(handle(message))
    assert seen == [("rest:whatsapp:+15550199999", "rest")]
    assert collector.messages == [{"recipient_id": "whatsapp:+15550199999", "text": "hi"}]


def test_a_chat_app_reply_goes_to_the_number_though_the_pseudonym_is_stored(sender_key):
    collector = CollectingOutputChannel()
    seen = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message.sender_id)
        await message.output_channel.send_response(message.sender_id, {"text": "hi"})

    handle = scoped_on_new_message("whatsapp", on_new_message)
    asyncio.run(handle(UserMessage("hello", collector, "whatsapp:+15550199999")))
    assert seen == [pseudonym("whatsapp", "whatsapp:+15550199999", KEY)]
    assert collector.messages == [{"recipient_id": "whatsapp:+15550199999", "text": "hi"}]


def request(ip: str, headers: dict | None = None) -> SimpleNamespace:
    return SimpleNamespace(ip=ip, headers={k.lower(): v for k, v in (headers or {}).items()})


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.53", "::1"])
def test_without_a_token_this_machine_may_use_the_rest_channel(address):
    assert refusal(request(address), token="") is None


@pytest.mark.parametrize(
    "asked",
    [
        request("10.0.0.7"),
        request("203.0.113.9"),
        request("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}),
        request("127.0.0.1", {"Forwarded": "for=203.0.113.9"}),
    ],
    ids=["lan", "internet", "proxied", "forwarded"],
)
def test_without_a_token_any_other_caller_is_refused(asked):
    refused = refusal(asked, token="")
    assert refused is not None and refused.status == 403
    assert b"REST_TOKEN" in refused.body


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": "Basic s3cret-token"}, 401),
        ({"Authorization": "Bearer s3cret-token"}, None),
        ({"Authorization": "bearer  s3cret-token "}, None),
    ],
)
def test_with_a_token_every_caller_must_bring_it(headers, status):
    for address in ("127.0.0.1", "203.0.113.9"):
        refused = refusal(request(address, headers), token="s3cret-token")
        assert (refused.status if refused else None) == status


def test_only_loopback_addresses_are_local():
    assert is_local_address("127.0.0.1") and is_local_address("::1")
    assert not is_local_address("192.168.1.4")
    assert not is_local_address("")
    assert not is_local_address("not an address")


def test_the_channels_tokens_are_passed_only_when_set():
    rest = "bot.adapters.connectors.rest.ScopedRestInput"
    privacy = "bot.adapters.connectors.privacy.ErasureInput"
    credentials, _ = channel_credentials({})
    assert rest in credentials and privacy in credentials
    assert not credentials[rest] and not credentials[privacy]
    credentials, _ = channel_credentials({"REST_TOKEN": "a", "PRIVACY_TOKEN": "b"})
    assert credentials[rest] == {"token": "${REST_TOKEN}"}
    assert credentials[privacy] == {"token": "${PRIVACY_TOKEN}"}


def test_the_action_server_listens_on_loopback_unless_told_otherwise(tmp_path):
    assert action_server(Settings(), tmp_path).env == {"SANIC_HOST": "127.0.0.1"}
    elsewhere = Settings(actions_host="10.0.0.7")
    assert action_server(elsewhere, tmp_path).env == {"SANIC_HOST": "10.0.0.7"}
