"""BM25 topic search for the fallback, and the topic <-> intent mapping."""

from __future__ import annotations

import json

import pytest

from bot.records import UnansweredRow, most_frequent_unanswered, record_unanswered
from bot.search import TopicSearch
from bot.settings import KNOWLEDGE_DIR
from bot.tools.knowledge.files import read_knowledge_base
from bot.tools.training_data import ProjectFiles, plain_text
from bot.topics import intent_for_topic, topic_for_intent, topics_for_intent
from tests.conftest import stored_rows


@pytest.fixture(scope="module")
def search():
    answers = [
        (a.topic, f"{a.short_answer} {a.details or ''}")
        for a in read_knowledge_base(KNOWLEDGE_DIR).answers
    ]
    return TopicSearch.from_sources(ProjectFiles().topic_examples(), answers)


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("can i put makeup on after", "aftercare"),
        ("insurance", "cost"),
        ("kybella approval", "regulation"),
        ("pregnant", "candidates"),
    ],
)
def test_the_closest_topic_comes_first(search, query, topic):
    matches = search.closest(query)
    assert matches and matches[0].topic == topic
    assert len(matches) <= 3
    assert len({m.topic for m in matches}) == len(matches)


@pytest.mark.parametrize("query", ["", "   ", "zxqv blorp", "asdfgh", "😀😀", "the and of"])
def test_nothing_close_gives_no_topics(search, query):
    assert search.closest(query) == []


def test_toy_corpus_ranks_by_shared_words():
    search = TopicSearch([("cost", "price of a session"), ("pain", "does the needle hurt")])
    assert [m.topic for m in search.closest("needle hurt badly", min_score=0.0)] == ["pain"]


@pytest.mark.parametrize(
    ("intent", "topic", "topics"),
    [
        ("ask_cost", "cost", ["cost"]),
        ("ask_cost+ask_pain", None, ["cost", "pain"]),
        ("greet", None, []),
        ("ask_cost+greet", None, []),
        (None, None, []),
        # answered by a domain response, not the knowledge base
        ("ask_privacy", None, []),
    ],
)
def test_intents_map_to_topics(intent, topic, topics):
    assert topic_for_intent(intent) == topic
    assert topics_for_intent(intent) == topics


def test_intent_for_topic_round_trips():
    assert topic_for_intent(intent_for_topic("side_effects")) == "side_effects"


def test_plain_text_drops_entity_annotations():
    assert plain_text("how much for my [tummy](body_area)?") == "how much for my tummy?"


def test_unanswered_questions_are_stored_redacted_with_their_sender(records_db, monkeypatch):
    monkeypatch.setattr("bot.records.redact", lambda text: text.replace("Ann", "<NAME>"))
    record_unanswered("rest:1", "first? I'm Ann", ["cost"])
    record_unanswered("rest:2", "second 😀", [])
    rows = stored_rows(UnansweredRow, records_db)
    assert [(r.sender_id, r.text, json.loads(r.suggested_topics)) for r in rows] == [
        ("rest:1", "first? I'm <NAME>", ["cost"]),
        ("rest:2", "second 😀", []),
    ]
    assert most_frequent_unanswered(url=records_db) == [("first? I'm <NAME>", 1), ("second 😀", 1)]
