"""A reply that is only a number ("2") picks from the options last shown.

Where options are a numbered list instead of buttons (`rasa shell`), this is how a person
picks one: the options are the buttons of the last response (domain.yml, its variation
without a channel) or the `menu` an action stored with its message.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion
from bot.chat_apps import menu_choice
from bot.topics import topics_for_intent

# What an option that is not a topic runs (the same as the rule for its intent).
OPTION_ACTIONS = {"request_human": "action_handoff"}


def last_options(tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, str]]:
    """The options of the assistant's last message: its stored menu, or its buttons."""
    for event in reversed(tracker.events):
        if event.get("event") != "bot":
            continue
        metadata = event.get("metadata") or {}
        if metadata.get("menu"):
            return list(metadata["menu"])
        variations = (domain.get("responses") or {}).get(metadata.get("utter_action"), [])
        default = next((v for v in variations if not v.get("channel")), {})
        return list(default.get("buttons") or [])
    return []


class ActionChooseOption(ActionAnswerQuestion):
    def name(self) -> str:
        return "action_choose_option"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        options = [(o["title"], o["payload"]) for o in last_options(tracker, domain)]
        payload = menu_choice(tracker.latest_message.get("text") or "", options)
        intent = payload.lstrip("/") if payload else None
        if intent and topics_for_intent(intent):
            return self.answer(dispatcher, tracker, domain, intent, ranking=[])
        if intent in OPTION_ACTIONS:
            return [FollowupAction(OPTION_ACTIONS[intent])]
        dispatcher.utter_message(response="utter_no_such_option")
        return []
