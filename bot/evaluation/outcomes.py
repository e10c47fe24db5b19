"""What a patient would get back for a message, read from the NLU's parse result.

It follows the same routing as the assistant: a red flag escalates (its urgency from the
most urgent group found), a danger-sign question is asked when the check is unsure, a
confident topic intent is answered, and an unsure classifier offers the closest topics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.safety.red_flags import (
    DANGER_CHECK_INTENT,
    RED_FLAG_ENTITY,
    RED_FLAG_INTENT,
    project_detector,
)
from bot.topics import topics_for_intent

FALLBACK_INTENT = "nlu_fallback"
# An urgency that sends someone to emergency services or a crisis line, not only to a doctor.
URGENT_NOW = ("emergency", "crisis")


@dataclass(frozen=True)
class ReplyOutcome:
    answered: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()
    urgency: str | None = None
    asked_danger_check: bool = False

    @property
    def escalated(self) -> bool:
        return self.urgency is not None

    @property
    def escalated_now(self) -> bool:
        return self.urgency in URGENT_NOW

    def reaches(self, topic: str) -> bool:
        return topic in self.answered or topic in self.offered


def reply_outcome(parse: dict, closest_topics: Callable[[str], list[str]]) -> ReplyOutcome:
    intent = (parse.get("intent") or {}).get("name")
    if intent == RED_FLAG_INTENT:
        groups = [
            e["value"] for e in parse.get("entities") or [] if e.get("entity") == RED_FLAG_ENTITY
        ]
        known = project_detector().groups
        urgencies = [known[g].urgency for g in groups if g in known] or ["emergency"]
        return ReplyOutcome(urgency=min(urgencies, key=URGENCY_ORDER.index))
    if intent == DANGER_CHECK_INTENT:
        return ReplyOutcome(asked_danger_check=True)
    if intent == FALLBACK_INTENT:
        return ReplyOutcome(offered=tuple(closest_topics(parse.get("text") or "")))
    return ReplyOutcome(answered=tuple(topics_for_intent(intent)))


URGENCY_ORDER = ("emergency", "crisis", "doctor_today")
