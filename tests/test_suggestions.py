"""Topics offered as buttons: for an unsure message, and beside a middling answer."""

from __future__ import annotations

from bot.search import TopicMatch
from bot.suggestions import CONFIDENT, closest_topics, related_topics


class WordSearch:
    """Stands in for the BM25 search: a topic matches when its word is in the text."""

    def closest(self, text):
        words = {"price": "cost", "hurt": "pain"}
        return [TopicMatch(topic, 2.0) for word, topic in words.items() if word in text]


SEARCH = WordSearch()


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_the_classifiers_ranked_topics_come_first_then_the_search_fills_in():
    offered = closest_topics(
        "what is the price",
        ranking(("nlu_fallback", 0.4), ("ask_uses", 0.3), ("greet", 0.2)),
        SEARCH,
    )
    assert offered == ["uses", "cost"]


def test_a_two_question_intent_offers_both_topics_once():
    offered = closest_topics("xyz", ranking(("ask_cost+ask_pain", 0.3), ("ask_cost", 0.2)), SEARCH)
    assert offered == ["cost", "pain"]


def test_unlikely_intents_and_unknown_words_offer_nothing():
    assert closest_topics("qwertyuiop", ranking(("ask_uses", 0.01)), SEARCH) == []


def test_a_confident_answer_offers_no_related_topics():
    assert related_topics(ranking(("ask_cost", CONFIDENT), ("ask_pain", 0.1)), ["cost"]) == []


def test_a_middling_answer_offers_the_runners_up_but_not_itself():
    offered = related_topics(
        ranking(("ask_cost", 0.5), ("ask_cost+ask_sessions", 0.2), ("ask_pain", 0.1)), ["cost"]
    )
    assert offered == ["sessions", "pain"]
