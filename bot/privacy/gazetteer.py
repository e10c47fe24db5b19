"""Known first names and surnames for the redactor (bot/privacy/redaction.py).

The lists are the `names` package's (MIT, PyPI `names==0.3.0`): the US Census first names
(dist.male.first, dist.female.first, ~5,200 names) and surnames (dist.all.last, ~88,800), one
a line ("JAMES          3.318  3.318      1"). They ship in the package and are read from it with
importlib.resources, lazily, once: nothing is downloaded at run time.

A name is looked up folded: lower case, without accents ("Chloé" is "chloe"), without
apostrophes ("O'Brien" is "obrien"); a hyphenated name by its whole or its first part
("Hye-jin", "Anne-Marie").
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import files

PACKAGE = "names"
FIRST_NAME_FILES = ("dist.male.first", "dist.female.first")
SURNAME_FILES = ("dist.all.last",)


def _read(*filenames: str) -> frozenset[str]:
    found: set[str] = set()
    for filename in filenames:
        text = (files(PACKAGE) / filename).read_text(encoding="utf-8")
        found.update(line.split(None, 1)[0].lower() for line in text.splitlines() if line.strip())
    return frozenset(found)


@cache
def first_names() -> frozenset[str]:
    return _read(*FIRST_NAME_FILES)


@cache
def surnames() -> frozenset[str]:
    return _read(*SURNAME_FILES)


@cache
def folded(word: str) -> str:
    """A word as the lists hold it: lower case, no accents, no apostrophes."""
    plain = unicodedata.normalize("NFKD", word)
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return plain.lower().replace("'", "").replace("’", "")


def _in(word: str, names: frozenset[str]) -> bool:
    key = folded(word)
    if key in names:
        return True
    parts = key.split("-")
    return len(parts) > 1 and parts[0] in names and all(parts)


def is_first_name(word: str) -> bool:
    return _in(word, first_names())


def is_surname(word: str) -> bool:
    return _in(word, surnames())
