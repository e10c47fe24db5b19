"""Topics to offer as buttons: when the classifier is unsure what a message asks, and beside
an answer given with middling confidence ("Related: ...").

For an unsure message: first the topic intents the classifier ranked highest (it weighs both
the words and the meaning of the message, through the sentence embedding); then, when the
ranking holds too few, the BM25 search over the training questions and the answers. No topic
at all means nothing was close: ask the person to rephrase.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.search import TopicSearch
from bot.topics import topics_for_intent

# A ranked intent this unlikely is not worth a button.
MIN_CONFIDENCE = 0.05
OFFERED_TOPICS = 3
# An answer given with less confidence than this also offers the runners-up.
CONFIDENT = 0.9
RELATED_TOPICS = 2


def closest_topics(
    text: str, intent_ranking: Sequence[dict], search: TopicSearch, limit: int = OFFERED_TOPICS
) -> list[str]:
    topics: list[str] = []
    for entry in intent_ranking:
        if (entry.get("confidence") or 0.0) < MIN_CONFIDENCE:
            continue
        topics.extend(t for t in topics_for_intent(entry.get("name")) if t not in topics)
    if len(topics) < limit:
        topics.extend(m.topic for m in search.closest(text) if m.topic not in topics)
    return topics[:limit]


def related_topics(
    intent_ranking: Sequence[dict], answered: Sequence[str], limit: int = RELATED_TOPICS
) -> list[str]:
    """The runners-up to offer beside an answer, when the classifier was not confident."""
    if not intent_ranking or (intent_ranking[0].get("confidence") or 0.0) >= CONFIDENT:
        return []
    topics: list[str] = []
    for entry in intent_ranking[1:]:
        if (entry.get("confidence") or 0.0) < MIN_CONFIDENCE:
            break
        topics.extend(
            t for t in topics_for_intent(entry.get("name")) if t not in topics and t not in answered
        )
    return topics[:limit]
