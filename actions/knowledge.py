"""What the knowledge-base actions share: a lazily created repository."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from html import escape
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.answer_formats import answer_payload, source_html_links, source_lines, source_names
from bot.knowledge import KnowledgeRepository, TopicAnswer
from bot.topics import TOPICS_WITH_REMINDER, intent_for_topic

# Channels whose clients get the answer's structured payload beside its text (the website
# widget draws the source links from it); `rasa shell` would print it as raw JSON.
STRUCTURED_CHANNELS = ("rest", "socketio")
# How a chat app shows an answer's sources (by input channel); elsewhere, plain names.
SOURCE_FORMATS = {"telegram": source_html_links, "whatsapp": source_lines}
# Where the answer goes as HTML (domain.yml's `telegram` variation), so its text is escaped.
HTML_CHANNELS = ("telegram",)
REMINDER_RESPONSE = "utter_general_information_reminder"
# `rasa shell` turns every message with buttons into a menu that takes over the next input:
# there, actions send no buttons (domain.yml's `queue` variations do the same for responses).
TERMINAL_CHANNEL = "cmdline"


class KnowledgeAction(Action, ABC):
    """An action that reads the knowledge base (injected in tests, from DATABASE_URL otherwise).

    Abstract, so the action server does not register this base class itself.
    """

    def __init__(self, repository: KnowledgeRepository | None = None):
        self._repository = repository

    @abstractmethod
    def name(self) -> str: ...

    def repository(self) -> KnowledgeRepository:
        if self._repository is None:
            self._repository = KnowledgeRepository.from_environment()
        return self._repository


def distinct_answers(
    repository: KnowledgeRepository, topic: str, concerns: list[str]
) -> list[TopicAnswer]:
    """The topic's answer for each concern (or its general one), each text only once."""
    answers: dict[str, TopicAnswer] = {}
    for concern in concerns:
        answer = repository.answer_for(topic, concern)
        if answer is not None:
            answers.setdefault(answer.short_answer, answer)
    return list(answers.values())


def topic_buttons(topics: list[str], titles: dict[str, str]) -> list[dict[str, str]]:
    """One button per topic: its patient-facing title, asking its question when pressed."""
    return [{"title": titles.get(t, t), "payload": f"/{intent_for_topic(t)}"} for t in topics]


@dataclass(frozen=True)
class AnswerWriter:
    """Sends knowledge-base answers as one message each: the text, its sources in the form
    the person's channel can show (domain.yml's channel variations pick one), and a one-line
    reminder under answers about risks."""

    dispatcher: CollectingDispatcher
    channel: str | None = None
    reminder: str = ""

    @classmethod
    def for_turn(
        cls, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> AnswerWriter:
        variations = (domain.get("responses") or {}).get(REMINDER_RESPONSE) or [{}]
        return cls(dispatcher, tracker.get_latest_input_channel(), variations[0].get("text", ""))

    def answer(
        self, text: str, answer: TopicAnswer, buttons: list[dict[str, str]] | None = None
    ) -> None:
        remind = answer.topic in TOPICS_WITH_REMINDER and self.reminder
        self._send("utter_kb_answer", text, answer, buttons, f"\n{self.reminder}" if remind else "")

    def fact(self, answer: TopicAnswer) -> None:
        """A fact inside a red-flag reply, a personal answer or the self-check's points: the
        reply around it says what to do, so no reminder."""
        self._send("utter_sourced_fact", answer.short_answer, answer)

    def _send(
        self,
        response: str,
        text: str,
        answer: TopicAnswer,
        buttons: list[dict[str, str]] | None = None,
        reminder: str = "",
    ) -> None:
        structured = self.channel in STRUCTURED_CHANNELS
        as_html = self.channel in HTML_CHANNELS
        show_sources = SOURCE_FORMATS.get(self.channel or "", source_names)
        # Rasa keeps these values with the message in the tracker: only what this channel shows
        self.dispatcher.utter_message(
            response=response,
            answer=escape(text) if as_html else text,
            sources=show_sources(answer.sources),
            reminder=escape(reminder) if as_html else reminder,
            buttons=buttons,
            # socket.io sends a custom message's `data` as the event's body
            json_message=(
                {"data": answer_payload(answer.topic, text, answer.sources)} if structured else None
            ),
        )
