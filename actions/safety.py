"""Safety replies: red flags, a person when wanted, and the opening notice of a conversation."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import KnowledgeAction, distinct_answers, utter_sourced_fact
from bot.clinic import ClinicSettings
from bot.knowledge import KnowledgeBaseUnavailable
from bot.safety.red_flags import RED_FLAG_ENTITY, project_detector
from bot.topics import RED_FLAG_TOPIC

logger = logging.getLogger(__name__)

GENERAL_RED_FLAG = "general"


@lru_cache(maxsize=1)
def clinic() -> ClinicSettings:
    return ClinicSettings.load()


def red_flag_groups(tracker: Tracker) -> list[str]:
    """The groups the red-flag check found in the latest message, most urgent first."""
    return [
        entity["value"]
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == RED_FLAG_ENTITY
    ]


class ActionRedFlag(KnowledgeAction):
    """What to do now (by urgency), why (from the knowledge base), then the clinic's contact."""

    def name(self) -> str:
        return "action_red_flag"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        known = project_detector().groups
        groups = [group for group in red_flag_groups(tracker) if group in known]
        urgency = known[groups[0]].urgency if groups else "emergency"
        settings = clinic().as_template_values()
        dispatcher.utter_message(response=f"utter_red_flag_{urgency}", **settings)
        if urgency != "crisis":
            self._explain(dispatcher, groups or [GENERAL_RED_FLAG])
        dispatcher.utter_message(response="utter_clinic_contact", **settings)
        return []

    def _explain(self, dispatcher: CollectingDispatcher, groups: list[str]) -> None:
        try:
            answers = distinct_answers(self.repository(), RED_FLAG_TOPIC, groups)
        except KnowledgeBaseUnavailable:
            # the advice to get help has gone out already; only the explanation is missing
            logger.exception("Knowledge base unavailable while explaining red flags %r", groups)
            return
        for answer in answers:
            utter_sourced_fact(dispatcher, answer)


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
