"""A learned second look for the redactor (bot/privacy/redaction.py): a linear-chain CRF over
the words of a message that marks names, addresses, birth dates and ID numbers the rules miss.

The rules know the shapes and the cue words; they stop short on writing they were not made for
(dictation, forms read by a camera, names in a story). The CRF reads each word with its
neighbours: the words themselves, their case and shape, and whether the name lists or the
dictionary hold them. It does not see what the rules found: trained on the rules' finds, it
learnt to repeat them, and added less on writing new to both (cross-validation, see the
builder). Its spans are added to the rules' spans, never taken from them.

It is trained at build time (`python -m bot.tools.build_pii_model`, part of `make build`) on
labelled sets written by people who never saw the redactor (knowledge/personal_data_examples/
and the blind sets' dev halves); nothing pretrained, nothing downloaded. python-crfsuite comes
with Rasa.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from bot.privacy.dictionary import is_common_word
from bot.privacy.gazetteer import is_first_name, is_surname
from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

DEFAULT_MODEL = PROJECT_ROOT / "build" / "privacy" / "pii_model.crfsuite"
OUTSIDE = "O"
# A word, with its inner apostrophes ("O'Brien", "don't"); else one character of punctuation.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\S")
_NEIGHBOURS = (-2, -1, 1, 2)
# The trainer's settings, chosen by cross-validation over the training sets (see the builder).
TRAINING_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200}
# A span the model finds is kept when each of its words' labels has at least this probability.
THRESHOLD = 0.25


class SpanModelError(ValueError):
    """The model file is missing or unreadable."""


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int
    confidence: float


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-ZÀ-Þ]", "X", word)
    shape = re.sub(r"[a-zß-ÿ]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1{2,}", r"\1\1", shape)


def _word_features(token: Token) -> dict[str, str | float]:
    word = token.text
    lower = word.lower()
    features: dict[str, str | float] = {
        "w": lower,
        "shape": _shape(word),
        "suffix": lower[-3:],
        "suffix2": lower[-2:],
        "length": str(min(len(word), 10)),
    }
    if word[0].isalpha():
        features["title"] = float(word[0].isupper() and not word.isupper())
        features["upper"] = float(word.isupper() and len(word) > 1)
        features["first_name"] = float(is_first_name(word))
        features["surname"] = float(is_surname(word))
        features["common"] = float(is_common_word(word))
    return features


def features(text: str, words: Sequence[Token]) -> list[dict]:
    """Each word's own features and its neighbours' (prefixed with their offset)."""
    own = [_word_features(token) for token in words]
    rows = []
    for index, token in enumerate(words):
        row: dict[str, str | float] = {"bias": 1.0, **own[index]}
        row["prefix"] = token.text.lower()[:3]
        before = text[words[index - 1].end : token.start] if index else "\n"
        row["line_start"] = float("\n" in before)
        row["spaced"] = float(bool(before))
        for offset in _NEIGHBOURS:
            other = index + offset
            if 0 <= other < len(words):
                for key in ("w", "shape", "title", "first_name", "surname", "common"):
                    if key in own[other]:
                        row[f"{offset}:{key}"] = own[other][key]
            else:
                row[f"{offset}:edge"] = 1.0
        rows.append(row)
    return rows


def bio_labels(words: Sequence[Token], spans: Iterable) -> list[str]:
    """B-/I- labels: a word starts a span when the word before is not in the same span."""
    labels = [OUTSIDE] * len(words)
    for span in spans:
        inside = [
            i for i, token in enumerate(words) if token.start < span.end and span.start < token.end
        ]
        for position, index in enumerate(inside):
            labels[index] = ("B-" if position == 0 else "I-") + span.kind
    return labels


class SpanModel:
    """The trained CRF: the spans it finds in a text."""

    def __init__(self, path: Path = DEFAULT_MODEL, threshold: float = THRESHOLD) -> None:
        self.path = path
        self.threshold = threshold
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(path))
        except (OSError, ValueError) as error:
            raise SpanModelError(
                f"{path}: no personal-data model; build it with "
                "`python -m bot.tools.build_pii_model` (make build does)"
            ) from error

    def find(self, text: str) -> list[Found]:
        words = tokens(text)
        if not words:
            return []
        labels = self._tagger.tag(features(text, words))
        return [
            found
            for found in _spans(words, labels, self._tagger.marginal)
            if found.confidence >= self.threshold
        ]


def load_span_model(path: Path = DEFAULT_MODEL) -> SpanModel | None:
    """The built model; without one, a warning and None (the rules alone still run)."""
    try:
        return SpanModel(path)
    except SpanModelError as error:
        logger.warning("Personal data is found by the rules alone: %s", error)
        return None


def _spans(
    words: Sequence[Token], labels: Sequence[str], marginal: Callable[[str, int], float]
) -> list[Found]:
    found: list[Found] = []
    index = 0
    while index < len(labels):
        label = labels[index]
        if label == OUTSIDE:
            index += 1
            continue
        kind = label[2:]
        end = index + 1
        while end < len(labels) and labels[end] == f"I-{kind}":
            end += 1
        confidence = min(marginal(labels[i], i) for i in range(index, end))
        found.append(Found(kind, words[index].start, words[end - 1].end, confidence))
        index = end
    return found


def train(examples: Iterable[tuple[str, Sequence]], path: Path, params: dict | None = None) -> None:
    """Trains on (text, labelled spans) and writes the model to path."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, labelled in examples:
        words = tokens(text)
        if words:
            trainer.append(features(text, words), bio_labels(words, labelled))
    trainer.set_params({**TRAINING_PARAMS, **(params or {})})
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
