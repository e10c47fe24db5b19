"""When the classifier is unsure: offer the closest knowledge-base topics, or ask to rephrase."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.knowledge import TERMINAL_CHANNEL, KnowledgeAction, topic_buttons
from bot.chat_apps import numbered_menu
from bot.knowledge import KnowledgeBaseUnavailable
from bot.records import record_unanswered
from bot.search import TopicSearch
from bot.suggestions import closest_topics

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
            examples = self.repository().topic_examples()
            self._search = TopicSearch.from_sources(examples, answers)
        return self._search

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        ranking = tracker.latest_message.get("intent_ranking") or []
        try:
            topics = closest_topics(text, ranking, self.search())
            titles = self.repository().topic_titles()
        except KnowledgeBaseUnavailable:
            logger.exception("Knowledge base unavailable while searching for %r", text)
            topics, titles = [], {}
        try:
            # redacted before it is stored; kept with the sender id, so erasure finds it
            record_unanswered(tracker.sender_id, text, topics)
        except SQLAlchemyError:
            logger.exception("Could not store the unanswered question")
        if not topics:
            dispatcher.utter_message(response="utter_please_rephrase")
            return []
        buttons = topic_buttons(topics, titles)
        in_terminal = tracker.get_latest_input_channel() == TERMINAL_CHANNEL
        dispatcher.utter_message(
            response="utter_suggest_topics",
            # the shell shows the titles as a numbered list; "2" picks from `menu`
            options=numbered_menu("", [button["title"] for button in buttons]),
            menu=buttons,
            buttons=None if in_terminal else buttons,
        )
        return []
