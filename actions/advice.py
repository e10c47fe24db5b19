"""Personal questions ("I'm pregnant, can I...?", "what dose?"): general facts, then the
practitioner decides. Never a yes or no, never a dose.

A question is personal when it names a condition, a medicine or a dose (the spaCy entities
from knowledge/vocabulary.yml; negated ones, "I'm not pregnant", are already gone).
"""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.knowledge import AnswerWriter, distinct_answers
from bot.knowledge import KnowledgeRepository, TopicAnswer
from bot.topics import ADVICE_ENTITY_LABELS, ADVICE_TOPIC


def advice_subjects(tracker: Tracker) -> list[str]:
    """The conditions, medicines or dose question in the latest message, in order."""
    subjects = [
        entity["value"]
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") in ADVICE_ENTITY_LABELS and entity.get("value")
    ]
    return list(dict.fromkeys(subjects))


def personal_advice(repository: KnowledgeRepository, subjects: list[str]) -> list[TopicAnswer]:
    return distinct_answers(repository, ADVICE_TOPIC, subjects) if subjects else []


def utter_personal_advice(writer: AnswerWriter, facts: list[TopicAnswer]) -> None:
    for answer in facts:
        writer.fact(answer)
    writer.dispatcher.utter_message(response="utter_practitioner_decides")
