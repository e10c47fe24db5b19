"""How intents map to knowledge-base topics.

`ask_<topic>` is answered from the entries for <topic>; a two-question message is
classified as `ask_<a>+ask_<b>` (Rasa's multi-intent syntax) and answered for both.
"""

from __future__ import annotations

TOPIC_INTENT_PREFIX = "ask_"
# Topics no ask_<topic> intent asks for. Red-flag answers are given by action_red_flag (one
# variant per group); personal-advice answers are added to an answer when the question names
# a condition, a medicine or a dose (one variant per value of those entities).
RED_FLAG_TOPIC = "red_flag"
ADVICE_TOPIC = "personal_advice"
ADVICE_ENTITY_LABELS = ("condition", "medicine", "dose")
MULTI_INTENT_SEPARATOR = "+"
# ask_ intents a domain response answers, not the knowledge base: they name no topic.
NOT_TOPIC_INTENTS = frozenset({"ask_privacy"})
# Answers about risks keep a one-line "general information, not medical advice" reminder;
# the session notice says it once for everything else.
TOPICS_WITH_REMINDER = frozenset(
    {"side_effects", "safety", "candidates", "urgent_care", "lipolysis", "recovery"}
)


def topic_for_intent(intent: str | None) -> str | None:
    """The topic of a single-question intent, else None."""
    if intent in NOT_TOPIC_INTENTS:
        return None
    if intent and intent.startswith(TOPIC_INTENT_PREFIX) and MULTI_INTENT_SEPARATOR not in intent:
        return intent[len(TOPIC_INTENT_PREFIX) :]
    return None


def topics_for_intent(intent: str | None) -> list[str]:
    """Every topic an intent asks about, in order: "ask_cost+ask_pain" -> ["cost", "pain"]."""
    parts = (intent or "").split(MULTI_INTENT_SEPARATOR)
    topics = [topic_for_intent(part) for part in parts]
    return [topic for topic in topics if topic] if all(topics) else []


def intent_for_topic(topic: str) -> str:
    return f"{TOPIC_INTENT_PREFIX}{topic}"
