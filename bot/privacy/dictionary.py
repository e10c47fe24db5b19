"""Common English words for the redactor (bot/privacy/redaction.py): a capitalised word
mid-sentence that is none of these (nor a brand, a place or a listed cue) may be a name.

The words are the `english-words` package's (MIT, PyPI `english-words==2.0.2`): the lower-case
entries of Webster's Second International (web2, where only proper nouns are capitalised) that
the GNU Collaborative International Dictionary of English (gcide) has too, and gcide's own
lower-case entries ("okay", "email"). Both dictionaries together leave out web2's rare words,
among them names of other languages ("arjun", a tree; "aisling", a vision). They ship in the
wheel and are read from it, lazily, once: nothing is downloaded at run time.

Proper names that are also words ("anna", a coin; "mark"; "will") stay common here: the first
names among them are found by the name list (bot/privacy/gazetteer.py), which has its own
stoplist of the ones that are too common to be names without a cue.
"""

from __future__ import annotations

from functools import cache

from english_words import get_english_words_set

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
    web2 = get_english_words_set(["web2"], alpha=False, lower=False)
    gcide = get_english_words_set(["gcide"], alpha=False, lower=False)
    in_gcide = {word.lower() for word in gcide}
    both = {word for word in web2 if word.islower() and word in in_gcide}
    return frozenset(both | {word for word in gcide if word.islower()})


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
        and (stem := lower[: -len(suffix)] + replacement) is not None
        # "referred", "stopping": the consonant doubled before the ending
        and (stem in words or (stem[-1] == stem[-2] and stem[:-1] in words))
        for suffix, replacement in _SUFFIXES
    )
