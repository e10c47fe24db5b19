"""Checks that keep the knowledge base honest: readable, sourced, and reachable.

`python -m bot.knowledge check` (make kb-check) runs these after the file validation.
Rasa's files are read as plain YAML, so no Rasa import is needed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.files import Problem
from bot.knowledge.model import GENERAL_CONCERN, KnowledgeBase
from bot.readability import flesch_kincaid_grade, words
from bot.topics import TOPIC_INTENT_PREFIX, intent_for_topic, topic_for_intent
from bot.vocabulary import Vocabulary

MAX_GRADE = 8.0
MAX_SHORT_ANSWER_WORDS = 60
ANSWER_ACTION = "action_answer_question"


@dataclass(frozen=True)
class ProjectFiles:
    """Where the Rasa training data lives (relative to the project root)."""

    root: Path

    @property
    def domain(self) -> Path:
        return self.root / "domain.yml"

    def training_files(self) -> list[Path]:
        data = self.root / "data"
        return sorted(
            p for p in data.rglob("*.yml") if "knowledge" not in p.relative_to(data).parts
        )


def readability_problems(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    for answer in kb.answers:
        where = Path(answer.file or "?")
        grade = flesch_kincaid_grade(answer.short_answer)
        if grade > MAX_GRADE:
            problems.append(
                Problem(where, answer.id, f"short answer reads at grade {grade} (max {MAX_GRADE})")
            )
        count = len(words(answer.short_answer))
        if count > MAX_SHORT_ANSWER_WORDS:
            problems.append(
                Problem(
                    where,
                    answer.id,
                    f"short answer has {count} words (max {MAX_SHORT_ANSWER_WORDS})",
                )
            )
        if answer.details and flesch_kincaid_grade(answer.details) > MAX_GRADE:
            grade = flesch_kincaid_grade(answer.details)
            problems.append(
                Problem(where, answer.id, f"details read at grade {grade} (max {MAX_GRADE})")
            )
    return problems


def reachability_problems(
    kb: KnowledgeBase, files: ProjectFiles, vocabulary: Vocabulary
) -> list[Problem]:
    domain = _read_yaml(files.domain)
    domain_intents = {_intent_name(item) for item in domain.get("intents", [])}
    topic_intents = {intent for intent in domain_intents if intent.startswith(TOPIC_INTENT_PREFIX)}
    examples = _nlu_example_counts(files)
    routed = _intents_routed_to(ANSWER_ACTION, files)
    topics = kb.topics()

    problems = []
    for intent in sorted(topic_intents):
        if topic_for_intent(intent) not in topics:
            problems.append(
                Problem(
                    files.domain,
                    intent,
                    f"intent has no knowledge-base entry (topic '{topic_for_intent(intent)}')",
                )
            )
    variants: dict[str, set[str]] = defaultdict(set)
    for answer in kb.answers:
        variants[answer.topic].add(answer.concern)
        intent = intent_for_topic(answer.topic)
        reason = None
        if intent not in domain_intents:
            reason = f"no intent '{intent}' in domain.yml"
        elif not examples.get(intent):
            reason = f"intent '{intent}' has no NLU examples"
        elif intent not in routed:
            reason = f"no rule or story sends intent '{intent}' to {ANSWER_ACTION}"
        elif answer.concern != GENERAL_CONCERN and answer.concern not in vocabulary.concerns:
            reason = f"concern '{answer.concern}' is not in data/knowledge/vocabulary.yml"
        if reason:
            problems.append(
                Problem(Path(answer.file or "?"), answer.id, f"never reachable: {reason}")
            )
    for topic, concerns in sorted(variants.items()):
        if GENERAL_CONCERN not in concerns:
            problems.append(
                Problem(
                    Path("data/knowledge/answers"),
                    topic,
                    "topic has no general answer to fall back on",
                )
            )
    return problems


def grade_summary(kb: KnowledgeBase) -> str:
    grades = [flesch_kincaid_grade(answer.short_answer) for answer in kb.answers]
    return f"short-answer reading grade: highest {max(grades)}, median {statistics.median(grades)}"


def _read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _intent_name(item) -> str:
    return next(iter(item)) if isinstance(item, dict) else str(item)


def _nlu_example_counts(files: ProjectFiles) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for path in files.training_files():
        for block in _read_yaml(path).get("nlu", []) or []:
            if "intent" in block:
                lines = str(block.get("examples", "")).splitlines()
                counts[block["intent"]] += sum(1 for line in lines if line.strip().startswith("- "))
    return counts


def _intents_routed_to(action: str, files: ProjectFiles) -> set[str]:
    """Intents that some rule or story follows directly with `action`."""
    routed: set[str] = set()
    for path in files.training_files():
        document = _read_yaml(path)
        for flow in (document.get("rules") or []) + (document.get("stories") or []):
            previous: set[str] = set()
            for step in flow.get("steps", []):
                if "intent" in step:
                    previous = {step["intent"]}
                elif "or" in step:
                    previous = {option["intent"] for option in step["or"] if "intent" in option}
                elif step.get("action") == action:
                    routed |= previous
                else:
                    previous = set()
    return routed
