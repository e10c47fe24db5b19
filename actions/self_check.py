"""The self-check form's ending: points to raise with a practitioner, and clearing the answers."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import AnswerWriter, KnowledgeAction, distinct_answers
from bot.knowledge import KnowledgeBaseUnavailable
from bot.topics import ADVICE_TOPIC

logger = logging.getLogger(__name__)

# check_<concern> slots; <concern> names the personal_advice answer to show for a "yes".
SELF_CHECK_SLOT_PREFIX = "check_"


def self_check_slots(domain: dict[str, Any]) -> list[str]:
    return [name for name in domain.get("slots", {}) if name.startswith(SELF_CHECK_SLOT_PREFIX)]


def cleared_self_check(domain: dict[str, Any]) -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in self_check_slots(domain)] + [
        SlotSet("requested_slot", None)
    ]


class ActionSelfCheckSummary(KnowledgeAction):
    """The points to raise with a practitioner; never a verdict. Then the answers are cleared."""

    def name(self) -> str:
        return "action_self_check_summary"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        concerns = [
            name[len(SELF_CHECK_SLOT_PREFIX) :]
            for name in self_check_slots(domain)
            if tracker.get_slot(name) is True
        ]
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
