"""Common English words for the redactor (bot/privacy/redaction.py): a capitalised word
mid-sentence that is none of these (nor a brand, a place or a listed cue) may be a name.

The words are the `english-words` package's (MIT, PyPI `english-words==2.0.2`): the lower-case
entries of Webster's Second International (web2, where only proper nouns are capitalised) and
of the GNU Collaborative International Dictionary of English (gcide). They ship in the wheel and
are read from it, lazily, once: nothing is downloaded at run time.

Proper names that are also words ("anna", a coin; "mark"; "will") stay common here: the first
names among them are found by the name list (bot/privacy/gazetteer.py), which has its own
stoplist of the ones that are too common to be names without a cue.
"""

from __future__ import annotations

from functools import cache

from english_words import get_english_words_set

SOURCES = ("web2", "gcide")
# inflections the dictionaries leave out: "Clinics", "Booked", "Injecting"
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("est", ""),
    ("d", ""),
)
# the end of a contraction: "Don't", "Can't", "I'll", "Hasn't"
_CONTRACTIONS = ("n't", "'s", "'m", "'re", "'ve", "'ll", "'d")


@cache
def common_words() -> frozenset[str]:
    words = get_english_words_set(list(SOURCES), alpha=False, lower=False)
    return frozenset(word for word in words if word.islower())


@cache
def is_common_word(word: str) -> bool:
    """Whether a word, in any case, is a common English word or an inflection of one."""
    lower = word.lower().replace("’", "'")
    for ending in _CONTRACTIONS:
        if lower.endswith(ending) and len(lower) > len(ending):
            lower = lower[: -len(ending)]
            break
    words = common_words()
    if lower in words:
        return True
    if "-" in lower:
        parts = lower.split("-")
        return all(part and (part in words or is_common_word(part)) for part in parts)
    return any(
        lower.endswith(suffix)
        and len(lower) - len(suffix) >= 3
        and lower[: -len(suffix)] + replacement in words
        for suffix, replacement in _SUFFIXES
    )
