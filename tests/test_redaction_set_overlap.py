"""The blind PII sets stay blind: no test-half message (of any round) was copied
into the redactor's words (en.yml's personal_data section), into our own examples
(tests/test_redaction.py, tests/test_redaction_names.py) or into the learned model's training
sets (knowledge/personal_data_examples/), and no two halves, of one round or of two, share a
message. A failure names test messages by half and number only, never prints
them."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.language import language_file
from bot.settings import KNOWLEDGE_DIR, PROJECT_ROOT
from bot.tools.evaluation.redaction_scores import is_test_half, labelled_messages, round_halves
from bot.tools.evaluation.sets import near_copies, normalised

HALVES = {name: labelled_messages(path) for name, path in round_halves().items()}
# (half, number) and text of every test message, of every round
TEST = [
    ((name, number), message.text)
    for name, messages in HALVES.items()
    if is_test_half(name)
    for number, message in enumerate(messages, 1)
]
OUR_EXAMPLES = [
    PROJECT_ROOT / "tests" / "test_redaction.py",
    PROJECT_ROOT / "tests" / "test_redaction_names.py",
]


TRAINING_SETS = sorted((KNOWLEDGE_DIR / "personal_data_examples").glob("*.yml"))


def personal_data_words() -> list[str]:
    section = yaml.safe_load(language_file("en").read_text(encoding="utf-8"))["personal_data"]
    return [str(word) for words in section.values() for word in words]


def string_literals(path) -> list[str]:
    return re.findall(r'"((?:[^"\\\n]|\\.)*)"', path.read_text(encoding="utf-8"))


def test_all_eight_rounds_are_there():
    assert {
        f"{prefix}{half}"
        for prefix in ("", *(f"round{n}-" for n in range(2, 9)))
        for half in ("dev", "test")
    } <= set(HALVES)


def test_the_halves_are_large_and_share_no_message():
    # a message without a word ("???", an emoji) may stand in any two halves by chance
    texts = {
        name: {normalised(m.text) for m in messages if normalised(m.text).split()}
        for name, messages in HALVES.items()
    }
    assert all(len(messages) >= 150 for messages in HALVES.values())
    shared = [
        (one, other, len(texts[one] & texts[other]))
        for one in texts
        for other in texts
        if one < other and texts[one] & texts[other] - short_without_personal_data()
    ]
    assert shared == []


def short_without_personal_data() -> set[str]:
    """Messages of twelve words or fewer without personal data, written in more than one half
    by chance (round 3 has a few "how does booking work" questions, rounds 1 and 5 one common
    question): they may be shared, as they teach the redactor nothing."""
    return {
        normalised(message.text)
        for messages in HALVES.values()
        for message in messages
        if not message.spans and len(normalised(message.text).split()) <= 12
    }


def test_the_halves_share_no_message_with_personal_data():
    with_data = {
        name: {normalised(m.text) for m in messages if m.spans} for name, messages in HALVES.items()
    }
    assert [
        (one, other)
        for one in with_data
        for other in with_data
        if one < other and with_data[one] & with_data[other]
    ] == []


def test_no_test_message_is_in_the_language_file():
    words = normalised(" | ".join(personal_data_words()))
    # a message of a word or two ("Thanks!") could stand in any list by chance
    assert copied_into(words) == []


@pytest.mark.parametrize("examples", OUR_EXAMPLES, ids=lambda path: path.name)
def test_no_test_message_is_in_our_examples(examples):
    assert copied_into(normalised(examples.read_text(encoding="utf-8"))) == []
    # a test message without a word ("???", an emoji), or a bare "yes" or "ok thanks", is the
    # same as a literal by chance
    worded = [
        text
        for (name, number), text in TEST
        if normalised(text).split()
        and (HALVES[name][number - 1].spans or len(normalised(text).split()) > 2)
    ]
    near = len(near_copies(string_literals(examples), worded))
    assert near == 0


def test_the_model_has_training_sets_of_its_own():
    assert len(TRAINING_SETS) >= 4
    assert all(len(labelled_messages(path)) >= 300 for path in TRAINING_SETS)


@pytest.mark.parametrize("training_set", TRAINING_SETS, ids=lambda path: path.name)
def test_no_test_message_is_in_the_training_sets(training_set):
    texts = [message.text for message in labelled_messages(training_set)]
    # short questions without personal data ("does it hurt") are written twice by chance;
    # counted outside the assert, so that a failure prints no test message
    copied = len(copied_into(normalised(" | ".join(texts)), telling_test_messages()))
    assert copied == 0
    near = len(
        near_copies([text for text in texts if normalised(text).split()], telling_test_messages())
    )
    assert near == 0


def telling_test_messages() -> list[str]:
    """Test messages that could not be written twice by chance: with personal data, or of more
    than twelve words."""
    return [
        text
        for (name, number), text in TEST
        if normalised(text).split()
        and (HALVES[name][number - 1].spans or len(normalised(text).split()) > 12)
    ]


def copied_into(haystack: str, messages: list[str] | None = None) -> list:
    """Which test messages (of three words or more) are in a normalised text: their half and
    number (or their number among `messages`)."""
    numbered = [(number, text) for number, text in enumerate(messages, 1)] if messages else TEST
    return [
        number
        for number, text in numbered
        if len(normalised(text).split()) >= 3 and normalised(text) in haystack
    ]


def test_the_checks_see_a_copy():
    made_up = ["hello, my name is Quentin Blake and I'm 40", "ok thanks"]
    assert copied_into(normalised("x = 'Hello my name is Quentin Blake and I'm 40!'"), made_up) == [
        1
    ]
    assert copied_into(normalised("ok thanks"), made_up) == []
    assert len(near_copies(["my name is Quentin Blake and I'm 40!"], made_up)) == 1
