"""make report: unanswered questions, votes per topic, conversations per day and channel."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import Column, Float, Integer, String, Text, create_engine
from sqlalchemy.orm import Session, declarative_base

from bot.conversation_stats import DailyConversations, conversations_per_day
from bot.records import record_feedback, record_unanswered
from bot.tools import report

# Rasa's SQL tracker store's events table, as far as the report reads it.
Base = declarative_base()


class Event(Base):
    __tablename__ = "events"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    type_name = Column(String(255), nullable=False)
    timestamp = Column(Float)
    intent_name = Column(String(255))
    action_name = Column(String(255))
    data = Column(Text)


def at(day: int, hour: int = 12) -> float:
    return datetime(2026, 12, day, hour, tzinfo=timezone.utc).timestamp()


def write_events(url: str, events: list[tuple[str, str, float, dict]]) -> None:
    engine = create_engine(url, future=True)
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for sender, type_name, timestamp, data in events:
            session.add(
                Event(
                    sender_id=sender,
                    type_name=type_name,
                    timestamp=timestamp,
                    data=json.dumps({"event": type_name, **data}),
                )
            )
    engine.dispose()


def test_conversations_are_distinct_senders_per_utc_day_and_channel(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    write_events(
        url,
        [
            ("rest:a", "user", at(1, 9), {"input_channel": "rest"}),
            ("rest:a", "user", at(1, 10), {"input_channel": "rest"}),  # same conversation
            ("rest:a", "bot", at(1, 10), {}),  # not a message from the person
            ("rest:b", "user", at(1, 23), {"input_channel": "rest"}),
            ("telegram:c", "user", at(1, 11), {"input_channel": "telegram"}),
            ("rest:a", "user", at(2, 0), {"input_channel": "rest"}),  # the next UTC day
            ("x", "user", at(2, 1), {}),
        ],
    )
    assert conversations_per_day(url) == [
        DailyConversations(datetime(2026, 12, 1).date(), "rest", 2),
        DailyConversations(datetime(2026, 12, 1).date(), "telegram", 1),
        DailyConversations(datetime(2026, 12, 2).date(), "rest", 1),
        DailyConversations(datetime(2026, 12, 2).date(), "unknown", 1),
    ]


def test_no_tracker_store_yet_means_no_conversations(tmp_path):
    assert conversations_per_day(f"sqlite:///{tmp_path / 'none.db'}") == []


def run_report(tmp_path, monkeypatch, capsys) -> str:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    out = tmp_path / "results"
    assert report.main(["--out", str(out)]) == 0
    assert (out / "report.png").read_bytes().startswith(b"\x89PNG")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert markdown in capsys.readouterr().out
    return markdown


def test_an_empty_database_says_nothing_is_recorded_yet(tmp_path, monkeypatch, capsys, records_db):
    assert report.NOTHING_YET in run_report(tmp_path, monkeypatch, capsys)


def test_the_report_lists_questions_votes_and_conversations(
    tmp_path, monkeypatch, capsys, records_db
):
    for sender in ("rest:a", "rest:b"):
        record_unanswered(sender, "can i fly after", [])
    record_unanswered("rest:a", "is it | halal", ["ingredients"])
    for helpful in (True, True, True, False):
        record_feedback("rest:a", "cost", helpful)
    record_feedback("rest:b", "pain", False)
    write_events(
        f"sqlite:///{tmp_path / 'tracker.db'}",
        [("rest:a", "user", at(3), {"input_channel": "rest"})],
    )
    markdown = run_report(tmp_path, monkeypatch, capsys)
    assert "| can i fly after | 2 |" in markdown
    assert "| is it \\| halal | 1 |" in markdown
    assert "| cost | 3 | 1 | 75% |" in markdown
    assert "| pain | 0 | 1 | 0% |" in markdown
    assert "| 2026-12-03 | rest | 1 |" in markdown
    assert markdown.index("unanswered") < markdown.index("Helpfulness") < markdown.index("per day")
