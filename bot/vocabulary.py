"""The knowledge base's vocabulary: the words patients use, by entity type and canonical value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from bot.settings import KNOWLEDGE_DIR

VOCABULARY_FILE = KNOWLEDGE_DIR / "vocabulary.yml"
CONCERN_LABEL = "concern"
BODY_AREA_LABEL = "body_area"


def normalise(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


@dataclass(frozen=True)
class Vocabulary:
    entities: dict[str, dict[str, tuple[str, ...]]]  # label -> canonical value -> phrases
    body_area_concerns: dict[str, str]
    # topic asked -> concern -> the topic whose entry for that concern answers it
    concern_topics: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def concerns(self) -> dict[str, tuple[str, ...]]:
        return self.entities.get(CONCERN_LABEL, {})

    @cached_property
    def _canonical_by_words(self) -> dict[tuple[str, str], str]:
        """(label, normalised words) -> canonical value; a value also names itself."""
        lookup: dict[tuple[str, str], str] = {}
        for label, values in self.entities.items():
            for value, phrases in values.items():
                for words in (*phrases, value):
                    lookup.setdefault((label, normalise(words)), value)
        return lookup

    def canonical(self, label: str, text: str | None) -> str | None:
        """Map a patient's words ("tummy") to the canonical value ("abdomen") for a label."""
        return self._canonical_by_words.get((label, normalise(text))) if text else None

    def canonical_concern(self, text: str | None) -> str | None:
        return self.canonical(CONCERN_LABEL, text)

    def concern_for(self, concern: str | None, body_area: str | None = None) -> str | None:
        """The concern whose answers apply: the one named, else the body area's."""
        named = self.canonical_concern(concern)
        if named:
            return named
        area = self.canonical(BODY_AREA_LABEL, body_area)
        return self.body_area_concerns.get(area) if area else None

    def answering_topics(self, topics: list[str], concern: str | None) -> list[str]:
        """The topics that answer questions on `topics` about `concern` ("what is hair meso?")."""
        answering = [self.concern_topics.get(t, {}).get(concern or "", t) for t in topics]
        return list(dict.fromkeys(answering))


def read_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entities = document.get("entities")
    if not isinstance(entities, dict) or not all(isinstance(v, dict) for v in entities.values()):
        raise ValueError(f"{path}: 'entities:' must map each entity type to its values")
    seen: dict[str, str] = {}
    parsed: dict[str, dict[str, tuple[str, ...]]] = {}
    for label, values in entities.items():
        parsed[label] = {}
        for value, phrases in values.items():
            where = f"{path}: entity '{label}' value '{value}'"
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                raise ValueError(f"{where}: expected a list of phrases")
            for phrase in phrases:
                key = phrase.lower()
                if key in seen:
                    raise ValueError(f"{where}: '{phrase}' is already listed under {seen[key]}")
                seen[key] = f"'{label}' value '{value}'"
            parsed[label][value] = tuple(phrases)
    areas = document.get("body_area_concerns") or {}
    for area, concern in areas.items():
        if area not in parsed.get(BODY_AREA_LABEL, {}) or concern not in parsed.get(
            CONCERN_LABEL, {}
        ):
            raise ValueError(
                f"{path}: body_area_concerns: '{area}: {concern}' names an unknown value"
            )
    concern_topics = document.get("concern_topics") or {}
    for topic, by_concern in concern_topics.items():
        unknown = set(by_concern or {}) - set(parsed.get(CONCERN_LABEL, {}))
        if not isinstance(by_concern, dict) or unknown:
            raise ValueError(
                f"{path}: concern_topics: '{topic}' must map known concerns to topics"
                + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "")
            )
    return Vocabulary(parsed, dict(areas), concern_topics)


@lru_cache(maxsize=1)
def project_vocabulary() -> Vocabulary:
    return read_vocabulary()
