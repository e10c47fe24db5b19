"""The blind PII set stays blind: no test-half message was copied into the redactor's words
(en.yml's personal_data section) or into our own examples (tests/test_redaction.py), and the
two halves share no message. A failure names test messages by number only, never prints them."""

from __future__ import annotations

import re

import yaml

from bot.language import language_file
from bot.settings import PROJECT_ROOT
from bot.tools.evaluation.redaction_scores import labelled_messages, pii_file
from bot.tools.evaluation.sets import near_copies, normalised

DEV = labelled_messages(pii_file("dev"))
TEST = labelled_messages(pii_file("test"))
OUR_EXAMPLES = PROJECT_ROOT / "tests" / "test_redaction.py"


def personal_data_words() -> list[str]:
    section = yaml.safe_load(language_file("en").read_text(encoding="utf-8"))["personal_data"]
    return [str(word) for words in section.values() for word in words]


def string_literals(path) -> list[str]:
    return re.findall(r'"((?:[^"\\\n]|\\.)*)"', path.read_text(encoding="utf-8"))


def test_both_halves_are_large_and_share_no_message():
    assert len(DEV) >= 150 and len(TEST) >= 150
    shared = len({normalised(m.text) for m in DEV} & {normalised(m.text) for m in TEST})
    assert shared == 0


def test_no_test_message_is_in_the_language_file():
    words = normalised(" | ".join(personal_data_words()))
    # a message of a word or two ("Thanks!") could stand in any list by chance
    assert copied_into(words) == []


def test_no_test_message_is_in_our_examples():
    examples = string_literals(OUR_EXAMPLES)
    assert copied_into(normalised(OUR_EXAMPLES.read_text(encoding="utf-8"))) == []
    near = len(near_copies(examples, [m.text for m in TEST]))
    assert near == 0


def copied_into(haystack: str, messages: list[str] | None = None) -> list[int]:
    """The numbers of the test messages (of three words or more) found in a normalised text."""
    texts = [normalised(text) for text in messages or [m.text for m in TEST]]
    return [
        number
        for number, text in enumerate(texts, 1)
        if len(text.split()) >= 3 and text in haystack
    ]


def test_the_checks_see_a_copy():
    made_up = ["hello, my name is Quentin Blake and I'm 40", "ok thanks"]
    assert copied_into(normalised("x = 'Hello my name is Quentin Blake and I'm 40!'"), made_up) == [
        1
    ]
    assert copied_into(normalised("ok thanks"), made_up) == []
    assert len(near_copies(["my name is Quentin Blake and I'm 40!"], made_up)) == 1
