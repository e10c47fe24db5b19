"""Entity precision, recall and F1 of the spaCy pipeline on annotated NLU examples.

Rasa's own `rasa test nlu` skips pretrained extractors such as SpacyEntityExtractor, so
the rule-based entities are scored here: a found entity counts when its span and type
match an annotation exactly; negated mentions are left unannotated, so finding them is a
false positive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.language import Language

ANNOTATION = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def parse_annotated(example: str) -> tuple[str, set[tuple[int, int, str]]]:
    """ "my [tummy](body_area)" -> ("my tummy", {(3, 8, "body_area")})."""
    text, spans, cursor = "", set(), 0
    for match in ANNOTATION.finditer(example):
        text += example[cursor : match.start()]
        spans.add((len(text), len(text) + len(match.group(1)), match.group(2)))
        text += match.group(1)
        cursor = match.end()
    return text + example[cursor:], spans


def annotated_examples(path: Path) -> list[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        line.strip()[2:].strip()
        for block in document["nlu"]
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


@dataclass(frozen=True)
class EntityScores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_entities(nlp: Language, examples: list[str]) -> EntityScores:
    tp = fp = fn = 0
    for example in examples:
        text, expected = parse_annotated(example)
        found = {(e.start_char, e.end_char, e.label_) for e in nlp(text).ents}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
    return EntityScores(tp, fp, fn)
