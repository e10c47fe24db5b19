"""The words of the patients' language that decide safety and NLP: negation cues, the cues
that change what a red-flag match means, search stop words, menu words, the words around
personal data.

They live in knowledge/language/<code>.yml, one file per language; <code> is `language:` in
config.yml (en when it has none). A second language adds its file, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.settings import CONFIG_FILE, LANGUAGE_DIR

DEFAULT_LANGUAGE = "en"
# The cues bot/safety/red_flags.py asks for by name; a language file must give each.
RED_FLAG_CUES = (
    "past_and_over",
    "still_now",
    "hypothetical",
    "present_concern",
    "general_question",
    "idioms",
    "reported",
    "denied_after",
    "mild",
    "denied_intention",
    "ordinary_cause",
    "answered_no",
)


class LanguageFileError(ValueError):
    """A language file is missing or malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Negation:
    cues: frozenset[str]
    # several tokens in a row ("free of")
    phrases: tuple[tuple[str, ...], ...]
    clause_breaks: frozenset[str]


@dataclass(frozen=True)
class PersonalDataCues:
    """The words around personal data (bot/privacy/redaction.py): plain lower-case phrases."""

    # before a name in any case ("my name is sarah")
    name_introducers: tuple[str, ...]
    # before a name only when it starts with a capital ("I'm Olga", not "I'm scared")
    capitalised_name_introducers: tuple[str, ...]
    # after a name that starts with a capital ("Yuki Tanaka here")
    name_followers: tuple[str, ...]
    # before a name at the end of a message ("Thanks, Olga P.")
    sign_offs: tuple[str, ...]
    # "my daughter Emma"
    relatives: tuple[str, ...]
    # "Dr Smith"
    titles: tuple[str, ...]
    # words after an introducer that are not names ("I'm Scared")
    not_names: frozenset[str]
    # and the endings of such words ("Nervous", "Awful")
    not_name_endings: tuple[str, ...]
    # first names of the name list that are also common words ("Will it hurt?", "May I",
    # "Grace period", "a Jade roller"): never a name without a cue
    first_name_stoplist: frozenset[str]
    # brands, products, medicines and other capitalised words that are no one's name ("Is
    # Botox the same?", "Profhilo"): never a name by capitals alone
    known_terms: frozenset[str]
    # the last word of a street address, in any case ("road") or capitalised only ("Way")
    street_words: tuple[str, ...]
    capitalised_street_words: tuple[str, ...]
    # before the street's name ("rue de la Paix"); the end of one word ("Hauptstraße")
    street_words_before: tuple[str, ...]
    street_word_endings: tuple[str, ...]
    unit_words: tuple[str, ...]
    address_cues: tuple[str, ...]
    birth_cues: tuple[str, ...]
    id_cues: tuple[str, ...]
    phone_cues: tuple[str, ...]
    # before a number that is no one's personal data ("order number 100234987")
    reference_cues: tuple[str, ...]
    # numbers said aloud and typed by a phone's dictation ("oh seven seven double oh ..."):
    # the digits, the words that repeat the next one (in the order: twice, three times), the
    # words before an international number, and the other words of a date said aloud
    spoken_digits: tuple[str, ...]
    spoken_repeats: tuple[str, ...]
    spoken_prefixes: tuple[str, ...]
    spoken_date_words: tuple[str, ...]
    # words of a date said aloud that are no part of it at its ends ("the ... of")
    spoken_date_fillers: tuple[str, ...]
    # sign-offs that are words of a sentence too ("my best friend", "love handles")
    sentence_sign_offs: tuple[str, ...]
    # titles that come only before a name, in lower case too ("dr lees"), unlike "doctor"
    short_titles: tuple[str, ...]


# The lists of personal_data:, each required.
_WORD_SETS = ("not_names", "first_name_stoplist", "known_terms")
PERSONAL_DATA_LISTS = tuple(
    name for name in PersonalDataCues.__dataclass_fields__ if name not in _WORD_SETS
)


