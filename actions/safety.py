"""Safety replies: red flags, a person when wanted, and the opening notice of a conversation."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import AnswerWriter, KnowledgeAction, distinct_answers
from bot.clinic import ClinicSettings
from bot.knowledge import KnowledgeBaseUnavailable
from bot.safety.red_flags import (
    GENERAL_RED_FLAG,
    POSSIBLE_RED_FLAG_ENTITY,
    RED_FLAG_ENTITY,
    project_detector,
)
from bot.topics import RED_FLAG_TOPIC

logger = logging.getLogger(__name__)

# The group the danger-sign question was asked about, until it is answered.
POSSIBLE_RED_FLAG_SLOT = "possible_red_flag"
AFFIRM_INTENT = "affirm"
# Answered after "no" to the danger-sign question: what is common, and fades.
COMMON_EFFECTS_TOPIC = "side_effects"


@lru_cache(maxsize=1)
def clinic() -> ClinicSettings:
    return ClinicSettings.load()


def red_flag_groups(tracker: Tracker, entity: str = RED_FLAG_ENTITY) -> list[str]:
    """The groups the red-flag check found in the latest message, most urgent first."""
    return [
        found["value"]
        for found in tracker.latest_message.get("entities") or []
        if found.get("entity") == entity
    ]


class ActionRedFlag(KnowledgeAction):
    """What to do now (by urgency), why (from the knowledge base), then the clinic's contact.

    When the check was unsure (only `possible_red_flag` entities), one yes/no question about
    the danger signs instead; ActionDangerSignsAnswer takes the answer."""

    def name(self) -> str:
        return "action_red_flag"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        possible = red_flag_groups(tracker, POSSIBLE_RED_FLAG_ENTITY)
        if possible and not red_flag_groups(tracker):
            dispatcher.utter_message(response="utter_ask_danger_signs")
            return [SlotSet(POSSIBLE_RED_FLAG_SLOT, possible[0])]
        self.escalate(AnswerWriter.for_turn(dispatcher, tracker, domain), red_flag_groups(tracker))
        return [SlotSet(POSSIBLE_RED_FLAG_SLOT, None)]

    def escalate(self, writer: AnswerWriter, found: list[str]) -> None:
        dispatcher = writer.dispatcher
        known = project_detector().groups
        groups = [group for group in found if group in known]
        urgency = known[groups[0]].urgency if groups else "emergency"
        settings = clinic().as_template_values()
        dispatcher.utter_message(response=f"utter_red_flag_{urgency}", **settings)
        if not groups:
            dispatcher.utter_message(response="utter_crisis_line_too", **settings)
        if urgency != "crisis":
            self._explain(writer, groups or [GENERAL_RED_FLAG])
        dispatcher.utter_message(response="utter_clinic_contact", **settings)

    def _explain(self, writer: AnswerWriter, groups: list[str]) -> None:
        try:
            answers = distinct_answers(self.repository(), RED_FLAG_TOPIC, groups)
        except KnowledgeBaseUnavailable:
            # the advice to get help has gone out already; only the explanation is missing
            logger.exception("Knowledge base unavailable while explaining red flags %r", groups)
            return
        for answer in answers:
            writer.fact(answer)


class ActionDangerSignsAnswer(ActionRedFlag):
    """Yes to the danger-sign question: the red-flag reply. No: common effects, calmly, and
    the signs to watch for. Any other yes or no (nothing was asked): what else to ask."""

    def name(self) -> str:
        return "action_danger_signs_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        group = tracker.get_slot(POSSIBLE_RED_FLAG_SLOT)
        writer = AnswerWriter.for_turn(dispatcher, tracker, domain)
        if not group:
            dispatcher.utter_message(response="utter_what_else")
        elif tracker.latest_message.get("intent", {}).get("name") == AFFIRM_INTENT:
            self.escalate(writer, [group])
        else:
            dispatcher.utter_message(response="utter_danger_signs_absent")
            self._common_effects(writer)
        return [SlotSet(POSSIBLE_RED_FLAG_SLOT, None)]

    def _common_effects(self, writer: AnswerWriter) -> None:
        try:
            answer = self.repository().answer_for(COMMON_EFFECTS_TOPIC)
        except KnowledgeBaseUnavailable:
            logger.exception("Knowledge base unavailable after the danger-sign question")
            return
        if answer:
            writer.answer(answer.short_answer, answer)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_handoff", **clinic().as_template_values())
        return []


class ActionSessionStart(Action):
    """Every conversation opens by saying what MesoGuide is: automated, general, not advice."""

    def name(self) -> str:
        return "action_session_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_session_notice")
        # nothing is carried over: the self-check's answers must not outlive a conversation
        return [SessionStarted(), ActionExecuted("action_listen")]
