"""When MesoGuide asks "Did this help?" after a knowledge-base answer.

Deterministic, so a patient is never pestered: the first time after the conversation's
second answer, then at most once every third answer. Never after a reply about urgent care
(the person may need to act, not rate), never inside the self-check, never when an offer or
a choice of topics follows the answer (another question is already on screen), and never
after a personal question (the reply defers to the practitioner).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.topics import ADVICE_TOPIC, RED_FLAG_TOPIC

FIRST_ASK_AT = 2
ASK_EVERY = 3
# Topics whose answer is never rated: urgent care is safety advice; "who should avoid it"
# is followed by the self-check's offer (data/rules.yml).
NOT_RATED_TOPICS = frozenset({"urgent_care", "candidates", RED_FLAG_TOPIC, ADVICE_TOPIC})


@dataclass(frozen=True)
class AnswerTurn:
    """What the feedback rule needs to know about one knowledge-base answer."""

    number: int  # this answer's number in the conversation, counting from 1
    last_asked_at: int | None  # the answer number "Did this help?" last followed, if any
    topics: tuple[str, ...] = ()
    in_self_check: bool = False
    with_options: bool = False  # buttons under the answer: the runners-up to choose from
    personal: bool = False  # a question about the person's own health


def should_ask_feedback(turn: AnswerTurn) -> bool:
    if turn.in_self_check or turn.with_options or turn.personal:
        return False
    if not turn.topics or NOT_RATED_TOPICS.intersection(turn.topics):
        return False
    if turn.number < FIRST_ASK_AT:
        return False
    return turn.last_asked_at is None or turn.number - turn.last_asked_at >= ASK_EVERY
