from __future__ import annotations

import pytest

from bot.chat_apps import menu_choice, numbered_menu, split_message
from bot.tools.credentials import channel_credentials

ANSWER = (
    "One session often costs about USD 250 to 600. The price depends on the area. "
    "Most people need more than one! Is that a lot? It can be.\n\nSources: a clinic page"
)


@pytest.mark.parametrize("limit", [40, 60, 100, 4096])
def test_long_text_is_split_between_sentences_under_the_limit_losing_nothing(limit):
    pieces = split_message(ANSWER, limit)
    assert all(len(piece) <= limit for piece in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(ANSWER.split())
    if limit >= 60:
        assert all(piece[-1] in ".!?e" for piece in pieces)


def test_a_sentence_longer_than_the_limit_is_cut_between_words():
    pieces = split_message("word " * 50, 32)
    assert all(len(p) <= 32 for p in pieces) and "".join(pieces).replace(" ", "") == "word" * 50


def test_short_text_keeps_its_line_breaks_and_empty_text_gives_nothing():
    assert split_message("Pick one:\n1. Cost\n2. Pain", 1600) == ["Pick one:\n1. Cost\n2. Pain"]
    assert split_message("", 1600) == []
    assert split_message("🙂" * 10, 4) == ["🙂🙂🙂🙂", "🙂🙂🙂🙂", "🙂🙂"]


def test_a_numbered_menu_and_replies_that_pick_from_it():
    options = [("What does it cost?", "/ask_cost"), ("Does it hurt?", "/ask_pain")]
    assert numbered_menu("Pick one:", [t for t, _ in options]) == (
        "Pick one:\n1. What does it cost?\n2. Does it hurt?"
    )
    assert menu_choice("2", options) == "/ask_pain"
    assert menu_choice(" 1. ", options) == "/ask_cost"
    assert menu_choice("does it hurt", options) == "/ask_pain"
    assert menu_choice("3", options) is None
    assert menu_choice("option 2", options) == "/ask_pain"
    assert menu_choice("#1", options) == "/ask_cost"
    assert menu_choice("2 sessions?", options) is None
    assert menu_choice("how long does it last?", options) is None
    assert menu_choice("2", []) is None


def test_a_chat_app_is_on_only_when_all_its_variables_are_set_and_secrets_stay_out():
    credentials, report = channel_credentials({})
    connectors = "bot.adapters.connectors"
    assert set(credentials) == {
        f"{connectors}.rest.ScopedRestInput",
        f"{connectors}.socketio.ScopedSocketIOInput",
        f"{connectors}.privacy.ErasureInput",
    }
    assert all("off" in line for line in report)

    environ = {
        "TELEGRAM_ACCESS_TOKEN": "123:secret-token",
        "TELEGRAM_SECRET_TOKEN": "s3cret",
        "TWILIO_ACCOUNT_SID": "AC1",
    }
    credentials, report = channel_credentials(environ)
    telegram = credentials["bot.adapters.connectors.telegram.SecureTelegramInput"]
    assert telegram == {
        "access_token": "${TELEGRAM_ACCESS_TOKEN}",
        "secret_token": "${TELEGRAM_SECRET_TOKEN}",
    }
    assert "bot.adapters.connectors.whatsapp.SignedTwilioInput" not in credentials
    assert any("missing TWILIO_AUTH_TOKEN" in line for line in report)
    assert "secret-token" not in repr(credentials) and "s3cret" not in repr(credentials)
