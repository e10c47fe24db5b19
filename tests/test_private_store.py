"""Our tracker store (bot/adapters/tracker_store.py) and erasure (bot/privacy/erasure.py,
python -m bot.tools.privacy): conversations kept, redacted, indexed, and forgotten."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import QueuePool

from bot import records
from bot.adapters.tracker_store import PrivateSQLTrackerStore
from bot.knowledge.database import sqlite_file_engine
from bot.privacy import redaction
from bot.privacy.erasure import (
    ERASE_ACTION,
    forget_given_sender,
    forget_sender,
    has_sender_index,
    purge_before,
)
from bot.privacy.pseudonyms import pseudonym
from bot.settings import PROJECT_ROOT, Settings
from bot.tools.privacy import main as privacy_cli

NOW = datetime.now(timezone.utc)
LONG_AGO = NOW - timedelta(days=90)


def make_store(domain: Domain, settings: Settings, url: str | None = None):
    return PrivateSQLTrackerStore(
        domain=domain, host=url or settings.tracker_store_url, settings=settings
    )


def exchange(question: str, intent: str, answer: str, at: datetime = NOW) -> list[Event]:
    moment = at.timestamp()
    return [
        UserUttered(question, intent={"name": intent, "confidence": 1.0}, timestamp=moment),
        ActionExecuted("utter_answer", timestamp=moment + 0.1),
        BotUttered(answer, timestamp=moment + 0.2),
        ActionExecuted("action_listen", timestamp=moment + 0.3),
    ]


def conversation(domain: Domain, sender: str, *events: Event) -> DialogueStateTracker:
    start = [ActionExecuted("action_listen", timestamp=events[0].timestamp - 1)]
    return DialogueStateTracker.from_events(sender, [*start, *events], slots=domain.slots)


def rows(store, sender: str | None = None) -> list[dict]:
    query = "SELECT sender_id, type_name, intent_name, action_name, data FROM events"
    query += " WHERE sender_id = :sender ORDER BY id" if sender else " ORDER BY id"
    with store.engine.connect() as connection:
        found = connection.execute(text(query), {"sender": sender}).mappings().all()
    return [dict(row) for row in found]


def user_texts(found: list[dict]) -> list[str]:
    return [json.loads(row["data"])["text"] for row in found if row["type_name"] == "user"]


async def saves_and_retrieves(store) -> None:
    first = exchange("how much is it?", "ask_cost", "About USD 250 to 600.")
    tracker = conversation(store.domain, "rest:ana", *first)
    await store.save(tracker)
    for event in exchange("does it hurt?", "ask_pain", "Small pinches."):
        tracker.update(event)
    await store.save(tracker)  # only the new events are added

    again = await store.retrieve("rest:ana")
    assert again is not None
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == [
        "how much is it?",
        "does it hurt?",
    ]
    assert len(rows(store, "rest:ana")) == len(tracker.events)
    intents = [row["intent_name"] for row in rows(store) if row["type_name"] == "user"]
    assert intents == ["ask_cost", "ask_pain"]
    assert has_sender_index(store.engine)


async def test_the_store_saves_and_retrieves_a_conversation_on_sqlite(domain, settings):
    await saves_and_retrieves(make_store(domain, settings))


async def test_the_store_saves_and_retrieves_a_conversation_on_postgresql(
    domain, settings, postgres_url
):
    store = make_store(domain, settings, postgres_url)
    try:
        assert store.engine.dialect.name == "postgresql"
        await saves_and_retrieves(store)
    finally:
        store.engine.dispose()


OLD_EVENTS_TABLE = """CREATE TABLE events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def test_an_events_table_created_without_the_sender_index_gets_it(domain, settings, tmp_path):
    engine = create_engine(settings.tracker_store_url, future=True)
    with engine.begin() as connection:
        connection.execute(text(OLD_EVENTS_TABLE))
    assert not has_sender_index(engine)
    make_store(domain, settings)
    assert has_sender_index(engine)
    make_store(domain, settings)  # starting again changes nothing
    indexes = inspect(engine).get_indexes("events")
    assert [index["column_names"] for index in indexes] == [["sender_id"]]


def test_the_index_is_added_on_postgresql_too(domain, settings, postgres_url):
    engine = create_engine(postgres_url, future=True)
    with engine.begin() as connection:
        connection.execute(
            text(OLD_EVENTS_TABLE.replace("INTEGER PRIMARY KEY", "SERIAL PRIMARY KEY"))
        )
    assert not has_sender_index(engine)
    make_store(domain, settings, postgres_url).engine.dispose()
    assert has_sender_index(engine)
    engine.dispose()


def test_the_default_tracker_database_is_a_file_under_var():
    assert Settings().tracker_store_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"


async def test_every_new_event_goes_through_the_redactor(domain, settings, monkeypatch):
    def mark(event: dict) -> dict:
        marked = dict(event)
        if marked.get("text"):
            marked["text"] = "MARKED " + marked["text"]
        return marked

    monkeypatch.setattr(redaction, "redact_event", mark)
    store = make_store(domain, settings)
    tracker = conversation(domain, "rest:ben", *exchange("hi, I'm Ben", "greet", "Hello!"))
    await store.save(tracker)
    for event in exchange("my number is 555 0100", "inform", "Thanks."):
        tracker.update(event)
    await store.save(tracker)

    found = rows(store, "rest:ben")
    texts = [json.loads(row["data"]).get("text") for row in found]
    assert [t for t in texts if t] == [
        "MARKED hi, I'm Ben",
        "MARKED Hello!",
        "MARKED my number is 555 0100",
        "MARKED Thanks.",
    ]
    assert [row["intent_name"] for row in found if row["type_name"] == "user"] == [
        "greet",
        "inform",
    ]
    assert "utter_answer" in [row["action_name"] for row in found]


