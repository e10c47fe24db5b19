"""Answer knowledge-base topics: the question asked, and "tell me more" about the last one."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import advice_subjects, personal_advice, utter_personal_advice
from actions.feedback import feedback_after_answer
from actions.knowledge import TERMINAL_CHANNEL, AnswerWriter, KnowledgeAction, topic_buttons
from bot.knowledge import KnowledgeBaseUnavailable
from bot.suggestions import related_topics
from bot.topics import topics_for_intent
from bot.vocabulary import project_vocabulary

logger = logging.getLogger(__name__)


def concern_of(tracker: Tracker) -> str | None:
    return project_vocabulary().concern_for(
        tracker.get_slot("concern"), tracker.get_slot("body_area")
    )


class ActionAnswerQuestion(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        ranking = tracker.latest_message.get("intent_ranking") or []
        return self.answer(dispatcher, tracker, domain, intent, ranking)

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
        intent: str | None,
        ranking: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Answer the topics of `intent`; the runners-up in `ranking` become buttons."""
        concern = concern_of(tracker)
        topics = project_vocabulary().answering_topics(topics_for_intent(intent), concern)
        subjects = advice_subjects(tracker)
        in_terminal = tracker.get_latest_input_channel() == TERMINAL_CHANNEL
        related = [] if in_terminal else related_topics(ranking, topics)
        try:
            answers = [self.repository().answer_for(topic, concern) for topic in topics]
            advice = personal_advice(self.repository(), subjects)
            buttons = topic_buttons(related, self.repository().topic_titles())
        except KnowledgeBaseUnavailable:
            logger.exception("Knowledge base unavailable while answering %r", topics)
            answers = []
        if not answers or None in answers:
            logger.error("No knowledge-base answer for intent %r (topics %r)", intent, topics)
            dispatcher.utter_message(response="utter_answer_unavailable")
            return []
        writer = AnswerWriter.for_turn(dispatcher, tracker, domain)
        for answer in answers[:-1]:
            writer.answer(answer.short_answer, answer)
        # not sure enough to answer only this: the runners-up as buttons under the answer
        writer.answer(answers[-1].short_answer, answers[-1], buttons or None)
        if subjects:
            utter_personal_advice(writer, advice)
        feedback = feedback_after_answer(
            dispatcher, tracker, topics, with_options=bool(buttons), personal=bool(subjects)
        )
        return [SlotSet("last_topic", topics[-1]), SlotSet("concern", concern), *feedback]


class ActionTellMeMore(KnowledgeAction):
    def name(self) -> str:
        return "action_tell_me_more"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        topic = tracker.get_slot("last_topic")
        if not topic:
            dispatcher.utter_message(response="utter_ask_which_topic")
            return []
        try:
            answer = self.repository().answer_for(topic, concern_of(tracker))
            general = self.repository().answer_for(topic)
        except KnowledgeBaseUnavailable:
            logger.exception("Knowledge base unavailable while telling more about %r", topic)
            dispatcher.utter_message(response="utter_answer_unavailable")
            return []
        chosen = next((a for a in (answer, general) if a and a.details), None)
        if chosen is None:
            dispatcher.utter_message(response="utter_no_more_details")
            return []
        AnswerWriter.for_turn(dispatcher, tracker, domain).answer(chosen.details, chosen)
        return []
