"""Answer a recognised topic from the knowledge-base database."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import KnowledgeBaseUnavailable, KnowledgeRepository
from bot.topics import topic_for_intent
from bot.vocabulary import project_vocabulary

logger = logging.getLogger(__name__)


class ActionAnswerQuestion(Action):
    def __init__(self, repository: KnowledgeRepository | None = None):
        self._repository = repository

    def name(self) -> str:
        return "action_answer_question"

    def repository(self) -> KnowledgeRepository:
        if self._repository is None:
            self._repository = KnowledgeRepository.from_environment()
        return self._repository

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = topic_for_intent(intent)
        concern = project_vocabulary().concern_for(
            tracker.get_slot("concern"), tracker.get_slot("body_area")
        )
        try:
            answer = self.repository().answer_for(topic, concern) if topic else None
        except KnowledgeBaseUnavailable:
            logger.exception("Knowledge base unavailable while answering topic %r", topic)
            answer = None
        else:
            if answer is None:
                logger.error("No knowledge-base answer for intent %r (topic %r)", intent, topic)
        if answer is None:
            dispatcher.utter_message(response="utter_answer_unavailable")
            return []
        dispatcher.utter_message(
            response="utter_kb_answer", answer=answer.short_answer, sources=answer.sources_line()
        )
        return [SlotSet("last_topic", topic), SlotSet("concern", concern)]
