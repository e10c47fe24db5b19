"""'Did this help?' after some answers (when: bot/feedback.py), and the patient's vote."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.feedback import AnswerTurn, should_ask_feedback
from bot.records import record_feedback

logger = logging.getLogger(__name__)

FEEDBACK_QUESTION = "utter_ask_feedback"
# How many knowledge-base answers this conversation has had, the answer the question last
# followed, and the topic it asks about (until the vote, or the next answer).
ANSWER_COUNT_SLOT = "answer_count"
ASKED_AT_SLOT = "feedback_asked_at"
TOPIC_SLOT = "feedback_topic"
AFFIRM_INTENT = "affirm"


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None


def feedback_after_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    topics: list[str],
    *,
    with_options: bool = False,
    personal: bool = False,
) -> list[dict[str, Any]]:
    """Count this answer and, when the rule says so, ask "Did this help?" about its topic."""
    turn = AnswerTurn(
        number=(_number(tracker.get_slot(ANSWER_COUNT_SLOT)) or 0) + 1,
        last_asked_at=_number(tracker.get_slot(ASKED_AT_SLOT)),
        topics=tuple(topics),
        in_self_check=bool(tracker.active_loop_name),
        with_options=with_options,
        personal=personal,
    )
    events = [SlotSet(ANSWER_COUNT_SLOT, turn.number)]
    if not should_ask_feedback(turn):
        return [*events, SlotSet(TOPIC_SLOT, None)]
    dispatcher.utter_message(response=FEEDBACK_QUESTION)
    return [*events, SlotSet(ASKED_AT_SLOT, turn.number), SlotSet(TOPIC_SLOT, topics[-1])]


def feedback_was_asked(tracker: Tracker) -> bool:
    """Whether the assistant's last message was "Did this help?"."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action") == FEEDBACK_QUESTION
    return False


class ActionFeedback(Action):
    """A yes or a no: the vote on the last answer when "Did this help?" was just asked; any
    other yes or no (nothing was asked) gets "what else would you like to know?"."""

    def name(self) -> str:
        return "action_feedback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        topic = tracker.get_slot(TOPIC_SLOT)
        if not topic or not feedback_was_asked(tracker):
            dispatcher.utter_message(response="utter_what_else")
            return [SlotSet(TOPIC_SLOT, None)]
        helpful = (tracker.latest_message.get("intent") or {}).get("name") == AFFIRM_INTENT
        try:
            record_feedback(tracker.sender_id, topic, helpful)
        except SQLAlchemyError:
            logger.exception("Could not store the vote on %r", topic)
        thanks = "utter_feedback_helpful" if helpful else "utter_feedback_not_helpful"
        dispatcher.utter_message(response=thanks)
        return [SlotSet(TOPIC_SLOT, None)]
