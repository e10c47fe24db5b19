from __future__ import annotations

import pytest

from bot.tools.readability import flesch_kincaid_grade, sentence_count, syllables, words


@pytest.mark.parametrize(
    ("word", "expected"),
    [("cat", 1), ("water", 2), ("bruised", 1), ("treated", 2), ("mesotherapy", 5), ("250", 3)],
)
def test_syllables(word, expected):
    assert syllables(word) == expected


def test_words_and_sentences():
    text = "It costs USD 250 to 600. Does it hurt? Yes!"
    assert words(text) == ["It", "costs", "USD", "250", "to", "600", "Does", "it", "hurt", "Yes"]
    assert sentence_count(text) == 3


def test_plain_text_scores_low_and_jargon_scores_high():
    assert flesch_kincaid_grade("The cat sat on the mat. It was warm.") < 3
    jargon = (
        "Mesotherapy constitutes a minimally invasive intradermal administration technique "
        "utilising individualised pharmacological formulations."
    )
    assert flesch_kincaid_grade(jargon) > 16


def test_empty_text_has_grade_zero():
    assert flesch_kincaid_grade("") == 0.0
