"""End to end over REST: red flags first, personal questions, the self-check, scope, hand-off."""

from __future__ import annotations

import pytest

from bot.clinic import ClinicSettings
from tests.e2e.replies import texts

pytestmark = pytest.mark.e2e

CLINIC = ClinicSettings.load(environ={})
NOTICE = "automated assistant"


def after_notice(replies: list[str]) -> list[str]:
    """The replies after the session-opening notice (sent before a new sender's first reply)."""
    return [text for text in replies if NOTICE not in text or "not a doctor" not in text]


@pytest.mark.parametrize(
    "group, message, first_words",
    [
        ("anaphylaxis", "my tongue is swelling and i can't breathe", "call emergency services"),
        ("chest_pain", "i have bad chest pain since the injections", "call emergency services"),
        ("vision_change", "my vision went blurry in one eye after the shots", "emergency"),
        ("blocked_vessel", "the skin went white and it hurts so much", "emergency"),
        ("infection", "i have a fever and pus coming from the spots", "see a doctor today"),
        ("necrosis", "the skin where they injected is turning black", "emergency"),
        ("delayed_infection", "painful lumps 5 weeks after meso", "see a doctor today"),
        ("self_harm", "i want to kill myself", CLINIC.crisis_line),
        ("nerve", "my smile is lopsided since the chin fat injections", "see a doctor today"),
    ],
)
def test_each_red_flag_group_is_escalated_first(assistant, group, message, first_words):
    replies = after_notice(texts(assistant.ask(f"e2e-flag-{group}", message)))
    assert first_words.lower() in replies[0].lower()
    assert CLINIC.emergency_numbers in replies[0]
    assert CLINIC.phone in replies[-1]


def test_indirect_suicidal_talk_inside_a_price_question_gets_the_crisis_reply(assistant):
    message = "how much is the next session? if it fails i'm ending it all"
    replies = after_notice(texts(assistant.ask("e2e-flag-crisis-price", message)))
    assert CLINIC.crisis_line in replies[0]
    assert "USD" not in " ".join(replies)


def test_an_unsure_message_gets_one_danger_sign_question_then_yes_or_no(assistant):
    question = after_notice(texts(assistant.ask("e2e-unsure-yes", "my lips are a little puffy")))
    assert len(question) == 1 and "any of these right now" in question[0]
    assert "emergency services:" not in question[0]
    replies = texts(assistant.ask("e2e-unsure-yes", "yes"))
    assert "call emergency services" in replies[0].lower()

    assistant.ask("e2e-unsure-no", "my lips are a little puffy")
    replies = texts(assistant.ask("e2e-unsure-no", "no"))
    assert "emergency services:" not in " ".join(replies)
    assert "Sources:" in " ".join(replies)


def test_a_red_flag_inside_another_question_still_escalates_first(assistant):
    message = "how much does a session cost? also my throat is closing up"
    replies = after_notice(texts(assistant.ask("e2e-flag-mixed", message)))
    assert "call emergency services" in replies[0].lower()


@pytest.mark.parametrize(
    "message",
    ["a little bruising and mild redness, is that normal?", "no fever, no pus, just a bit red"],
)
def test_expected_effects_get_the_normal_answer_not_an_alarm(assistant, message):
    replies = " ".join(texts(assistant.ask("e2e-calm", message)))
    assert "emergency services:" not in replies
    assert "Sources:" in replies


def test_the_first_message_says_what_mesoguide_is(assistant):
    replies = texts(assistant.ask("e2e-first", "hi"))
    assert NOTICE in replies[0] and "not medical advice" in replies[0]


@pytest.mark.parametrize(
    "message, fact",
    [
        ("I take warfarin, can I get mesotherapy?", "bruising and bleeding"),
        ("I'm pregnant, can I have it?", "pregnancy"),
        ("what dose should they inject in my face?", "no standard mix or dose"),
    ],
)
def test_personal_questions_get_facts_and_the_practitioner_decides(assistant, message, fact):
    replies = " ".join(texts(assistant.ask(f"e2e-advice-{fact}", message)))
    assert fact in replies
    assert "practitioner must decide" in replies
    assert "yes, you can" not in replies.lower()


def test_out_of_scope_is_declined_with_topic_buttons(assistant):
    replies = assistant.ask("e2e-scope-buttons", "what's the weather in paris tomorrow?")
    decline = next(
        r for r in replies if "only help with questions about mesotherapy" in (r.get("text") or "")
    )
    assert {"/ask_what_is", "/ask_cost", "/request_human"} <= {
        b["payload"] for b in decline["buttons"]
    }


def test_talk_to_a_person_gives_the_clinic_contact(assistant):
    replies = " ".join(texts(assistant.ask("e2e-human", "can I talk to a real person?")))
    assert CLINIC.phone in replies and CLINIC.booking_url in replies


def answer_self_check(assistant, sender: str, answers: list[str]) -> list[str]:
    replies: list[str] = []
    for reply in answers:
        replies = texts(assistant.ask(sender, reply))
    return replies


def test_the_self_check_is_offered_and_ends_with_points_never_a_verdict(assistant):
    offer = assistant.ask("e2e-check", "who should not get mesotherapy?")
    assert any(r.get("buttons") and "self-check" in (r.get("text") or "") for r in offer)
    assert any("asks 10 yes or no questions" in (r.get("text") or "") for r in offer)
    first = texts(assistant.ask("e2e-check", "/start_self_check"))
    assert any("Here are 10 short questions" in text for text in first)
    assert any("1 of 10" in text for text in first)
    end = answer_self_check(assistant, "e2e-check", ["yes"] + ["no"] * 9)
    joined = " ".join(end)
    assert "raise these points" in joined and "pregnancy" in joined
    assert "eligible" not in joined.lower()
    assert "I have not kept your answers" in joined


def test_the_self_check_can_be_stopped_halfway(assistant):
    assistant.ask("e2e-check-stop", "/start_self_check")
    answer_self_check(assistant, "e2e-check-stop", ["no", "no", "no"])
    replies = " ".join(texts(assistant.ask("e2e-check-stop", "stop")))
    assert "stopped the self-check" in replies
    replies = " ".join(texts(assistant.ask("e2e-check-stop", "how much does it cost?")))
    assert "USD 250" in replies and "of 10" not in replies


def test_a_question_in_the_middle_of_the_self_check_is_answered_then_it_goes_on(assistant):
    assistant.ask("e2e-check-ask", "/start_self_check")
    assistant.ask("e2e-check-ask", "no")
    replies = " ".join(texts(assistant.ask("e2e-check-ask", "does it hurt?")))
    assert "Sources:" in replies and "2 of 10" in replies
