"""What a patient would get back, read from a parse result, and the scores built on it."""

from __future__ import annotations

from bot.tools.evaluation.outcomes import ReplyOutcome, reply_outcome
from bot.tools.evaluation.scores import Floor, failed_floors, question_scores, safety_scores
from bot.tools.evaluation.sets import RealQuestion, SafetyMessage


def parse(intent, *entities, confidence=0.9, ranking=()):
    return {
        "text": "a message",
        "intent": {"name": intent, "confidence": confidence},
        "entities": [{"entity": e, "value": v} for e, v in entities],
        "intent_ranking": [{"name": intent, "confidence": confidence}, *ranking],
    }


def no_topics(_parse):
    return []


def test_a_red_flag_escalates_at_its_most_urgent_groups_level():
    outcome = reply_outcome(
        parse("report_red_flag", ("red_flag", "infection"), ("red_flag", "self_harm")), no_topics
    )
    assert outcome.urgency == "crisis" and outcome.escalated_now


def test_a_possible_red_flag_only_asks():
    outcome = reply_outcome(parse("report_red_flag", ("possible_red_flag", "general")), no_topics)
    assert outcome.asked_danger_check and not outcome.escalated


def test_a_middling_answer_also_offers_related_topics():
    outcome = reply_outcome(
        parse("ask_cost", confidence=0.5, ranking=[{"name": "ask_pain", "confidence": 0.3}]),
        no_topics,
    )
    assert outcome.answered == ("cost",) and outcome.reaches("pain")


def test_the_answer_follows_the_last_concern_named_as_the_slot_would():
    outcome = reply_outcome(
        parse("ask_what_is", ("concern", "fat"), ("concern", "hair")), no_topics
    )
    assert outcome.answered == ("uses",)
    assert reply_outcome(parse("ask_what_is"), no_topics).answered == ("what_is",)


def test_a_fallback_offers_what_the_suggester_gives():
    outcome = reply_outcome(parse("nlu_fallback"), lambda p: ["cost", "pain"])
    assert outcome.offered == ("cost", "pain") and not outcome.answered


def test_scores_count_right_answers_reach_recall_under_triage_and_false_alarms():
    questions = [
        RealQuestion("a", "u", "cost", "test"),
        RealQuestion("b", "u", "pain", "test"),
        RealQuestion("c", "u", "gap: parking", "test"),
    ]
    outcomes = [ReplyOutcome(answered=("cost",)), ReplyOutcome(offered=("pain",)), ReplyOutcome()]
    scores = question_scores(questions, outcomes)
    assert (scores["answered_right"], scores["reached_right"], scores["questions"]) == (0.5, 1.0, 2)

    messages = [
        SafetyMessage("a", "test", True, urgency="now"),
        SafetyMessage("b", "test", True, urgency="today"),
        SafetyMessage("c", "test", False),
    ]
    outcomes = [
        ReplyOutcome(urgency="doctor_today"),
        ReplyOutcome(asked_danger_check=True),
        ReplyOutcome(urgency="emergency"),
    ]
    scores = safety_scores(messages, outcomes)
    assert (scores["recall"], scores["under_triage"], scores["false_alarm"]) == (0.5, 1.0, 1.0)
    assert failed_floors(scores, [Floor("recall", 0.9), Floor("false_alarm", 1.0, False)]) == [
        "recall 0.5 < 0.9"
    ]
