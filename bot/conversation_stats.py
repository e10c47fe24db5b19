"""How many conversations MesoGuide had, per UTC day and channel, read from Rasa's SQL tracker
store (TRACKER_STORE_URL): its `events` table (sender_id, type_name, timestamp as Unix
seconds, data as JSON; a `user` event's data names its `input_channel`).

Read with plain SQLAlchemy, so the report needs no Rasa. A conversation is a sender who
wrote at least once that day on that channel.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import column, inspect, select, table

from bot.knowledge.database import engine_for

EVENTS = table(
    "events", column("sender_id"), column("type_name"), column("timestamp"), column("data")
)
UNKNOWN_CHANNEL = "unknown"


@dataclass(frozen=True)
class DailyConversations:
    day: date
    channel: str
    conversations: int


def _channel(data: str | None) -> str:
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return UNKNOWN_CHANNEL
    channel = parsed.get("input_channel") if isinstance(parsed, dict) else None
    return channel or UNKNOWN_CHANNEL


def conversations_per_day(url: str) -> list[DailyConversations]:
    """Distinct senders per UTC day and input channel, oldest day first; [] when the tracker
    store has no events table yet."""
    engine = engine_for(url)
    if not inspect(engine).has_table("events"):
        return []
    query = select(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.data).where(
        EVENTS.c.type_name == "user"
    )
    senders: dict[tuple[date, str], set[str]] = defaultdict(set)
    with engine.connect() as connection:
        for sender_id, timestamp, data in connection.execute(query):
            if timestamp is None:
                continue
            day = datetime.fromtimestamp(float(timestamp), tz=timezone.utc).date()
            senders[(day, _channel(data))].add(sender_id)
    return [
        DailyConversations(day, channel, len(ids))
        for (day, channel), ids in sorted(senders.items())
    ]
