"""Red-flag, personal-advice, self-check, hand-off and session-start actions."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion
from actions.safety import (
    ActionDangerSignsAnswer,
    ActionHandoff,
    ActionRedFlag,
    ActionSessionStart,
    clinic,
)
from actions.self_check import ActionSelfCheckSummary, ActionStopSelfCheck, self_check_slots
from bot.knowledge import KnowledgeRepository
from bot.knowledge.database import create_knowledge_engine
from tests.test_actions import DOMAIN, render

CHECK_SLOTS = self_check_slots(DOMAIN)


def tracker_with(entities=(), intent="x", **slots) -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots={"concern": None, "body_area": None, **dict.fromkeys(CHECK_SLOTS), **slots},
        latest_message={"text": "a message", "intent": {"name": intent}, "entities": [*entities]},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def flags(*groups):
    return [{"entity": "red_flag", "value": group} for group in groups]


def responses(dispatcher):
    return [message["response"] for message in dispatcher.messages]


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, DOMAIN)
    return dispatcher, events


def test_an_emergency_says_what_to_do_now_first_then_why_then_the_clinic(real_repository):
    dispatcher, _ = run(ActionRedFlag(real_repository), tracker_with(flags("anaphylaxis")))

    assert responses(dispatcher) == [
        "utter_red_flag_emergency",
        "utter_sourced_fact",
        "utter_clinic_contact",
    ]
    first, advice, contact = (render(m) for m in dispatcher.messages)
    assert "911" in first and "112" in first
    assert advice.startswith(real_repository.answer_for("red_flag", "anaphylaxis").short_answer)
    assert "Sources:" in advice
    assert clinic().phone in contact


def test_an_infection_sends_to_a_doctor_today(real_repository):
    dispatcher, _ = run(ActionRedFlag(real_repository), tracker_with(flags("infection")))
    assert responses(dispatcher)[0] == "utter_red_flag_doctor_today"


def test_self_harm_gets_the_crisis_reply_and_no_medical_answer(real_repository):
    dispatcher, _ = run(ActionRedFlag(real_repository), tracker_with(flags("self_harm")))
    assert responses(dispatcher) == ["utter_red_flag_crisis", "utter_clinic_contact"]
    assert clinic().crisis_line in render(dispatcher.messages[0])


def test_several_groups_keep_the_most_urgent_first_and_explain_each(real_repository):
    tracker = tracker_with(flags("chest_pain", "infection"))
    dispatcher, _ = run(ActionRedFlag(real_repository), tracker)
    assert responses(dispatcher) == [
        "utter_red_flag_emergency",
        "utter_sourced_fact",
        "utter_sourced_fact",
        "utter_clinic_contact",
    ]


def test_the_emergency_advice_goes_out_even_when_the_database_is_down(tmp_path: Path, caplog):
    engine = create_knowledge_engine(f"sqlite:///{tmp_path / 'nowhere' / 'kb.db'}")
    with caplog.at_level(logging.ERROR):
        dispatcher, _ = run(
            ActionRedFlag(KnowledgeRepository(engine)), tracker_with(flags("vision_change"))
        )
    assert responses(dispatcher) == ["utter_red_flag_emergency", "utter_clinic_contact"]
    assert "Knowledge base unavailable" in caplog.text


@pytest.mark.parametrize(
    "entities, expected_concern",
    [
        ([{"entity": "medicine", "value": "blood_thinners"}], "blood_thinners"),
        ([{"entity": "condition", "value": "pregnancy"}], "pregnancy"),
        ([{"entity": "dose", "value": "dose"}], "dose"),
    ],
)
def test_personal_questions_get_the_answer_general_facts_then_the_practitioner_decides(
    real_repository, entities, expected_concern
):
    tracker = tracker_with(entities, intent="ask_candidates")
    dispatcher, _ = run(ActionAnswerQuestion(real_repository), tracker)

    assert responses(dispatcher) == [
        "utter_kb_answer",
        "utter_sourced_fact",
        "utter_practitioner_decides",
    ]
    facts = real_repository.answer_for("personal_advice", expected_concern)
    assert dispatcher.messages[1]["answer"] == facts.short_answer
    text = " ".join(render(m) for m in dispatcher.messages).lower()
    assert "practitioner must decide" in text
    assert not any(phrase in text for phrase in ("yes, you can", "you are eligible", " mg"))


def test_a_question_naming_no_condition_gets_no_personal_advice(real_repository):
    dispatcher, _ = run(ActionAnswerQuestion(real_repository), tracker_with(intent="ask_cost"))
    assert responses(dispatcher) == ["utter_kb_answer"]


def test_the_self_check_lists_points_for_each_yes_once_and_clears_the_answers(
    real_repository,
):
    tracker = tracker_with(check_pregnancy=True, check_diabetes=True, check_heart_disease=True)
    dispatcher, events = run(ActionSelfCheckSummary(real_repository), tracker)

    assert responses(dispatcher) == [
        "utter_self_check_points",
        "utter_sourced_fact",  # pregnancy
        "utter_sourced_fact",  # diabetes and heart disease share one answer
        "utter_self_check_done",
    ]
    assert dispatcher.messages[1]["answer"] == (
        real_repository.answer_for("personal_advice", "pregnancy").short_answer
    )
    assert all(SlotSet(name, None) in events for name in CHECK_SLOTS)
    text = " ".join(render(m) for m in dispatcher.messages).lower()
    assert "eligible" not in text and "you can have it" not in text


def test_all_no_never_says_it_is_safe_for_you(real_repository):
    tracker = tracker_with(**dict.fromkeys(CHECK_SLOTS, False))
    dispatcher, _ = run(ActionSelfCheckSummary(real_repository), tracker)
    assert responses(dispatcher) == ["utter_self_check_no_points", "utter_self_check_done"]
    assert "does not mean" in render(dispatcher.messages[0])


def test_stopping_the_self_check_clears_every_answer():
    dispatcher, events = run(ActionStopSelfCheck(), tracker_with(check_cancer=True))
    assert responses(dispatcher) == ["utter_self_check_stopped"]
    assert SlotSet("check_cancer", None) in events
    assert SlotSet("requested_slot", None) in events


def test_the_self_check_asks_about_ten_questions():
    assert len(DOMAIN["forms"]["self_check_form"]["required_slots"]) == 10
    assert set(DOMAIN["forms"]["self_check_form"]["required_slots"]) == set(CHECK_SLOTS)


def test_handoff_gives_the_clinic_contact_and_booking_link():
    dispatcher, _ = run(ActionHandoff(), tracker_with())
    text = render(dispatcher.messages[0])
    assert clinic().booking_url in text and clinic().phone in text


def test_every_conversation_opens_with_the_automated_assistant_notice():
    dispatcher, events = run(ActionSessionStart(), tracker_with())
    assert responses(dispatcher) == ["utter_session_notice"]
    notice = render(dispatcher.messages[0])
    assert "automated assistant" in notice and "not medical advice" in notice
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


def test_every_response_the_safety_actions_use_is_in_the_domain():
    used = {
        "utter_red_flag_emergency",
        "utter_red_flag_doctor_today",
        "utter_red_flag_crisis",
        "utter_sourced_fact",
        "utter_clinic_contact",
        "utter_handoff",
        "utter_practitioner_decides",
        "utter_self_check_points",
        "utter_self_check_no_points",
        "utter_self_check_done",
        "utter_self_check_stopped",
        "utter_session_notice",
    }
    assert used <= set(DOMAIN["responses"])


def possible(*groups):
    return [{"entity": "possible_red_flag", "value": group} for group in groups]


def test_an_unsure_red_flag_asks_one_yes_no_question_about_the_danger_signs(real_repository):
    dispatcher, events = run(ActionRedFlag(real_repository), tracker_with(possible("anaphylaxis")))

    assert responses(dispatcher) == ["utter_ask_danger_signs"]
    assert "breathing" in render(dispatcher.messages[0])
    assert [b["payload"] for b in DOMAIN["responses"]["utter_ask_danger_signs"][0]["buttons"]] == [
        "/affirm",
        "/deny",
    ]
    assert events == [SlotSet("possible_red_flag", "anaphylaxis")]


def test_a_certain_red_flag_beside_an_unsure_one_escalates_at_once(real_repository):
    tracker = tracker_with([*flags("infection"), *possible("anaphylaxis")])
    dispatcher, events = run(ActionRedFlag(real_repository), tracker)
    assert responses(dispatcher)[0] == "utter_red_flag_doctor_today"
    assert events == [SlotSet("possible_red_flag", None)]


def test_yes_to_the_danger_sign_question_gets_that_groups_red_flag_reply(real_repository):
    tracker = tracker_with(intent="affirm", possible_red_flag="anaphylaxis")
    dispatcher, events = run(ActionDangerSignsAnswer(real_repository), tracker)
    assert responses(dispatcher) == [
        "utter_red_flag_emergency",
        "utter_sourced_fact",
        "utter_clinic_contact",
    ]
    assert events == [SlotSet("possible_red_flag", None)]


def test_yes_to_the_question_with_no_group_known_also_gives_the_crisis_line(real_repository):
    tracker = tracker_with(intent="affirm", possible_red_flag="general")
    dispatcher, _ = run(ActionDangerSignsAnswer(real_repository), tracker)
    assert responses(dispatcher)[:2] == ["utter_red_flag_emergency", "utter_crisis_line_too"]
    assert clinic().crisis_line in render(dispatcher.messages[1])
    assert "harming yourself" in DOMAIN["responses"]["utter_ask_danger_signs"][0]["text"]


def test_no_to_the_danger_sign_question_gets_the_common_effects_calmly(real_repository):
    tracker = tracker_with(intent="deny", possible_red_flag="general")
    dispatcher, _ = run(ActionDangerSignsAnswer(real_repository), tracker)
    assert responses(dispatcher) == ["utter_danger_signs_absent", "utter_kb_answer"]
    assert dispatcher.messages[1]["answer"] == (
        real_repository.answer_for("side_effects").short_answer
    )
    assert not any("emergency" in render(m).lower() for m in dispatcher.messages)


def test_a_yes_when_nothing_was_asked_is_a_stray_yes(real_repository):
    dispatcher, _ = run(ActionDangerSignsAnswer(real_repository), tracker_with(intent="affirm"))
    assert responses(dispatcher) == ["utter_what_else"]


def test_the_nerve_group_has_its_own_explanation_with_its_own_source(real_repository):
    dispatcher, _ = run(ActionRedFlag(real_repository), tracker_with(flags("nerve")))
    assert responses(dispatcher)[0] == "utter_red_flag_doctor_today"
    nerve = real_repository.answer_for("red_flag", "nerve")
    assert nerve.short_answer != real_repository.answer_for("red_flag").short_answer
    assert "smile" in nerve.short_answer and "swallowing" in nerve.short_answer
    assert dispatcher.messages[1]["answer"] == nerve.short_answer
