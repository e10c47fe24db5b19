"""How intents map to knowledge-base topics: `ask_<topic>` is answered from topic <topic>."""

from __future__ import annotations

TOPIC_INTENT_PREFIX = "ask_"


def topic_for_intent(intent: str | None) -> str | None:
    if intent and intent.startswith(TOPIC_INTENT_PREFIX):
        return intent[len(TOPIC_INTENT_PREFIX) :]
    return None


def intent_for_topic(topic: str) -> str:
    return f"{TOPIC_INTENT_PREFIX}{topic}"
