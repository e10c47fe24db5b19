"""What the knowledge-base actions share: a lazily created repository."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import KnowledgeRepository, TopicAnswer
from bot.topics import intent_for_topic


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


def utter_sourced_fact(dispatcher: CollectingDispatcher, answer: TopicAnswer) -> None:
    """A knowledge-base answer and its sources, without the general-information reminder."""
    dispatcher.utter_message(
        response="utter_sourced_fact", answer=answer.short_answer, sources=answer.sources_line()
    )