@dataclass(frozen=True)
class LanguageCues:
    code: str
    source: str
    negation: Negation
    # red-flag cue name -> one expression matching any of its alternatives as whole words
    red_flag_cues: dict[str, re.Pattern]
    # words that end a negation's reach in a red-flag check besides the negation's own
    red_flag_clause_breaks: frozenset[str]
    stop_words: tuple[str, ...]
    option_words: tuple[str, ...]
    personal_data: PersonalDataCues


def project_language(config_file: Path = CONFIG_FILE) -> str:
    """The language code in config.yml's `language:`, en when it has none."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    return str(config.get("language") or DEFAULT_LANGUAGE)


def language_file(code: str, directory: Path | None = None) -> Path:
    return (directory or LANGUAGE_DIR) / f"{code}.yml"


@cache
def language_cues(code: str | None = None, directory: Path | None = None) -> LanguageCues:
    """The cues of a language (the project's by default), read and checked once."""
    path = language_file(code or project_language(), directory or LANGUAGE_DIR)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise LanguageFileError(f"{path}: no such language file") from error
    except yaml.YAMLError as error:
        raise LanguageFileError(f"{path}: not valid YAML: {error}") from error
    return read_language(document, path.stem, str(path))


def read_language(document: object, code: str, source: str) -> LanguageCues:
    document = _section(document, source, "")
    negation = _section(document.get("negation"), source, "negation")
    context = _section(document.get("red_flag_context"), source, "red_flag_context")
    search = _section(document.get("search"), source, "search")
    menus = _section(document.get("menus"), source, "menus")
    personal = _section(document.get("personal_data"), source, "personal_data")
    return LanguageCues(
        code=code,
        source=source,
        negation=Negation(
            cues=frozenset(_words(negation, "cues", source, "negation")),
            phrases=tuple(
                tuple(phrase.split()) for phrase in _words(negation, "phrases", source, "negation")
            ),
            clause_breaks=frozenset(_words(negation, "clause_breaks", source, "negation")),
        ),
        red_flag_cues={
            cue: _whole_words(_words(context, cue, source, "red_flag_context"), cue, source)
            for cue in RED_FLAG_CUES
        },
        red_flag_clause_breaks=frozenset(
            _words(context, "clause_breaks", source, "red_flag_context", required=False)
        ),
        stop_words=tuple(_words(search, "stop_words", source, "search")),
        option_words=tuple(_words(menus, "option_words", source, "menus")),
        personal_data=PersonalDataCues(
            **{
                key: tuple(_words(personal, key, source, "personal_data"))
                for key in PERSONAL_DATA_LISTS
            },
            not_names=_word_set(personal, "not_names", source),
            first_name_stoplist=_word_set(personal, "first_name_stoplist", source),
            known_terms=_word_set(personal, "known_terms", source),
        ),
    )


def _word_set(section: dict, key: str, source: str) -> frozenset[str]:
    return frozenset(str(word).lower() for word in _words(section, key, source, "personal_data"))


def _section(value: object, source: str, name: str) -> dict:
    if not isinstance(value, dict):
        where = f"'{name}'" if name else "the file"
        raise LanguageFileError(f"{source}: {where} must be a mapping of named lists")
    return value


def _words(section: dict, key: str, source: str, name: str, required: bool = True) -> list[str]:
    """A non-empty list of text (messages are matched lower-cased: so are the words here)."""
    items = section.get(key)
    if items is None and not required:
        return []
    if not items or not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise LanguageFileError(f"{source}: {name}: '{key}' must be a list of text")
    if not all(item.strip() for item in items):
        raise LanguageFileError(f"{source}: {name}: '{key}' has an empty entry")
    return items


def _whole_words(alternatives: list[str], cue: str, source: str) -> re.Pattern:
    try:
        return re.compile(rf"\b(?:{'|'.join(alternatives)})\b")
    except re.error as error:
        raise LanguageFileError(f"{source}: red_flag_context: '{cue}': {error}") from error
