"""The conversations as the tracker store keeps them: each REST sender's user messages in
order, each with the bot messages stored after it. Read straight from Rasa's `events` table
(any SQLAlchemy URL), to check from outside that nothing was lost, doubled or reordered."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text


@dataclass
class Turn:
    message: str
    # the text of each bot event stored after the message, before the next one ("" if none)
    replies: list[str] = field(default_factory=list)


@dataclass
class StoredConversation:
    # the bot messages stored before the first user message: the session's opening
    opening: list[str] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)


def conversation_of(events: Iterable[tuple[str, str]]) -> StoredConversation:
    """One sender's conversation from its (type_name, data) rows, oldest first."""
    conversation = StoredConversation()
    for type_name, data in events:
        event = json.loads(data)
        if type_name == "user":
            conversation.turns.append(Turn(event.get("text") or ""))
        elif type_name == "bot":
            replies = conversation.turns[-1].replies if conversation.turns else None
            (conversation.opening if replies is None else replies).append(event.get("text") or "")
    return conversation


def stored_conversations(url: str, prefix: str) -> dict[str, StoredConversation]:
    """Every REST sender whose id starts with `prefix`, by that id (as the caller gave it)."""
    query = text(
        "SELECT sender_id, type_name, data FROM events WHERE sender_id LIKE :pattern "
        "AND type_name IN ('user', 'bot') ORDER BY id"
    )
    scoped = f"rest:{prefix}"
    events: dict[str, list[tuple[str, str]]] = {}
    for sender_id, type_name, data in _rows(url, query, {"pattern": f"{scoped}%"}):
        if sender_id.startswith(scoped):  # LIKE reads a _ in the prefix as any character
            events.setdefault(sender_id.removeprefix("rest:"), []).append((type_name, data))
    return {sender: conversation_of(rows) for sender, rows in events.items()}


def stored_conversation(url: str, sender: str) -> StoredConversation:
    """One sender's conversation, whichever channel's prefix its stored id has."""
    query = text(
        "SELECT type_name, data FROM events WHERE sender_id = :sender "
        "OR sender_id LIKE :scoped ORDER BY id"
    )
    return conversation_of(_rows(url, query, {"sender": sender, "scoped": f"%:{sender}"}))


def _rows(url: str, query: object, parameters: dict[str, str]) -> list:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return list(connection.execute(query, parameters).all())
    finally:
        engine.dispose()
