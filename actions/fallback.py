"""When the classifier is unsure: offer the closest knowledge-base topics, or ask to rephrase."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import KnowledgeAction
from bot.knowledge import KnowledgeBaseUnavailable
from bot.search import TopicSearch
from bot.topics import intent_for_topic
from bot.training_data import ProjectFiles
from bot.unanswered import record_unanswered

logger = logging.getLogger(__name__)


class ActionSuggestTopics(KnowledgeAction):
    _search: TopicSearch | None = None

    def name(self) -> str:
        return "action_suggest_topics"

    def search(self) -> TopicSearch:
        if self._search is None:
            answers = [
                (a.topic, f"{a.short_answer} {a.details or ''}")
                for a in self.repository().all_answers()
            ]
            self._search = TopicSearch.from_sources(ProjectFiles().nlu_examples(), answers)
        return self._search

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        try:
            matches = self.search().closest(text)
            titles = self.repository().topic_titles()
        except KnowledgeBaseUnavailable:
            logger.exception("Knowledge base unavailable while searching for %r", text)
            matches, titles = [], {}
        record_unanswered(text, [match.topic for match in matches])
        if not matches:
            dispatcher.utter_message(response="utter_please_rephrase")
            return []
        buttons = [
            {"title": titles.get(m.topic, m.topic), "payload": f"/{intent_for_topic(m.topic)}"}
            for m in matches
        ]
        dispatcher.utter_message(response="utter_suggest_topics", buttons=buttons)
        return []
