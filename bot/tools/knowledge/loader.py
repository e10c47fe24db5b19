"""Write a validated knowledge base into the database, all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.database import (
    AnswerRow,
    AnswerSourceRow,
    Base,
    LoadRow,
    SourceRow,
    TopicExampleRow,
    TopicRow,
)
from bot.knowledge.model import KnowledgeBase


def load_into_database(
    knowledge_base: KnowledgeBase,
    engine: Engine,
    examples: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Replace the database's knowledge base with this one in a single transaction, with each
    topic's example questions (`examples`: topic -> questions; other topics' are left out)."""
    _drop_outdated_tables(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for table in (AnswerSourceRow, AnswerRow, SourceRow, TopicExampleRow, TopicRow, LoadRow):
            session.execute(delete(table))
        session.add(LoadRow(token=uuid.uuid4().hex))
        session.add_all(
            SourceRow(
                id=source.id,
                title=source.title,
                name=source.name,
                kind=source.kind,
                publisher=source.publisher,
                url=source.url,
                doi=source.doi,
                year=source.year,
            )
            for source in knowledge_base.sources.values()
        )
        session.add_all(
            TopicRow(id=topic, title=title) for topic, title in knowledge_base.topic_titles.items()
        )
        session.flush()
        session.add_all(
            TopicExampleRow(topic=topic, position=position, text=text)
            for topic, texts in (examples or {}).items()
            if topic in knowledge_base.topic_titles
            for position, text in enumerate(texts)
        )
        session.add_all(
            AnswerRow(
                id=answer.id,
                topic=answer.topic,
                concern=answer.concern,
                short_answer=answer.short_answer,
                details=answer.details,
                last_reviewed=answer.last_reviewed,
                source_links=[
                    AnswerSourceRow(source_id=source_id, position=position)
                    for position, source_id in enumerate(answer.source_ids)
                ],
            )
            for answer in knowledge_base.answers
        )


def _drop_outdated_tables(engine: Engine) -> None:
    """The knowledge tables hold nothing but what the files say, and every load replaces all
    of it: a database made by an older version (a column missing) gets them made afresh."""
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        if not {column.name for column in table.columns} <= columns:
            Base.metadata.drop_all(engine)
            return
