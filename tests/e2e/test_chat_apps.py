"""Telegram and WhatsApp over loopback: local fakes stand in for the Bot API and Twilio
(tests/e2e/conftest.py starts the servers with both on)."""

from __future__ import annotations

import html
import json

import pytest
import requests
from twilio.request_validator import RequestValidator

from bot.settings import KNOWLEDGE_DIR
from bot.tools.knowledge.files import read_knowledge_base
from tests.e2e.fakes import (
    SENDER_ID_KEY,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    WHATSAPP_NUMBER,
    stored_id,
)

pytestmark = pytest.mark.e2e

PATIENT = "whatsapp:+15550199999"
# what the tracker store and our records keep instead of the number
STORED_PATIENT = stored_id(PATIENT)


def telegram_update(text: str, chat_id: int = 4242, update_id: int = 1) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1760000000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Pat"},
            "text": text,
        },
    }


def post_telegram(assistant, update: dict, secret: str | None = TELEGRAM_SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return requests.post(
        f"{assistant.base_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60
    )


def sent_texts(calls, method: str) -> list[dict]:
    return [fields for path, fields in calls if path.endswith(method)]


def test_telegram_answers_with_an_inline_keyboard_one_button_per_row(assistant, fakes):
    telegram, _ = fakes
    telegram.calls.clear()
    reply = post_telegram(assistant, telegram_update("how much does it cost?"))
    assert reply.status_code == 200
    messages = sent_texts(telegram.wait_for_calls(2), "/sendMessage")
    assert any("USD 250" in m["text"] for m in messages)
    assert {m["chat_id"] for m in messages} == {"4242"}

    telegram.calls.clear()
    post_telegram(assistant, telegram_update("hi", update_id=2))
    calls = telegram.wait_for_calls(2)
    keyboards = [
        json.loads(m["reply_markup"])
        for m in sent_texts(calls, "/sendMessage")
        if "reply_markup" in m
    ]
    rows = keyboards[-1]["inline_keyboard"]
    assert len(rows) >= 3 and all(len(row) == 1 for row in rows)
    assert {"callback_data": "/ask_cost", "text": "What does it cost?"} in [r[0] for r in rows]


def cost_sources():
    kb = read_knowledge_base(KNOWLEDGE_DIR)
    answer = next(a for a in kb.answers if a.id == "cost-general")
    return answer, [kb.sources[i] for i in answer.source_ids]


def test_telegram_answer_is_one_html_message_with_every_source_as_a_link(assistant, fakes):
    telegram, _ = fakes
    telegram.calls.clear()
    post_telegram(assistant, telegram_update("what's the price of one session?", 5150, 9))
    messages = sent_texts(telegram.wait_for_calls(1), "/sendMessage")
    answer, sources = cost_sources()
    [sent] = [m for m in messages if "USD 250" in m["text"]]
    assert sent["parse_mode"] == "HTML"
    assert len(sent["text"]) <= 4096
    for source in sources:
        assert (
            f'<a href="{html.escape(source.link)}">{html.escape(source.short_name)}</a>'
            in (sent["text"])
        )


def test_whatsapp_answer_names_every_source_with_one_link_each(assistant, fakes):
    _, twilio = fakes
    twilio.calls.clear()
    assert post_whatsapp(assistant, "how much does it cost?").status_code == 204
    bodies = [fields["Body"] for _, fields in twilio.wait_for_calls(1)]
    answer, sources = cost_sources()
    [body] = [b for b in bodies if "USD 250" in b]
    assert len(body) <= 1600 and "<a " not in body
    for source in sources:
        assert f"- {source.short_name}: {source.link}" in body
        assert body.count(source.link) == 1


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
def test_telegram_without_the_secret_is_refused_and_nothing_is_sent(assistant, fakes, secret):
    telegram, _ = fakes
    telegram.calls.clear()
    reply = post_telegram(assistant, telegram_update("how much does it cost?", 777), secret)
    assert reply.status_code == 403
    assert telegram.wait_for_calls(1, timeout=3) == []


def post_whatsapp(assistant, body: str, signature: str | None = None):
    url = f"{assistant.base_url}/webhooks/whatsapp/webhook"
    form = {"From": PATIENT, "To": WHATSAPP_NUMBER, "Body": body, "AccountSid": TWILIO_SID}
    signed = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
    headers = {"X-Twilio-Signature": signature if signature is not None else signed}
    return requests.post(url, data=form, headers=headers, timeout=60)


def test_whatsapp_gets_a_numbered_menu_and_2_picks_option_two(assistant, fakes):
    _, twilio = fakes
    twilio.calls.clear()
    assert post_whatsapp(assistant, "hi").status_code == 204
    bodies = [fields["Body"] for _, fields in twilio.wait_for_calls(2)]
    menu = next(body for body in bodies if "\n1. " in body)
    assert "\n2. What can it treat?" in menu
    assert all(fields["From"] == WHATSAPP_NUMBER for _, fields in twilio.calls)
    # stored under a pseudonym, answered at the number (the menu is kept by the number too)
    assert all(fields["To"] == PATIENT for _, fields in twilio.calls)

    twilio.calls.clear()
    assert post_whatsapp(assistant, "2").status_code == 204
    bodies = " ".join(fields["Body"] for _, fields in twilio.wait_for_calls(1))
    assert "Sources:" in bodies and "cellulite" in bodies.lower()


def test_whatsapp_with_a_forged_signature_is_refused_and_nothing_is_sent(assistant, fakes):
    _, twilio = fakes
    twilio.calls.clear()
    assert post_whatsapp(assistant, "hi", signature="forged=").status_code == 403
    assert post_whatsapp(assistant, "hi", signature="").status_code == 403
    assert twilio.wait_for_calls(1, timeout=3) == []


def test_no_secret_is_written_to_the_logs_or_the_credentials_file(assistant, fakes):
    """Runs after the conversations above, so the logs hold refused and accepted requests."""
    workdir = assistant.tracker_db.parent
    written = [workdir / "rasa.log", workdir / "actions.log", workdir / "credentials.yml"]
    assert all(path.exists() for path in written)
    for path in written:
        text = path.read_text(errors="replace")
        for secret in (TELEGRAM_TOKEN, TELEGRAM_SECRET, TWILIO_TOKEN, SENDER_ID_KEY):
            assert secret not in text, f"{secret[:6]}… appears in {path.name}"
