"""The redactor's learned second look (bot/privacy/span_model.py) and its builder
(bot/tools/build_pii_model.py): words and labels, training on labelled sets, spans added to the
rules' and never taken from them, and the rules alone when no model was built."""

from __future__ import annotations

import logging

import pytest

from bot.language import language_cues
from bot.privacy import find_personal_data
from bot.privacy.redaction import NAME, Redactor, Span, default_redactor, rules_redactor
from bot.privacy.span_model import (
    DEFAULT_MODEL,
    SpanModel,
    SpanModelError,
    bio_labels,
    load_span_model,
    tokens,
    train,
)
from bot.tools import build_pii_model
from bot.tools.evaluation.redaction_scores import PiiSetError, is_test_half, round_halves


def test_words_keep_their_offsets_and_inner_apostrophes():
    text = "ask O'Brien, 14 Oak-Rd"
    words = tokens(text)
    assert [word.text for word in words] == ["ask", "O'Brien", ",", "14", "Oak", "-", "Rd"]
    assert all(text[word.start : word.end] == word.text for word in words)


def test_labels_mark_where_a_span_starts_and_goes_on():
    text = "I am Ana de Souza, hi"
    words = tokens(text)
    span = Span(NAME, text.index("Ana"), text.index(","))
    assert bio_labels(words, [span]) == ["O", "O", "B-NAME", "I-NAME", "I-NAME", "O", "O"]


# Made-up names that no rule takes for names: after "ref" (no cue word) and in lower case.
TRAINING = [
    (f"ref {name} booked for the scalp", name)
    for name in ("zorvat kellinq", "omaru tessvik", "bralin ogwude", "quessa tarn", "dovrik anel")
] * 4


def tiny_model(tmp_path) -> SpanModel:
    examples = [
        (text, (Span(NAME, text.index(name), text.index(name) + len(name)),))
        for text, name in TRAINING
    ] + [("ref the scalp booked for monday", ())] * 10
    path = tmp_path / "model.crfsuite"
    train(examples, path)
    return SpanModel(path)


def test_a_trained_model_finds_what_the_rules_miss_and_keeps_what_they_find(tmp_path):
    text = "ref velko marrun booked for the scalp, email me at a.b@example.org"
    rules = rules_redactor()
    assert [span.kind for span in rules.find(text)] == ["EMAIL"]
    both = Redactor(language_cues().personal_data, tiny_model(tmp_path)).find(text)
    assert [(span.kind, text[span.start : span.end]) for span in both] == [
        ("NAME", "velko marrun"),
        ("EMAIL", "a.b@example.org"),
    ]


def test_a_missing_model_is_named_and_the_rules_run_alone(tmp_path, caplog):
    missing = tmp_path / "nowhere.crfsuite"
    with pytest.raises(SpanModelError, match="nowhere.crfsuite.*build_pii_model"):
        SpanModel(missing)
    with caplog.at_level(logging.WARNING):
        assert load_span_model(missing) is None
    assert "rules alone" in caplog.text
    rules_only = Redactor(language_cues().personal_data, None)
    assert rules_only.redact("mail me: a.b@example.org") == "mail me: [EMAIL]"


def test_the_built_model_is_in_use():
    # make build (and make pytest) train it first
    assert DEFAULT_MODEL.exists(), "run `make build` first"
    assert default_redactor().model is not None
    assert rules_redactor().model is None


def test_the_model_trains_on_no_test_half():
    sets = build_pii_model.training_sets()
    tests = {name for name in round_halves() if is_test_half(name)}
    assert tests and not tests & set(sets)
    assert {"dev", "round2-dev"} <= set(sets)
    assert any(name.startswith("train") for name in sets)


def test_a_malformed_training_set_names_the_file_and_entry(tmp_path, monkeypatch):
    (tmp_path / "broken.yml").write_text(
        'messages:\n  - text: "hi I am Ana"\n    spans: [{type: NAME, text: "Anna"}]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(build_pii_model, "EXAMPLES_DIR", tmp_path)
    with pytest.raises(PiiSetError, match=r"broken.yml: messages #1: span 'Anna'"):
        build_pii_model.training_sets()


@pytest.mark.parametrize("text", ["", "🙂🙂", "<b>hi</b>", "x" * 20000, "\n\n", "?!"])
def test_odd_messages_pass_through_the_model(text):
    spans = find_personal_data(text)
    assert all(0 <= span.start < span.end <= len(text) for span in spans)
