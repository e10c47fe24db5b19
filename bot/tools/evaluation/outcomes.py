"""What a patient would get back for a message, read from the NLU's parse result.

It follows the same routing as the assistant: a red flag escalates (its urgency from the
most urgent group found), a danger-sign question is asked when the check is unsure (a
`report_red_flag` intent with only `possible_red_flag` entities), a
confident topic intent is answered, and an unsure classifier offers the closest topics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.safety.red_flags import RED_FLAG_ENTITY, RED_FLAG_INTENT, project_detector
from bot.suggestions import related_topics
from bot.topics import topics_for_intent
from bot.vocabulary import BODY_AREA_LABEL, CONCERN_LABEL, project_vocabulary

FALLBACK_INTENT = "nlu_fallback"
# An urgency that sends someone to emergency services or a crisis line, not only to a doctor.
URGENT_NOW = ("emergency", "crisis")
# Most urgent first: the reply a message with several groups gets.
URGENCY_ORDER = ("emergency", "crisis", "doctor_today")


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


def concern_in(parse: dict) -> str | None:
    """The concern an answer is for: Rasa fills a text slot with the entity's last value."""
    last = {entity.get("entity"): entity.get("value") for entity in parse.get("entities") or []}
    return project_vocabulary().concern_for(last.get(CONCERN_LABEL), last.get(BODY_AREA_LABEL))


def reply_outcome(parse: dict, offered_topics: Callable[[dict], list[str]]) -> ReplyOutcome:
    intent = (parse.get("intent") or {}).get("name")
    if intent == RED_FLAG_INTENT:
        entities = parse.get("entities") or []
        groups = [e["value"] for e in entities if e.get("entity") == RED_FLAG_ENTITY]
        if not groups:
            return ReplyOutcome(asked_danger_check=True)
        known = project_detector().groups
        urgencies = [known[g].urgency for g in groups if g in known] or ["emergency"]
        return ReplyOutcome(urgency=min(urgencies, key=URGENCY_ORDER.index))
    if intent == FALLBACK_INTENT:
        return ReplyOutcome(offered=tuple(offered_topics(parse)))
    answered = project_vocabulary().answering_topics(topics_for_intent(intent), concern_in(parse))
    return ReplyOutcome(
        answered=tuple(answered),
        offered=tuple(related_topics(parse.get("intent_ranking") or [], answered)),
    )
