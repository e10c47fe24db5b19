"""Red flags: spot a person describing an emergency, whatever the intent classifier thinks.

Patterns come from knowledge/red_flags.yml and run as spaCy token patterns (Matcher)
over a blank tokenizer of the project's language with a sentencizer. A match is dropped when
the symptom is denied ("no fever", "my throat is fine, no swelling") or when its sentence says
it is past and over ("years ago", "long gone", "fully recovered"); these cues are the
language's own, in knowledge/language/<code>.yml (bot/language.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
import yaml
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.language import LanguageCues, language_cues
from bot.nlp.negation import is_negated
from bot.settings import KNOWLEDGE_DIR

RED_FLAGS_FILE = KNOWLEDGE_DIR / "red_flags.yml"
URGENCIES = ("emergency", "doctor_today", "crisis")
# What the NLU reports for a message describing a red flag (bot/adapters/nlu/red_flag_check.py).
RED_FLAG_INTENT = "report_red_flag"
RED_FLAG_ENTITY = "red_flag"
# When the check is unsure between calm and urgent, the groups come as this entity instead,
# and one yes/no question about the danger signs is asked (actions/safety.py).
POSSIBLE_RED_FLAG_ENTITY = "possible_red_flag"
# The group of a possible red flag no pattern names (the risk model or the classifier found
# it): the danger-sign question, then advice for all groups.
GENERAL_RED_FLAG = "general"
GAPS = {"...": 5, "....": 12}
MILD_WINDOW = 3
# "i'm not suicidal", "never going to hurt myself": for thoughts of self-harm only a cue right
# before the words counts ("if it doesnt work thats it for me" is not denied).
ANY_CONTEXT_NEGATION_WINDOW = 1


class RedFlagFileError(ValueError):
    """red_flags.yml is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class RedFlagGroup:
    id: str
    urgency: str
    # counts in a question, a hypothetical or a list of warnings too (thoughts of self-harm)
    any_context: bool = False


@dataclass(frozen=True)
class RedFlag:
    group: RedFlagGroup
    matched_text: str
    # False when only a mild form was described ("lips a little puffy"): ask, do not alarm
    certain: bool = True


@dataclass(frozen=True)
class Context:
    """The language's cues that change what a match means (bot/language.py: RED_FLAG_CUES),
    each one whole-word expression."""

    cues: dict[str, re.Pattern]
    clause_breaks: frozenset[str]

    def says(self, cue: str, text: str) -> bool:
        return bool(self.cues[cue].search(text))

    def says_past(self, text: str) -> bool:
        """Over and done with ("years ago"), unless still going on ("but now it's back")."""
        return self.says("past_and_over", text) and not self.says("still_now", text)


