"""Erasure on request: "delete my data", confirmed with a yes (data/rules.yml).

Thin on purpose: the tracker store deletes the sender's conversation and records when it
saves a tracker whose new events include this action; the action only says so.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.privacy.erasure import ERASE_ACTION


class ActionForgetMe(Action):
    def name(self) -> str:
        return ERASE_ACTION

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_forgot_you")
        return []