async def test_a_tracker_ending_in_forget_me_leaves_nothing_of_its_sender(domain, settings):
    store = make_store(domain, settings)
    for sender in ("rest:ana", "rest:ben"):
        tracker = conversation(domain, sender, *exchange("how much?", "ask_cost", "USD 250."))
        await store.save(tracker)
        records.record_feedback(sender, "cost", True, url=settings.database_url)
        records.record_unanswered(sender, "what about x?", ["cost"], url=settings.database_url)
        records.save_menu(sender, [("Yes", "/affirm")], url=settings.database_url)
    ana = await store.retrieve("rest:ana")
    assert ana is not None
    for event in [
        UserUttered("delete my data", intent={"name": "forget_me", "confidence": 1.0}),
        ActionExecuted(ERASE_ACTION),
        BotUttered("I have deleted what I kept of this conversation."),
        ActionExecuted("action_listen"),
    ]:
        ana.update(event)
    await store.save(ana)

    assert rows(store, "rest:ana") == []
    assert await store.retrieve("rest:ana") is None
    assert len(rows(store, "rest:ben")) == 5
    assert records.delete_sender_records("rest:ana", url=settings.database_url) == 0
    assert records.last_menu("rest:ana", url=settings.database_url) == []
    assert records.delete_sender_records("rest:ben", url=settings.database_url) == 3


async def test_forget_sender_and_purge_before_delete_the_right_rows(domain, settings):
    store = make_store(domain, settings)
    old = conversation(domain, "rest:old", *exchange("cost?", "ask_cost", "USD 250.", LONG_AGO))
    mixed = conversation(
        domain,
        "rest:mixed",
        *exchange("cost?", "ask_cost", "USD 250.", LONG_AGO),
        *exchange("pain?", "ask_pain", "Pinches.", NOW),
    )
    new = conversation(domain, "rest:new", *exchange("pain?", "ask_pain", "Pinches.", NOW))
    for tracker in (old, mixed, new):
        await store.save(tracker)
    url = settings.database_url
    records.record_feedback("rest:old", "cost", False, url=url, at=LONG_AGO)
    records.record_feedback("rest:new", "pain", True, url=url, at=NOW)
    records.record_unanswered("rest:new", "hmm", [], url=url, at=NOW)
    records.save_menu("rest:old", [("Yes", "/affirm")], url=url, at=LONG_AGO)

    purged = purge_before(NOW - timedelta(days=30), settings)
    # each old exchange and its start; the old vote and the old menu
    assert (purged.events, purged.records) == (5 + 5, 2)
    assert records.last_menu("rest:old", url=url) == []
    assert rows(store, "rest:old") == []
    assert user_texts(rows(store, "rest:mixed")) == ["pain?"]
    assert user_texts(rows(store, "rest:new")) == ["pain?"]

    forgotten = forget_sender("rest:new", settings)
    assert (forgotten.events, forgotten.records) == (5, 2)
    assert rows(store, "rest:new") == []
    assert user_texts(rows(store, "rest:mixed")) == ["pain?"]
    assert forget_sender("rest:nobody", settings).events == 0


async def test_the_privacy_command_forgets_and_purges(domain, settings, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_STORE_URL", settings.tracker_store_url)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SENDER_ID_KEY", "a-test-key")
    patient = pseudonym("telegram", "7", "a-test-key")  # as the Telegram connector stores it
    store = make_store(domain, settings)
    await store.save(conversation(domain, patient, *exchange("a?", "ask_cost", "b.")))
    await store.save(conversation(domain, "rest:old", *exchange("a?", "ask_cost", "b.", LONG_AGO)))
    records.record_feedback(patient, "cost", True, url=settings.database_url)

    # the clinic names the patient by their chat id: it is turned into the stored pseudonym
    assert privacy_cli(["forget", "telegram:7"]) == 0
    assert f"Deleted 5 conversation events and 1 records of sender '{patient}'" in (
        capsys.readouterr().out
    )
    assert rows(store, patient) == []

    assert privacy_cli(["purge", "--days", "30"]) == 0
    assert "Deleted 5 conversation events and 0 records older than 30 days" in (
        capsys.readouterr().out
    )
    assert rows(store) == []


@pytest.mark.parametrize("days", ["0", "-3"])
def test_purge_refuses_a_non_positive_number_of_days(days, settings, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_STORE_URL", settings.tracker_store_url)
    assert privacy_cli(["purge", "--days", days]) == 2
    assert "--days must be a positive number" in capsys.readouterr().err


async def test_forgetting_a_whatsapp_number_erases_its_pseudonym_and_any_clear_rows(
    domain, settings
):
    # rows stored under the clear number before pseudonyms go too; nobody else's do
    settings = replace(settings, sender_id_key="a-test-key")
    store = make_store(domain, settings)
    number = "whatsapp:+15551234567"
    patient = pseudonym("whatsapp", number, "a-test-key")
    for sender in (patient, number, "rest:someone"):
        await store.save(conversation(domain, sender, *exchange("a?", "ask_cost", "b.")))
    records.record_feedback(patient, "cost", True, url=settings.database_url)

    stored, erased = forget_given_sender(number, settings)
    assert stored == patient
    assert (erased.events, erased.records) == (10, 1)
    assert rows(store, patient) == rows(store, number) == []
    assert rows(store, "rest:someone")


def test_a_sqlite_file_stays_open_and_keeps_a_write_ahead_log(domain, settings):
    store = make_store(domain, settings)
    assert isinstance(store.engine.pool, QueuePool)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    assert sqlite_file_engine("sqlite://") is None
    assert sqlite_file_engine("postgresql://someone@localhost/db") is None
