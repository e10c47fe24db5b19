"""A conversation read in a window of bounded size (bot/conversation_window.py and its use in
bot/adapters/tracker_store.py): however long a patient talks, the store reads a checkpoint
and the latest turns, and what the policies and actions see is what the whole conversation
gives them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot import conversation_window as window
from bot.adapters.tracker_store import PrivateSQLTrackerStore
from bot.privacy.erasure import forget_sender, purge_before

U, L, S, X = window.USER, window.LISTEN, window.SESSION, window.OTHER
INTENTS = ["ask_cost", "ask_pain", "ask_side_effects", "ask_sessions", "greet", "thank"]
# states; no rule looks back further (memorised stories match a whole session, as Rasa reads it)
MAX_HISTORY = 5


@pytest.fixture
def store(domain, settings) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(domain=domain, host=settings.tracker_store_url, settings=settings)


def session_start(at: float) -> list[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at + 0.01),
        ActionExecuted("action_listen", timestamp=at + 0.02),
    ]


def turn(number: int, at: float, message: str | None = None) -> list[Event]:
    """A patient's message and MesoGuide's answer, as Rasa logs them."""
    intent = INTENTS[number % len(INTENTS)]
    return [
        UserUttered(
            message or f"question {number}",
            intent={"name": intent, "confidence": 0.9},
            timestamp=at,
        ),
        ActionExecuted("action_answer_question", timestamp=at + 0.1),
        BotUttered(f"answer {number}", {"utter_action": "utter_x"}, timestamp=at + 0.2),
        SlotSet("answer_count", number, timestamp=at + 0.3),
        SlotSet("last_topic", intent, timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


async def talk(store, sender: str, turns: int, start: float, first: int = 1) -> None:
    """`turns` messages, each read from the store, answered and saved, as Rasa does."""
    for number in range(first, first + turns):
        tracker = await store.retrieve(sender)
        at = start + number
        if tracker is None:
            tracker = DialogueStateTracker.from_events(
                sender, session_start(at - 0.5), store.domain.slots
            )
        for event in turn(number, at):
            tracker.update(event)
        await store.save(tracker)


def full(store, sender: str) -> DialogueStateTracker:
    """The conversation replayed from every stored event of its latest session."""
    with store.engine.connect() as connection:
        data = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).scalars()
        events = [json.loads(row) for row in data]
    starts = [i for i, e in enumerate(events) if e["event"] == "session_started"]
    return DialogueStateTracker.from_dict(sender, events[starts[-1] :], store.domain.slots)


def user_turns(tracker: DialogueStateTracker) -> int:
    return sum(isinstance(event, UserUttered) for event in tracker.events)


def test_the_window_is_cut_some_turns_back_after_a_listen_and_within_the_session():
    short = [S, L] + [U, X, L] * (window.KEEP_TURNS + window.STEP_TURNS - 1)
    assert window.cut_point(short, 0) is None
    kinds = [S, L] + [U, X, L] * (window.KEEP_TURNS + window.STEP_TURNS)
    cut = window.cut_point(kinds, 0)
    assert cut is not None and kinds[cut] == U and kinds[cut - 1] == L
    assert kinds[cut:].count(U) == window.KEEP_TURNS
    # a session started later: no cut before it
    restarted = kinds + [S, L, U, X, L]
    assert window.cut_point(restarted, 0) is None
    # the listen before the cut must be stored, not the checkpoint's own
    only_prefix_listen = [S, L, U] + [X] * 5 + [U] * 12
    assert window.cut_point(only_prefix_listen, 2) is None


async def test_a_long_conversation_is_read_in_a_window_of_bounded_size(store):
    await talk(store, "rest:long", 60, start=datetime.now(timezone.utc).timestamp() - 600)
    tracker = await store.retrieve("rest:long")
    assert tracker is not None
    stored = len(full(store, "rest:long").events)
    assert stored > 300
    assert window.KEEP_TURNS <= user_turns(tracker) <= window.KEEP_TURNS + window.STEP_TURNS
    assert len(tracker.events) < 80


async def test_the_window_gives_the_policies_and_actions_what_the_whole_conversation_gives(
    store, domain
):
    start = datetime.now(timezone.utc).timestamp() - 600
    for number in range(1, 31):
        await talk(store, "rest:same", 1, start=start, first=number)
        windowed = await store.retrieve("rest:same")
        whole = full(store, "rest:same")
        assert windowed is not None
        assert windowed.current_slot_values() == whole.current_slot_values()
        assert windowed.latest_message == whole.latest_message
        assert windowed.latest_action == whole.latest_action
        assert windowed.active_loop == whole.active_loop
        # the policies' input: the latest states (memoization looks back MAX_HISTORY)
        windowed_states = windowed.past_states(domain)[-(MAX_HISTORY + 1) :]
        assert windowed_states == whole.past_states(domain)[-(MAX_HISTORY + 1) :]
        # the actions' look back: the last bot message
        assert windowed.get_last_event_for(BotUttered) == whole.get_last_event_for(BotUttered)
    assert windowed.prefix_length > 0  # read from a checkpoint


async def test_saving_a_windowed_conversation_stores_each_new_event_once_in_order(store):
    await talk(store, "rest:order", 40, start=datetime.now(timezone.utc).timestamp() - 600)
    whole = full(store, "rest:order")
    texts = [e.text for e in whole.events if isinstance(e, UserUttered)]
    assert texts == [f"question {n}" for n in range(1, 41)]
    with store.engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = 'rest:order'")
        ).scalar()
    assert count == len(session_start(0)) + 40 * len(turn(1, 0))


async def test_a_new_session_after_a_checkpoint_starts_afresh(store, domain):
    long_ago = datetime.now(timezone.utc).timestamp() - 7200
    await talk(store, "rest:back", 20, start=long_ago)
    tracker = await store.retrieve("rest:back")
    assert tracker is not None
    later = long_ago + 3600
    for event in session_start(later):  # what Rasa logs when the session has expired
        tracker.update(event)
    await store.save(tracker)
    again = await store.retrieve("rest:back")
    assert again is not None
    assert user_turns(again) == 0
    assert again.get_slot("answer_count") is None


async def saved_twice(store, sender: str, *first: Event) -> None:
    """A conversation of 15 turns after `first`, saved; then read and a 16th turn saved."""
    start = datetime.now(timezone.utc).timestamp() - 600
    tracker = DialogueStateTracker.from_events(sender, session_start(start), store.domain.slots)
    for event in first:
        tracker.update(event)
    for number in range(1, 16):
        for event in turn(number, start + number):
            tracker.update(event)
    await store.save(tracker)
    again = await store.retrieve(sender)
    assert again is not None
    for event in turn(16, start + 16):
        again.update(event)
    await store.save(again)


def checkpoint_events(store) -> list[str]:
    with store.engine.connect() as connection:
        return list(
            connection.execute(text("SELECT events FROM conversation_checkpoints")).scalars()
        )


async def test_no_checkpoint_is_taken_inside_a_form(store):
    # the window is full at the 16th turn, yet the form is still active
    await saved_twice(store, "rest:form", ActiveLoop("self_check_form"))
    assert checkpoint_events(store) == []


async def test_a_checkpoint_keeps_no_personal_data_in_clear(store):
    await saved_twice(store, "rest:pii", SlotSet("concern", "call me on 07700 900123, Maria Lopez"))
    (kept,) = checkpoint_events(store)
    assert '"concern"' in kept
    assert "07700" not in kept and "Lopez" not in kept


async def test_erasure_and_purge_delete_the_checkpoints_too(store, settings):
    start = datetime.now(timezone.utc).timestamp() - 600
    await talk(store, "rest:gone", 15, start=start)
    await talk(store, "rest:old", 15, start=start)

    def checkpoints(sender: str) -> int:
        with store.engine.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM conversation_checkpoints WHERE sender_id = :s"),
                {"s": sender},
            ).scalar()

    assert checkpoints("rest:gone") == checkpoints("rest:old") == 1
    forget_sender("rest:gone", settings, tracker_engine=store.engine)
    assert checkpoints("rest:gone") == 0
    assert await store.retrieve("rest:gone") is None
    purge_before(
        datetime.now(timezone.utc) + timedelta(minutes=1), settings, tracker_engine=store.engine
    )
    assert checkpoints("rest:old") == 0


def test_a_process_that_loses_the_race_to_create_the_table_goes_on(store, monkeypatch):
    """Two Rasa processes starting together on a fresh PostgreSQL: the other one created
    the table between this one's check and its CREATE TABLE (make bench-scale saw it)."""
    window.checkpoints.drop(store.engine)

    def created_meanwhile(engine, checkfirst):
        window.checkpoints.create(engine)
        raise IntegrityError("CREATE TABLE conversation_checkpoints", {}, Exception("exists"))

    monkeypatch.setattr(window._metadata, "create_all", created_meanwhile)
    window.ensure_table(store.engine)
    assert inspect(store.engine).has_table("conversation_checkpoints")

    def failed(engine, checkfirst):
        raise OperationalError("CREATE TABLE conversation_checkpoints", {}, Exception("down"))

    window.checkpoints.drop(store.engine)
    monkeypatch.setattr(window._metadata, "create_all", failed)
    with pytest.raises(OperationalError):
        window.ensure_table(store.engine)
