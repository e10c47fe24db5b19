"""The real-question and blind safety sets: large enough, well formed, and kept out of training."""

from __future__ import annotations

import pytest

from bot.tools.build_risk_model import EXAMPLE_SETS, labelled_examples
from bot.tools.evaluation.sets import (
    BLIND_DIR,
    EvaluationSetError,
    blind_safety_messages,
    near_copies,
    normalised,
    real_questions,
)

QUESTIONS = real_questions()
SAFETY = blind_safety_messages()


def test_the_real_questions_are_many_from_many_pages_with_both_halves():
    assert len(QUESTIONS) >= 250
    assert len({q.url for q in QUESTIONS}) >= 40
    assert all(q.url.startswith("http") for q in QUESTIONS)
    for split in ("dev", "test"):
        assert sum(q.split == split for q in QUESTIONS) >= 0.4 * len(QUESTIONS)


def test_the_blind_safety_sets_are_large_and_split():
    emergencies = [m for m in SAFETY if m.emergency]
    calm = [m for m in SAFETY if not m.emergency]
    assert len(emergencies) >= 150 and len(calm) >= 150
    assert {m.urgency for m in emergencies} == {"now", "today"}
    for messages in (emergencies, calm):
        assert {m.split for m in messages} == {"dev", "test"}


def test_no_test_item_or_near_paraphrase_is_in_the_training_data():
    """Neither the NLU examples nor the red-flag risk model's examples hold a test item."""
    training = [text for text, _ in labelled_examples()]
    protected = [q.text for q in QUESTIONS] + [m.text for m in SAFETY]
    assert near_copies(training, protected) == []


def test_the_risk_model_never_trains_on_the_blind_sets():
    assert BLIND_DIR not in EXAMPLE_SETS


def test_near_copies_finds_case_punctuation_and_word_order_changes():
    protected = ["How Is Mesotherapy Performed?", "is it safe for my face"]
    assert near_copies(["how is mesotherapy performed", "is it safe for face my"], protected)
    assert len(near_copies(["how is mesotherapy performed"], protected)) == 1
    assert near_copies(["what does it cost"], protected) == []
    assert normalised("Does it HURT?!") == "does it hurt"


@pytest.mark.parametrize(
    "text, message",
    [
        ("questions: [\n", "not valid YAML"),
        ("other: []\n", "no 'questions' list"),
        ("questions:\n  - text: hi\n    url: https://x\n    topic: cost\n", "split must be"),
        ("questions:\n  - url: https://x\n    split: dev\n", "#1 has no text"),
        ("questions:\n  - text: hi\n    split: dev\n", "needs a url and a topic"),
    ],
)
def test_a_malformed_set_names_the_file_and_entry(tmp_path, text, message):
    path = tmp_path / "real_questions.yml"
    path.write_text(text)
    with pytest.raises(EvaluationSetError, match=str(path)) as error:
        real_questions(path)
    assert message in str(error.value)
