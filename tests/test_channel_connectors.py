"""Our Telegram and WhatsApp output channels, with the network calls captured."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.adapters.connectors.telegram import MESSAGE_LIMIT as TELEGRAM_LIMIT
from bot.adapters.connectors.telegram import PagedTelegramOutput
from bot.adapters.connectors.whatsapp import MESSAGE_LIMIT as WHATSAPP_LIMIT
from bot.adapters.connectors.whatsapp import WhatsAppOutput
from bot.chat_apps import scoped_sender_id
from bot.records import last_menu

LONG_ANSWER = " ".join(f"Sentence number {n} says something useful." for n in range(400))
BUTTONS = [
    {"title": "What does it cost?", "payload": "/ask_cost"},
    {"title": "Does it hurt?", "payload": "/ask_pain"},
]


def telegram_with_capture():
    channel = PagedTelegramOutput("123456:TEST-token")
    sent = []
    modes = channel.modes = []

    async def send_message(chat_id, text, reply_markup=None, parse_mode=None):
        sent.append((text, reply_markup))
        modes.append(parse_mode)

    channel.send_message = send_message
    return channel, sent


def test_telegram_splits_a_long_answer_between_sentences():
    channel, sent = telegram_with_capture()
    asyncio.run(channel.send_text_message("42", LONG_ANSWER))
    assert len(sent) > 1
    assert all(len(text) <= TELEGRAM_LIMIT and text.endswith(".") for text, _ in sent)
    assert " ".join(text for text, _ in sent) == LONG_ANSWER


def test_telegram_buttons_are_an_inline_keyboard_one_per_row_on_the_last_piece():
    channel, sent = telegram_with_capture()
    asyncio.run(channel.send_text_with_buttons("42", LONG_ANSWER, BUTTONS))
    *first, (last_text, keyboard) = sent
    assert all(markup is None for _, markup in first)
    rows = keyboard.inline_keyboard
    assert [[button.callback_data for button in row] for row in rows] == [
        ["/ask_cost"],
        ["/ask_pain"],
    ]


def test_telegram_sends_answers_in_html_mode_and_everything_else_as_plain_text():
    channel, sent = telegram_with_capture()
    link = '<a href="https://doi.org/10.1/x">Someone 2010</a>'
    asyncio.run(channel.send_text_message("42", link, utter_action="utter_kb_answer"))
    asyncio.run(channel.send_text_with_buttons("42", link, BUTTONS, utter_action="utter_kb_answer"))
    asyncio.run(channel.send_text_message("42", "a < b & c", utter_action="utter_greet"))
    asyncio.run(channel.send_text_message("42", "no response named"))
    assert channel.modes == ["HTML", "HTML", None, None]


def whatsapp_with_capture():
    channel = WhatsAppOutput("AC" + "1" * 32, "token", "whatsapp:+15550100000")
    sent = []

    async def send(message):
        sent.append(message)

    channel._send_message = send
    return channel, sent


@pytest.fixture
def shared_database(tmp_path, monkeypatch):
    """One database, as several Rasa processes share it (DATABASE_URL)."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SENDER_ID_KEY", "k" * 32)
    return url


def test_whatsapp_splits_long_answers_and_sends_options_as_a_numbered_list(shared_database):
    channel, sent = whatsapp_with_capture()
    asyncio.run(channel.send_text_message("whatsapp:+1555", LONG_ANSWER))
    assert len(sent) > 1 and all(len(m["body"]) <= WHATSAPP_LIMIT for m in sent)

    sent.clear()
    asyncio.run(channel.send_text_with_buttons("whatsapp:+1555", "Pick one:", BUTTONS))
    assert sent[0]["body"] == "Pick one:\n1. What does it cost?\n2. Does it hurt?"


def test_the_whatsapp_menu_is_in_the_database_under_the_pseudonym(shared_database):
    # sent by one process's output channel, read by any process: nothing in memory
    channel, _ = whatsapp_with_capture()
    asyncio.run(channel.send_text_with_buttons("whatsapp:+15551234567", "Pick one:", BUTTONS))
    stored_id = scoped_sender_id("whatsapp", "whatsapp:+15551234567")
    assert last_menu(stored_id, url=shared_database) == [
        ("What does it cost?", "/ask_cost"),
        ("Does it hurt?", "/ask_pain"),
    ]
    with sqlite3.connect(shared_database.removeprefix("sqlite:///")) as db:
        rows = db.execute("SELECT sender_id, options FROM chat_menus").fetchall()
    assert rows and "15551234567" not in repr(rows)
    # a later menu replaces the first
    asyncio.run(channel.send_text_with_buttons("whatsapp:+15551234567", "Now:", BUTTONS[1:]))
    assert last_menu(stored_id, url=shared_database) == [("Does it hurt?", "/ask_pain")]
    assert last_menu("whatsapp:someone-else", url=shared_database) == []
