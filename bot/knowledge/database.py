"""Database tables for the knowledge base, and a lazily built engine per URL."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.pool import QueuePool, StaticPool

logger = logging.getLogger(__name__)

# Any: SQLAlchemy 1.4's declarative base is built at run time, so mypy cannot see its type.
Base: Any = declarative_base()


class SourceRow(Base):
    __tablename__ = "kb_sources"

    id = Column(String(100), primary_key=True)
    title = Column(Text, nullable=False)
    name = Column(Text)
    kind = Column(String(40), nullable=False)
    publisher = Column(Text)
    url = Column(Text)
    doi = Column(String(200))
    year = Column(Integer)


class TopicRow(Base):
    __tablename__ = "kb_topics"

    id = Column(String(100), primary_key=True)
    title = Column(Text, nullable=False)


class TopicExampleRow(Base):
    """A question patients ask about the topic (its intent's NLU examples), for the search
    that offers the closest topics when the classifier is unsure."""

    __tablename__ = "kb_topic_examples"

    topic = Column(String(100), ForeignKey("kb_topics.id"), primary_key=True)
    position = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)


class AnswerSourceRow(Base):
    __tablename__ = "kb_answer_sources"

    answer_id = Column(String(100), ForeignKey("kb_answers.id"), primary_key=True)
    source_id = Column(String(100), ForeignKey("kb_sources.id"), primary_key=True, index=True)
    position = Column(Integer, nullable=False)

    source = relationship(SourceRow, lazy="joined")


class AnswerRow(Base):
    __tablename__ = "kb_answers"
    __table_args__ = (UniqueConstraint("topic", "concern", name="uq_kb_answers_topic_concern"),)

    id = Column(String(100), primary_key=True)
    topic = Column(String(100), nullable=False, index=True)
    concern = Column(String(100), nullable=False, index=True)
    short_answer = Column(Text, nullable=False)
    details = Column(Text)
    last_reviewed = Column(Date, nullable=False)

    source_links = relationship(
        AnswerSourceRow,
        order_by=AnswerSourceRow.position,
        lazy="selectin",
        cascade="all, delete-orphan",
    )


class LoadRow(Base):
    """One row, replaced at every load: readers keep what they read until its token changes."""

    __tablename__ = "kb_load"

    token = Column(String(32), primary_key=True)


def make_sqlite_folder(url: str) -> None:
    """A SQLite file's folder must exist before the file can be made (var/ on a fresh clone)."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def create_knowledge_engine(url: str) -> Engine:
    make_sqlite_folder(url)
    options: dict = {"future": True}
    if url in ("sqlite://", "sqlite:///:memory:"):
        # An in-memory database lives only as long as its connection: share one.
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    engine = sqlite_file_engine(url, **options) or create_engine(url, **options)
    logger.info("Knowledge base database: %r", engine.url)
    return engine


def sqlite_file_engine(url: str | URL, **options: Any) -> Engine | None:
    """For a SQLite file (None for any other database), an engine that keeps its connections
    open in a pool and a write-ahead log synced to disk at checkpoints, not at every commit.

    SQLAlchemy 1.4 opens and closes a SQLite file for every session, and a commit waited about
    7 ms for the disk: on every message, both (make profile). A power cut may lose the last
    commits but never damages the file, and readers no longer wait for a writer. A pooled
    connection may serve another thread than the one that opened it, one at a time."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    engine = create_engine(
        parsed,
        **{**options, "poolclass": QueuePool, "connect_args": {"check_same_thread": False}},
    )

    @event.listens_for(engine, "connect")
    def _write_ahead(connection: Any, _: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


@cache
def engine_for(url: str) -> Engine:
    """One shared engine per URL, created on first use (never at import time)."""
    return create_knowledge_engine(url)