class RedFlagDetector:
    def __init__(
        self, config: dict, source: str = str(RED_FLAGS_FILE), language: LanguageCues | None = None
    ):
        self._language = language or language_cues()
        self._context = Context(
            self._language.red_flag_cues,
            self._language.negation.clause_breaks | self._language.red_flag_clause_breaks,
        )
        self._nlp = spacy.blank(self._language.code)
        self._nlp.add_pipe("sentencizer")
        self._matcher = Matcher(self._nlp.vocab)
        self._groups: dict[str, RedFlagGroup] = {}
        self._negated_inside: set[str] = set()
        self._unsure_if_mild: set[str] = set()
        self._unsure_if_explained: set[str] = set()
        terms = _read_terms(config, source)
        for index, entry in enumerate(config.get("groups") or []):
            group = _read_group(entry, index, source)
            self._groups[group.id] = group
            for number, pattern in enumerate(entry["patterns"]):
                text, flags = _read_pattern(pattern, group.id, source)
                key = f"{group.id}#{number}"
                try:
                    tokens = compile_pattern(text, terms)
                except (KeyError, re.error) as error:
                    raise RedFlagFileError(
                        f"{source}: group '{group.id}', pattern '{text}': {error}"
                    ) from error
                self._matcher.add(key, [tokens])
                for flag, keys in (
                    ("negated_inside", self._negated_inside),
                    ("unsure_if_mild", self._unsure_if_mild),
                    ("unsure_if_explained", self._unsure_if_explained),
                ):
                    if flags.get(flag):
                        keys.add(key)
        if not self._groups:
            raise RedFlagFileError(f"{source}: no groups")

    @classmethod
    def from_file(
        cls, path: Path = RED_FLAGS_FILE, language: LanguageCues | None = None
    ) -> RedFlagDetector:
        try:
            config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise RedFlagFileError(f"{path}: not valid YAML: {error}") from error
        return cls(config, str(path), language)

    @property
    def groups(self) -> dict[str, RedFlagGroup]:
        return dict(self._groups)

    def check(self, text: str) -> list[RedFlag]:
        """The red flags a message describes, certain ones first, then most urgent first;
        empty when there are none."""
        doc = self._nlp(normalise(text))
        found: dict[str, RedFlag] = {}
        for key, group, span in self._matches(doc):
            if (group.id in found and found[group.id].certain) or self._dismissed(
                doc, span, key, group
            ):
                continue
            found[group.id] = RedFlag(group, span.text, certain=not self._unsure(doc, span, key))
        return sorted(
            found.values(),
            key=lambda flag: (not flag.certain, URGENCIES.index(flag.group.urgency)),
        )

    def explains_away(self, text: str) -> bool:
        """The message says its symptom is past, reported, asked about in general or a figure
        of speech: no model should read an emergency into it that the patterns did not find."""
        lowered = normalise(text)
        if self._context.says_past(lowered):
            return True
        return any(
            self._context.says(cue, lowered) for cue in ("idioms", "reported", "general_question")
        )

    def dismisses_a_symptom(self, text: str) -> bool:
        """A pattern found a symptom only to dismiss it ("nothing's oozing", "no fever")."""
        doc = self._nlp(normalise(text))
        return any(
            self._dismissed(doc, span, key, group) for key, group, span in self._matches(doc)
        )

    def _matches(self, doc: Doc) -> Iterator[tuple[str, RedFlagGroup, Span]]:
        """Every pattern match: its key ("group#number"), its group and its words."""
        for match_id, start, end in self._matcher(doc):
            key = self._nlp.vocab.strings[match_id]
            yield key, self._groups[key.split("#", 1)[0]], doc[start:end]

    def _dismissed(self, doc: Doc, span: Span, key: str, group: RedFlagGroup) -> bool:
        says = self._context.says
        sentence = span.sent.text.lower()
        if self._context.says_past(sentence):
            return True
        if self._figure_of_speech(span):
            return True
        if group.any_context:
            if key in self._negated_inside:
                return False
            before = doc[max(span.start - 3, 0) : span.start].text
            window = ANY_CONTEXT_NEGATION_WINDOW
            negated = is_negated(doc, span, self._language.negation, window=window)
            return negated or says("denied_intention", before)
        before = doc[span.sent.start : span.start].text
        if says("hypothetical", before) and not says("present_concern", sentence):
            return True
        if any(says(cue, sentence) for cue in ("general_question", "reported", "denied_after")):
            return True
        # "Red streaks? No." answers a question; "My mouth droops. No pain." does not.
        asked = span.sent.text.rstrip().endswith("?")
        if asked and says("answered_no", doc[span.sent.end : span.sent.end + 3].text):
            return True
        if is_negated(doc, span, self._language.negation, breaks=self._context.clause_breaks):
            return True
        return key not in self._negated_inside and self._negation_inside(span)

    def _figure_of_speech(self, span: Span) -> bool:
        """An idiom that covers part of the match ("dying to know"), not one elsewhere in its
        sentence ("i want to die, my hair is falling out")."""
        sentence = span.sent
        start = span.start_char - sentence.start_char
        end = span.end_char - sentence.start_char
        return any(
            found.start() < end and start < found.end()
            for found in self._context.cues["idioms"].finditer(sentence.text.lower())
        )

    def _negation_inside(self, span: Span) -> bool:
        """ "throat is fine, no swelling": a cue between the pattern's first and last word."""
        return any(token.lower_ in self._language.negation.cues for token in span[1:])

    def _unsure(self, doc: Doc, span: Span, key: str) -> bool:
        """A mild form ("a little puffy") or an ordinary cause ("after the stairs")."""
        if key in self._unsure_if_explained and self._context.says("ordinary_cause", doc.text):
            return True
        if key not in self._unsure_if_mild:
            return False
        start = max(span.start - MILD_WINDOW, span.sent.start)
        return self._context.says("mild", doc[start : span.end].text)


def normalise(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").lower()


def compile_pattern(text: str, terms: dict[str, str]) -> list[dict]:
    tokens: list[dict] = []
    for part in text.split():
        if part in GAPS:
            tokens.extend({"OP": "?"} for _ in range(GAPS[part]))
            continue
        expression = "|".join(
            f"(?:{terms[piece[1:]]})" if piece.startswith("@") else piece
            for piece in part.split("|")
        )
        re.compile(expression)
        tokens.append({"LOWER": {"REGEX": f"^(?:{expression})$"}})
    return tokens


def _read_terms(config: dict, source: str) -> dict[str, str]:
    terms = config.get("terms") or {}
    for name, expression in terms.items():
        try:
            re.compile(str(expression))
        except re.error as error:
            raise RedFlagFileError(f"{source}: term '{name}': {error}") from error
    return {str(name): str(expression) for name, expression in terms.items()}


def _read_group(entry: dict, index: int, source: str) -> RedFlagGroup:
    if not isinstance(entry, dict) or not entry.get("id"):
        raise RedFlagFileError(f"{source}: group #{index + 1} has no id")
    if entry.get("urgency") not in URGENCIES:
        raise RedFlagFileError(
            f"{source}: group '{entry['id']}': urgency must be one of {', '.join(URGENCIES)}"
        )
    if not entry.get("patterns"):
        raise RedFlagFileError(f"{source}: group '{entry['id']}' has no patterns")
    return RedFlagGroup(str(entry["id"]), entry["urgency"], bool(entry.get("any_context")))


def _read_pattern(pattern: str | dict, group: str, source: str) -> tuple[str, dict]:
    """The pattern's text and its flags (negated_inside, unsure_if_mild, ...)."""
    if isinstance(pattern, str):
        return pattern, {}
    if isinstance(pattern, dict) and isinstance(pattern.get("pattern"), str):
        return pattern["pattern"], {k: bool(v) for k, v in pattern.items() if k != "pattern"}
    raise RedFlagFileError(f"{source}: group '{group}': a pattern must be text: {pattern!r}")


@lru_cache(maxsize=1)
def project_detector() -> RedFlagDetector:
    return RedFlagDetector.from_file()
