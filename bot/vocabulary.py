"""The knowledge base's vocabulary: the words patients use for each concern."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import KNOWLEDGE_DIR

VOCABULARY_FILE = KNOWLEDGE_DIR / "vocabulary.yml"
CONCERN_LABEL = "concern"


@dataclass(frozen=True)
class Vocabulary:
    concerns: dict[str, tuple[str, ...]]

    def canonical_concern(self, text: str | None) -> str | None:
        """Map a patient's words ("tummy", "Face") to a concern key ("fat", "face")."""
        if not text:
            return None
        wanted = _normalise(text)
        if wanted in self.concerns:
            return wanted
        for concern, phrases in self.concerns.items():
            if any(_normalise(phrase) == wanted for phrase in phrases):
                return concern
        return None


def _normalise(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


def read_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    concerns = document.get("concerns")
    if not isinstance(concerns, dict) or not all(
        isinstance(phrases, list) and phrases and all(isinstance(p, str) for p in phrases)
        for phrases in concerns.values()
    ):
        raise ValueError(f"{path}: 'concerns:' must map each concern to a list of phrases")
    return Vocabulary({key: tuple(phrases) for key, phrases in concerns.items()})


@lru_cache(maxsize=1)
def project_vocabulary() -> Vocabulary:
    return read_vocabulary()
