"""What the knowledge-base actions share: a lazily created repository."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action

from bot.knowledge import KnowledgeRepository


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
