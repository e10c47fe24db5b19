"""A conversation read in a window of bounded size: a checkpoint plus the latest turns.

Rasa rebuilds a conversation from every event of its session on each message, and its
policies then replay them all, so a reply costs more the longer a patient talks. Our rules
look back a few turns, and our actions only at the last bot message. So the tracker store
(bot.adapters.tracker_store) keeps, next to the events, one checkpoint per conversation: the
state at a turn some turns back (the session's start event, the slots set
by then, and the action_listen before that turn), and reads the checkpoint and the events
after it. Between KEEP_TURNS and KEEP_TURNS + STEP_TURNS user turns are read, however long
the conversation; a new checkpoint is written when the window is full. The window reads like
a session that began at the checkpoint with those slots (memorised stories, which match a
session from its start, see it so; they hold no more than five turns, which our rules
answer the same way).

A checkpoint holds event dictionaries, redacted like the events, in a table of the tracker
store's database; erasing a sender or purging old data deletes checkpoints with the events.
No Rasa here: events are seen as kinds ("user", "listen", "session", "other").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    inspect,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

KEEP_TURNS = 5
STEP_TURNS = 5

USER, LISTEN, SESSION, OTHER = "user", "listen", "session", "other"

_metadata = MetaData()
checkpoints = Table(
    "conversation_checkpoints",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    # the id (events table) of the last event the checkpoint stands for
    Column("event_id", Integer, nullable=False),
    Column("timestamp", Float, nullable=False, index=True),
    # the events that recreate the state at the checkpoint: a JSON list of event dicts
    Column("events", Text, nullable=False),
)


@dataclass(frozen=True)
class Checkpoint:
    event_id: int
    events: list[dict]


def ensure_table(engine: Engine) -> None:
    """Create the checkpoints table if missing. Several Rasa processes starting together on
    one database may race to create it: one wins, and the others find it made."""
    try:
        _metadata.create_all(engine, checkfirst=True)
    except SQLAlchemyError:
        if not inspect(engine).has_table(checkpoints.name):
            raise


def latest_checkpoint(connection: Connection, sender_id: str) -> Checkpoint | None:
    row = connection.execute(
        select(checkpoints.c.event_id, checkpoints.c.events)
        .where(checkpoints.c.sender_id == sender_id)
        .order_by(checkpoints.c.event_id.desc())
        .limit(1)
    ).first()
    return Checkpoint(row.event_id, json.loads(row.events)) if row else None


def save_checkpoint(
    connection: Connection, sender_id: str, event_id: int, timestamp: float, events: list[dict]
) -> None:
    """The sender's checkpoint from now on (older ones go)."""
    connection.execute(delete(checkpoints).where(checkpoints.c.sender_id == sender_id))
    connection.execute(
        checkpoints.insert().values(
            sender_id=sender_id, event_id=event_id, timestamp=timestamp, events=json.dumps(events)
        )
    )


def delete_sender_checkpoints(engine: Engine, sender_id: str) -> None:
    with engine.begin() as connection:
        if engine.dialect.has_table(connection, checkpoints.name):
            connection.execute(delete(checkpoints).where(checkpoints.c.sender_id == sender_id))


def delete_checkpoints_before(engine: Engine, cutoff: float) -> None:
    with engine.begin() as connection:
        if engine.dialect.has_table(connection, checkpoints.name):
            connection.execute(delete(checkpoints).where(checkpoints.c.timestamp < cutoff))


def latest_session(kinds: Sequence[str]) -> int:
    """Where the latest session starts (0 without a session start)."""
    starts = [index for index, kind in enumerate(kinds) if kind == SESSION]
    return starts[-1] if starts else 0


def cut_point(kinds: Sequence[str], first_stored: int) -> int | None:
    """Where a new checkpoint ends, when the window is full: the index of the user message
    KEEP_TURNS user turns from the end, right after an action_listen that was stored (not
    part of a checkpoint) and within the latest session. None: keep the current one."""
    if kinds[first_stored:].count(USER) < KEEP_TURNS + STEP_TURNS:
        return None
    earliest = max(first_stored + 1, latest_session(kinds) + 1)
    turns = 0
    for index in range(len(kinds) - 1, earliest - 1, -1):
        if kinds[index] != USER:
            continue
        turns += 1
        if turns >= KEEP_TURNS and kinds[index - 1] == LISTEN:
            return index
    return None
