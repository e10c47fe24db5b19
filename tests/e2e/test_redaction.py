"""Personal data never stored in clear: what patients type on every channel, searched for in
every stored row (the tracker store and our tables) and every log line afterwards."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.fakes import stored_id
from tests.e2e.test_chat_apps import PATIENT, post_telegram, post_whatsapp, telegram_update

pytestmark = pytest.mark.e2e

NAME = "Henrietta Vasquez-Lindqvist"
EMAIL = "henrietta.vl+meso@examplemail.org"
PHONE_INTERNATIONAL = "+44 7700 900431"
PHONE_LOCAL = "(212) 555-0187"
BIRTH_DATE = "14/07/1983"
ADDRESS = "42 Larkspur Road"
CARD = "4111 1111 1111 1111"

MESSAGES = [
    f"hi my name is {NAME}, how much does it cost?",
    f"my email is {EMAIL} and my phone is {PHONE_INTERNATIONAL}",
    f"I was born on {BIRTH_DATE}, can I still have it?",
    f"call me on {PHONE_LOCAL} please",
    f"I live at {ADDRESS}, London. is there a clinic near me?",
    f"my card is {CARD}, can I pay a deposit?",
    # not a question it can answer: kept among the unanswered ones, redacted
    f"zxqv blorp {NAME} {EMAIL} wibble?",
]
TELEGRAM_CHAT = 8080808080  # as long as a real one, so no timestamp holds it by chance
ORIGINALS = [NAME, "Henrietta", EMAIL, PHONE_INTERNATIONAL, PHONE_LOCAL, BIRTH_DATE, ADDRESS, CARD]


def every_stored_value(database, skip_senders: tuple[str, ...] = ()) -> list[str]:
    """Every value of every row; skip_senders: not those of a row whose sender id (or any
    value) starts with one of these."""
    values = []
    with sqlite3.connect(database) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 (names from the db)
                texts = [str(value) for value in row if value is not None]
                if not (skip_senders and any(t.startswith(skip_senders) for t in texts)):
                    values += texts
    return values


def test_personal_details_are_stored_and_logged_only_as_placeholders(assistant, fakes):
    telegram, twilio = fakes
    for number, message in enumerate(MESSAGES):
        assistant.ask("redaction-rest", message)
        assert post_telegram(assistant, telegram_update(message, TELEGRAM_CHAT, 500 + number)).ok
        assert post_whatsapp(assistant, message).status_code == 204
    telegram.wait_for_calls(len(MESSAGES))
    twilio.wait_for_calls(len(MESSAGES))

    workdir = assistant.tracker_db.parent
    stored = every_stored_value(assistant.tracker_db) + every_stored_value(workdir / "knowledge.db")
    assert any("[EMAIL]" in value for value in stored)
    assert any("[PHONE]" in value for value in stored)
    assert any("[NAME]" in value for value in stored)
    # the senders' ids too: the chat apps' are pseudonyms, never the number or chat id (the
    # REST and widget callers of test_privacy.py who chose such an id as theirs aside)
    callers = ("rest:", "socketio:")
    chat_apps = every_stored_value(assistant.tracker_db, callers) + every_stored_value(
        workdir / "knowledge.db", callers
    )
    phone_digits = PATIENT.removeprefix("whatsapp:+1")  # 555 0199 999, also without +1
    assert any(stored_id(PATIENT) in value for value in chat_apps)
    assert any(stored_id(f"telegram:{TELEGRAM_CHAT}") in value for value in chat_apps)
    for personal in (phone_digits, str(TELEGRAM_CHAT)):
        found = [value[:80] for value in chat_apps if personal in value]
        assert not found, f"{personal!r} (a sender's number) is stored: {found[:3]}"
    logs = {
        name: (workdir / name).read_text(errors="replace") for name in ("rasa.log", "actions.log")
    }
    for original in ORIGINALS:
        found = [value[:80] for value in stored if original in value]
        assert not found, f"{original!r} is stored in clear: {found[:3]}"
        for name, log in logs.items():
            assert original not in log, f"{original!r} is in {name}"
