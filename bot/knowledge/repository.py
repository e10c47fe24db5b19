"""Read answers from the knowledge-base database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.knowledge.database import AnswerRow, LoadRow, TopicExampleRow, TopicRow, engine_for
from bot.knowledge.model import GENERAL_CONCERN, Source
from bot.settings import database_url


class KnowledgeBaseUnavailable(Exception):
    """The database could not be reached or read."""


@dataclass(frozen=True)
class TopicAnswer:
    answer_id: str
    topic: str
    concern: str
    short_answer: str
    details: str | None
    sources: tuple[Source, ...]


T = TypeVar("T")


class KnowledgeRepository:
    """The knowledge base's answers. What it read is kept until the next load (`make kb`), so
    a message costs one small query instead of one per answer and title."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._token: str | None = None
        self._kept: dict[tuple, Any] = {}

    @classmethod
    def from_environment(cls) -> KnowledgeRepository:
        return cls(engine_for(database_url()))

    def answer_for(self, topic: str, concern: str | None = None) -> TopicAnswer | None:
        """The topic's answer in the concern's variant if there is one, else the general one."""
        return self._kept_or(("answer", topic, concern), lambda: self._answer(topic, concern))

    def _answer(self, topic: str, concern: str | None) -> TopicAnswer | None:
        concerns = [c for c in (concern, GENERAL_CONCERN) if c]
        statement = select(AnswerRow).where(
            AnswerRow.topic == topic, AnswerRow.concern.in_(concerns)
        )
        rows = self._query(statement)
        if not rows:
            return None
        return _topic_answer(min(rows, key=lambda candidate: concerns.index(candidate.concern)))

    def topics(self) -> set[str]:
        return set(self._query(select(AnswerRow.topic).distinct()))

    def topic_titles(self) -> dict[str, str]:
        return dict(
            self._kept_or(
                ("titles",), lambda: {row.id: row.title for row in self._query(select(TopicRow))}
            )
        )

    def topic_examples(self) -> dict[str, list[str]]:
        """Each topic's example questions (from the NLU data, stored by `make kb`)."""
        statement = select(TopicExampleRow).order_by(
            TopicExampleRow.topic, TopicExampleRow.position
        )
        examples: dict[str, list[str]] = {}
        for row in self._query(statement):
            examples.setdefault(row.topic, []).append(row.text)
        return examples

    def all_answers(self) -> list[TopicAnswer]:
        return [_topic_answer(row) for row in self._query(select(AnswerRow).order_by(AnswerRow.id))]

    def _kept_or(self, key: tuple, read: Callable[[], T]) -> T:
        """What `read` gives, kept while the same load of the knowledge base is in the
        database (a database without a load token is read every time)."""
        token = self._load_token()
        if token is None or token != self._token:
            self._token, self._kept = token, {}
        if token is None or key not in self._kept:
            value = read()
            if token is None:
                return value
            self._kept[key] = value
        return self._kept[key]

    def _load_token(self) -> str | None:
        try:
            with self._engine.connect() as connection:
                return connection.execute(select(LoadRow.token)).scalar()
        except SQLAlchemyError:  # a knowledge base loaded before the token existed
            return None

    def _query(self, statement) -> list:
        try:
            with Session(self._engine) as session:
                return list(session.scalars(statement).unique())
        except SQLAlchemyError as error:
            raise KnowledgeBaseUnavailable(str(error)) from error


def _topic_answer(row: AnswerRow) -> TopicAnswer:
    return TopicAnswer(
        answer_id=row.id,
        topic=row.topic,
        concern=row.concern,
        short_answer=row.short_answer,
        details=row.details,
        sources=tuple(_source(link.source) for link in row.source_links),
    )


def _source(row) -> Source:
    return Source(
        id=row.id,
        title=row.title,
        name=row.name,
        kind=row.kind,
        publisher=row.publisher,
        url=row.url,
        doi=row.doi,
        year=row.year,
    )
