"""Forgetting a person on request, and everything after a time: the conversations (Rasa's
`events` table, in TRACKER_STORE_URL's database) and our records (bot.records, in
DATABASE_URL's database).

No Rasa here: the `events` table is reached by name with SQLAlchemy Core. Our tracker store
(bot/adapters/tracker_store.py) calls these same functions, as do `python -m
bot.tools.privacy` (make forget, make purge) and the HTTP erasure endpoint.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import column, delete, inspect, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.conversation_window import delete_checkpoints_before, delete_sender_checkpoints
from bot.knowledge.database import engine_for
from bot.privacy.pseudonyms import stored_sender_id
from bot.records import delete_records_before, delete_sender_records
from bot.settings import Settings

logger = logging.getLogger(__name__)

# The action that ends the "delete my data" dialogue: a tracker saved with it is erased.
ERASE_ACTION = "action_forget_me"

EVENTS_TABLE = "events"
# The name SQLAlchemy gives the index Rasa declares (`index=True`), so a table created by
# Rasa and one created before Rasa declared it end up with the same index.
SENDER_INDEX = "ix_events_sender_id"

_events = table(EVENTS_TABLE, column("sender_id"), column("timestamp"))


@dataclass(frozen=True)
class Erased:
    """How many rows were deleted: conversation events, and our records."""

    events: int = 0
    records: int = 0

    def __str__(self) -> str:
        return f"{self.events} conversation events and {self.records} records"


def has_sender_index(engine: Engine) -> bool:
    return any(
        index["column_names"] == ["sender_id"]
        for index in inspect(engine).get_indexes(EVENTS_TABLE)
    )


def ensure_sender_index(engine: Engine) -> None:
    """The migration step: an index on events.sender_id, also for an events table created
    without it (older Rasa). Several processes starting together may race: one wins."""
    statement = text(f"CREATE INDEX IF NOT EXISTS {SENDER_INDEX} ON {EVENTS_TABLE} (sender_id)")
    try:
        with engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError:
        if not has_sender_index(engine):
            raise
        logger.debug("Another process created the sender index first")


def _has_events(engine: Engine) -> bool:
    return bool(inspect(engine).has_table(EVENTS_TABLE))


def delete_sender_events(engine: Engine, sender_id: str) -> int:
    """Delete every conversation event of one sender, and its checkpoint (bot.conversation_window);
    returns how many events."""
    delete_sender_checkpoints(engine, sender_id)
    if not _has_events(engine):
        return 0
    with engine.begin() as connection:
        return int(
            connection.execute(delete(_events).where(_events.c.sender_id == sender_id)).rowcount
        )


def delete_events_before(engine: Engine, cutoff: datetime) -> int:
    """Delete every conversation event and checkpoint older than cutoff (Rasa keeps Unix
    timestamps); returns how many events."""
    delete_checkpoints_before(engine, _aware(cutoff).timestamp())
    if not _has_events(engine):
        return 0
    with engine.begin() as connection:
        old = _events.c.timestamp < _aware(cutoff).timestamp()
        return int(connection.execute(delete(_events).where(old)).rowcount)


def forget_sender(
    sender_id: str, settings: Settings | None = None, *, tracker_engine: Engine | None = None
) -> Erased:
    """Delete everything kept about one sender: the conversation and our records.
    tracker_engine: the tracker store's own engine (by default one for TRACKER_STORE_URL)."""
    settings = settings or Settings.from_environment()
    engine = tracker_engine or engine_for(settings.tracker_store_url)
    erased = Erased(
        events=delete_sender_events(engine, sender_id),
        records=delete_sender_records(sender_id, url=settings.database_url),
    )
    logger.info("Erased a sender on request: %s", erased)  # counts only, never the id
    return erased


def forget_given_sender(given: str, settings: Settings | None = None) -> tuple[str, Erased]:
    """Forget a sender named as the clinic knows them: a stored id (`rest:…`, a pseudonym) or
    a chat app's original id (`whatsapp:+15551234567`, `telegram:123456`), turned into its
    pseudonym first. Rows kept under the original id itself (stored before pseudonyms) go
    too. Returns the stored id and what was deleted (make forget, the erasure endpoint)."""
    settings = settings or Settings.from_environment()
    stored = stored_sender_id(given, settings)
    erased = forget_sender(stored, settings)
    if stored != given:
        legacy = forget_sender(given, settings)
        erased = Erased(erased.events + legacy.events, erased.records + legacy.records)
    return stored, erased


def purge_before(
    cutoff: datetime, settings: Settings | None = None, *, tracker_engine: Engine | None = None
) -> Erased:
    """Delete every conversation event and every record older than cutoff (naive: UTC)."""
    settings = settings or Settings.from_environment()
    engine = tracker_engine or engine_for(settings.tracker_store_url)
    erased = Erased(
        events=delete_events_before(engine, cutoff),
        records=delete_records_before(_aware(cutoff), url=settings.database_url),
    )
    logger.info("Purged data older than %s: %s", _aware(cutoff).isoformat(), erased)
    return erased


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
