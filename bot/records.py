"""What MesoGuide keeps besides the conversations: patients' votes on answers ("Did this
help?"), the questions it could not answer, and the options last offered to each chat-app
sender as a numbered menu (WhatsApp's "reply 2").

They live in DATABASE_URL's database (beside the knowledge base, in tables of their own that
reloading the knowledge base never touches), with their text redacted and the sender id, so
that erasing a sender or purging old data finds them. Being in the database, not in a
process's memory, they are the same for every Rasa process serving the conversations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base

from bot.knowledge.database import engine_for
from bot.privacy.redaction import redact
from bot.settings import Settings

# Any: SQLAlchemy 1.4's declarative base is built at run time, so mypy cannot see its type.
Base: Any = declarative_base()


class FeedbackRow(Base):
    __tablename__ = "answer_feedback"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(255), nullable=False, index=True)
    topic = Column(String(100), nullable=False, index=True)
    helpful = Column(Boolean, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)


class UnansweredRow(Base):
    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(255), nullable=False, index=True)
    text = Column(Text, nullable=False)
    # the topics offered instead, as a JSON list
    suggested_topics = Column(Text, nullable=False, default="[]")
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)


class ChatMenuRow(Base):
    __tablename__ = "chat_menus"

    # the sender's stored id (a chat app's is a pseudonym, never the number)
    sender_id = Column(String(255), primary_key=True)
    # the options last offered: a JSON list of [title, payload] (the bot's words)
    options = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)


TABLES = (FeedbackRow, UnansweredRow, ChatMenuRow)


@cache
def _ready(url: str) -> Engine:
    engine = engine_for(url)
    Base.metadata.create_all(engine)
    return engine


def records_engine(url: str | None = None) -> Engine:
    """The engine for these tables (DATABASE_URL's by default), created on first use."""
    return _ready(url or Settings.from_environment().database_url)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def record_feedback(
    sender_id: str, topic: str, helpful: bool, *, url: str | None = None, at: datetime | None = None
) -> None:
    with Session(records_engine(url)) as session, session.begin():
        session.add(
            FeedbackRow(sender_id=sender_id, topic=topic, helpful=helpful, created_at=at or _now())
        )


def record_unanswered(
    sender_id: str,
    text: str,
    suggested_topics: list[str],
    *,
    url: str | None = None,
    at: datetime | None = None,
) -> None:
    with Session(records_engine(url)) as session, session.begin():
        session.add(
            UnansweredRow(
                sender_id=sender_id,
                text=redact(text),
                suggested_topics=json.dumps(suggested_topics),
                created_at=at or _now(),
            )
        )


def save_menu(
    sender_id: str,
    options: list[tuple[str, str]],
    *,
    url: str | None = None,
    at: datetime | None = None,
) -> None:
    """Remember the (title, payload) options last offered to a sender, in place of any before."""
    row = ChatMenuRow(
        sender_id=sender_id, options=json.dumps([list(o) for o in options]), created_at=at or _now()
    )
    try:
        _merge(row, url)
    except IntegrityError:
        # another process inserted the sender's first menu at the same moment: update it
        _merge(row, url)


def _merge(row: ChatMenuRow, url: str | None) -> None:
    with Session(records_engine(url)) as session, session.begin():
        session.merge(row)


def last_menu(sender_id: str, *, url: str | None = None) -> list[tuple[str, str]]:
    """The (title, payload) options last offered to a sender; none if none were."""
    with Session(records_engine(url)) as session:
        row = session.get(ChatMenuRow, sender_id)
        return (
            [(str(title), str(payload)) for title, payload in json.loads(row.options)]
            if row
            else []
        )


def delete_sender_records(sender_id: str, *, url: str | None = None) -> int:
    """Delete every row of one sender; returns how many."""
    deleted = 0
    with Session(records_engine(url)) as session, session.begin():
        for table in TABLES:
            deleted += session.execute(delete(table).where(table.sender_id == sender_id)).rowcount
    return deleted


def delete_records_before(cutoff: datetime, *, url: str | None = None) -> int:
    """Delete every row created before `cutoff`; returns how many."""
    deleted = 0
    with Session(records_engine(url)) as session, session.begin():
        for table in TABLES:
            deleted += session.execute(delete(table).where(table.created_at < cutoff)).rowcount
    return deleted


@dataclass(frozen=True)
class TopicVotes:
    topic: str
    helpful: int
    not_helpful: int


def votes_per_topic(*, url: str | None = None) -> list[TopicVotes]:
    helpful = func.sum(func.cast(FeedbackRow.helpful, Integer))
    query = (
        select(FeedbackRow.topic, helpful, func.count())
        .group_by(FeedbackRow.topic)
        .order_by(FeedbackRow.topic)
    )
    with Session(records_engine(url)) as session:
        return [
            TopicVotes(topic, int(yes or 0), int(total) - int(yes or 0))
            for topic, yes, total in session.execute(query)
        ]


def most_frequent_unanswered(limit: int = 20, *, url: str | None = None) -> list[tuple[str, int]]:
    query = (
        select(UnansweredRow.text, func.count().label("times"))
        .group_by(UnansweredRow.text)
        .order_by(func.count().desc(), UnansweredRow.text)
        .limit(limit)
    )
    with Session(records_engine(url)) as session:
        return [(text, int(times)) for text, times in session.execute(query)]
