"""The self-check form (questions in knowledge/self_check.yml, bot/self_check.py): its answers
from yes and no, its ending (points to raise with a practitioner), and clearing the answers."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions.knowledge import AnswerWriter, KnowledgeAction, distinct_answers
from bot.knowledge import KnowledgeBaseUnavailable
from bot.self_check import ANSWERS, FORM_NAME, project_self_check
from bot.topics import ADVICE_TOPIC

logger = logging.getLogger(__name__)


def self_check_slots(domain: dict[str, Any]) -> list[str]:
    """The answers' slots: the form's required slots (generated from the questions)."""
    return list(domain.get("forms", {}).get(FORM_NAME, {}).get("required_slots", []))


def cleared_self_check(domain: dict[str, Any]) -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in self_check_slots(domain)] + [
        SlotSet(REQUESTED_SLOT, None)
    ]


class ValidateSelfCheckForm(FormValidationAction):
    """A yes or a no answers the question asked. Anything else fills nothing, so the form
    steps aside and the rules decide: a question answered in between, stop, a red flag."""

    def name(self) -> str:
        return f"validate_{FORM_NAME}"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        asked = tracker.get_slot(REQUESTED_SLOT)
        answer = ANSWERS.get((tracker.latest_message.get("intent") or {}).get("name"))
        if answer is None or asked not in self.domain_slots(domain):
            return []
        return [SlotSet(asked, answer)]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A yes or a no is valid as it is (rasa-sdk would warn for each answer that there is
        no validate_<slot> method)."""
        answers = tracker.slots_to_validate()
        slots = self.domain_slots(domain)
        return [SlotSet(name, value) for name, value in answers.items() if name in slots]


class ActionSelfCheckSummary(KnowledgeAction):
    """The points to raise with a practitioner; never a verdict. Then the answers are cleared."""

    def name(self) -> str:
        return "action_self_check_summary"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        concerns = project_self_check().concerns_for(tracker.slots)
        try:
            points = distinct_answers(self.repository(), ADVICE_TOPIC, concerns)
        except KnowledgeBaseUnavailable:
            logger.exception("Knowledge base unavailable for the self-check summary")
            points = []
        if concerns:
            dispatcher.utter_message(response="utter_self_check_points")
            writer = AnswerWriter.for_turn(dispatcher, tracker, domain)
            for point in points:
                writer.fact(point)
        else:
            dispatcher.utter_message(response="utter_self_check_no_points")
        dispatcher.utter_message(response="utter_self_check_done")
        return cleared_self_check(domain)


class ActionStopSelfCheck(Action):
    def name(self) -> str:
        return "action_stop_self_check"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_self_check_stopped")
        return cleared_self_check(domain)
