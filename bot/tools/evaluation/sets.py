"""The evaluation sets in tests/: real patient questions and the blind safety messages.

Every item carries a fixed `split`: `dev` items may be looked at while choosing thresholds
and patterns, `test` items only ever measured. The floors apply to the test half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

TESTS_DIR = PROJECT_ROOT / "tests"
REAL_QUESTIONS_FILE = TESTS_DIR / "real_questions.yml"
BLIND_DIR = TESTS_DIR / "blind_safety"
SPLITS = ("dev", "test")
GAP_PREFIX = "gap:"
# Labels that name what a question is about, not a topic of their own: hair loss is the hair
# variant of "what can it treat".
TOPIC_ALIASES = {"hair_loss": "uses"}


class EvaluationSetError(ValueError):
    """An evaluation file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class RealQuestion:
    text: str
    url: str
    label: str
    split: str

    @property
    def is_gap(self) -> bool:
        return self.label.startswith(GAP_PREFIX)

    @property
    def topic(self) -> str | None:
        return None if self.is_gap else TOPIC_ALIASES.get(self.label, self.label)


@dataclass(frozen=True)
class SafetyMessage:
    text: str
    split: str
    emergency: bool
    group: str | None = None
    urgency: str | None = None  # for emergencies: "now" or "today"
    kind: int | None = None  # for calm messages: the kind of look-alike


def _entries(path: Path, key: str) -> list[dict]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise EvaluationSetError(f"{path}: not valid YAML: {error}") from error
    entries = document.get(key)
    if not isinstance(entries, list):
        raise EvaluationSetError(f"{path}: no '{key}' list")
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not str(entry.get("text") or "").strip():
            raise EvaluationSetError(f"{path}: {key} #{number} has no text")
        if entry.get("split") not in SPLITS:
            raise EvaluationSetError(
                f"{path}: {key} #{number} ({entry['text']!r}): split must be dev or test"
            )
    return entries


def real_questions(path: Path = REAL_QUESTIONS_FILE) -> list[RealQuestion]:
    questions = []
    for number, entry in enumerate(_entries(path, "questions"), 1):
        if not entry.get("url") or not entry.get("topic"):
            raise EvaluationSetError(f"{path}: questions #{number} needs a url and a topic")
        questions.append(
            RealQuestion(str(entry["text"]), entry["url"], str(entry["topic"]), entry["split"])
        )
    return questions


def blind_safety_messages(directory: Path = BLIND_DIR) -> list[SafetyMessage]:
    messages = [
        SafetyMessage(
            str(e["text"]), e["split"], True, group=e.get("group"), urgency=e.get("urgency")
        )
        for e in _entries(directory / "emergencies.yml", "emergencies")
    ]
    messages += [
        SafetyMessage(str(e["text"]), e["split"], False, kind=e.get("kind"))
        for e in _entries(directory / "calm.yml", "calm")
    ]
    return messages


def normalised(text: str) -> str:
    """Lower case, letters and digits only, single spaces: for finding near copies."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _words(text: str) -> frozenset[str]:
    return frozenset(normalised(text).split())


def near_copies(
    candidates: list[str], protected: list[str], min_overlap: float = 0.8
) -> list[tuple[str, str]]:
    """(candidate, protected) pairs that are the same once normalised, or share nearly all
    their words (Jaccard overlap of word sets >= min_overlap, for three words or more)."""
    protected_words = [(text, _words(text)) for text in protected]
    protected_exact = {normalised(text): text for text in protected}
    pairs = []
    for candidate in candidates:
        if normalised(candidate) in protected_exact:
            pairs.append((candidate, protected_exact[normalised(candidate)]))
            continue
        words = _words(candidate)
        for text, other in protected_words:
            if len(words | other) >= 3 and len(words & other) / len(words | other) >= min_overlap:
                pairs.append((candidate, text))
                break
    return pairs
