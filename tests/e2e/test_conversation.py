"""End to end over REST: context, follow-ups, two questions, fallback, identity, scope."""

from __future__ import annotations

import json

import pytest

from bot.records import UnansweredRow
from bot.settings import KNOWLEDGE_DIR
from bot.tools.knowledge.files import read_knowledge_base
from tests.conftest import stored_rows
from tests.e2e.replies import text

pytestmark = pytest.mark.e2e

KB = read_knowledge_base(KNOWLEDGE_DIR)


def answer(answer_id: str):
    return next(a for a in KB.answers if a.id == answer_id)


def test_is_that_per_session_is_answered_as_a_follow_up_on_cost(assistant):
    assistant.ask("e2e-per-session", "how much is it?")
    reply = text(assistant.ask("e2e-per-session", "is that per session?"))
    assert answer("cost-general").details in reply


def test_tell_me_more_gives_the_details_of_the_last_topic(assistant):
    assistant.ask("e2e-more", "does it hurt?")
    reply = text(assistant.ask("e2e-more", "tell me more"))
    assert answer("pain-general").details in reply


def test_a_body_area_mentioned_earlier_picks_the_fat_variant(assistant):
    assistant.ask("e2e-tummy", "could it help with my tummy?")
    reply = text(assistant.ask("e2e-tummy", "how many sessions would I need?"))
    assert answer("sessions-fat").short_answer in reply


def test_two_questions_in_one_message_get_both_answers(assistant):
    reply = text(assistant.ask("e2e-two", "how much is it and does it hurt?"))
    assert answer("cost-general").short_answer in reply
    assert answer("pain-general").short_answer in reply
    assert reply.index("USD 250") < reply.index("pinches")


def test_are_you_a_doctor_is_answered_truthfully(assistant):
    reply = text(assistant.ask("e2e-identity", "are you a doctor?"))
    assert "not a doctor" in reply and "automated assistant" in reply


def test_out_of_scope_is_declined_politely(assistant):
    reply = text(assistant.ask("e2e-scope", "what's the weather tomorrow in paris?"))
    assert "only help with questions about mesotherapy" in reply


# Short, vague messages the classifier should be unsure about; the first that gets the
# closest topics is followed through (so one borderline message classified confidently, and
# answered with related topics as buttons, does not break it).
VAGUE_MESSAGES = ["skin", "makeup", "hmm needles", "injections"]
NOT_SURE = "not sure I understood"


def test_an_unclear_message_offers_topics_and_choosing_one_answers_it(assistant):
    for message in VAGUE_MESSAGES:
        replies = assistant.ask(f"e2e-fallback-{message}", message)
        unsure = [reply for reply in replies if NOT_SURE in (reply.get("text") or "")]
        buttons = [button for reply in unsure for button in reply.get("buttons") or []]
        if buttons:
            break
    assert buttons, "no vague message was offered topics"
    assert 1 <= len(buttons) <= 3
    chosen = buttons[0]
    topic = chosen["payload"][len("/ask_") :]
    assert chosen["title"] == KB.topic_titles[topic]
    reply = text(assistant.ask(f"e2e-fallback-{message}", chosen["payload"]))
    general = next(a for a in KB.answers if a.topic == topic and a.concern == "general")
    assert general.short_answer in reply
    stored = stored_rows(UnansweredRow, assistant.database_url)
    assert any(
        row.sender_id in (f"e2e-fallback-{message}", f"rest:e2e-fallback-{message}")
        and row.text == message
        and topic in json.loads(row.suggested_topics)
        for row in stored
    )


def test_nothing_close_asks_to_rephrase_and_lists_what_it_can_do(assistant):
    # gibberish may also be declined as out of scope; one of these must ask to rephrase
    for message in ["asdfgh", "qwerty uiop", "zxqv blorp wug"]:
        reply = text(assistant.ask(f"e2e-gibberish-{message}", message))
        if "say it another way" in reply:
            break
    assert "say it another way" in reply
    assert "what it costs" in reply
    assert "practitioner" in reply
