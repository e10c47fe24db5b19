"""Flesch-Kincaid grade level, computed locally (no downloads).

Syllables are counted two ways, by pyphen's English hyphenation dictionary and by vowel
groups, and the larger count is used, so the grade errs on the strict side.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
VOWEL_GROUP = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def _vowel_group_syllables(word: str) -> int:
    silent_e = word.endswith("e") and not word.endswith(("le", "ee", "ye"))
    silent_ed = word.endswith("ed") and not word.endswith(("ted", "ded"))
    return max(len(VOWEL_GROUP.findall(word)) - (silent_e or silent_ed), 1)


def syllables(word: str) -> int:
    word = word.lower().replace("’", "'")
    if word[0].isdigit():
        return max(len(word.replace(",", "").replace(".", "")), 1)  # "250" is said in several beats
    by_hyphenation = len(_hyphenator().positions(word)) + 1
    return max(by_hyphenation, _vowel_group_syllables(word))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentence_count(text: str) -> int:
    return max(len(SENTENCE_END.findall(text.strip() + " ")), 1)


def flesch_kincaid_grade(text: str) -> float:
    found = words(text)
    if not found:
        return 0.0
    words_per_sentence = len(found) / sentence_count(text)
    syllables_per_word = sum(syllables(word) for word in found) / len(found)
    return round(0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59, 1)
