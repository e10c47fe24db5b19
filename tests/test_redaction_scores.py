"""The redaction scorer (bot/tools/evaluation/redaction_scores.py) counts right, on a tiny
made-up set and a made-up redactor."""

from __future__ import annotations

import json

import pytest

from bot.privacy.redaction import Span
from bot.tools.evaluation import redaction_scores
from bot.tools.evaluation.redaction_scores import (
    PiiSetError,
    half_errors,
    half_scores,
    labelled_messages,
)

TINY = """
messages:
  - text: "I'm Ada Lovelace, ada@ex.org, Ada again"
    spans: [{type: NAME, text: Ada Lovelace}, {type: EMAIL, text: ada@ex.org}]
  - text: "call 0161 496 0000 please"
    spans: [{type: PHONE, text: 0161 496 0000}]
  - text: "nothing personal, it costs $250"
    spans: []
"""


def fake_find(text: str) -> list[Span]:
    """Hides the whole name but calls it an ADDRESS, half the phone, the e-mail, and a price."""
    spans = {
        "I'm Ada Lovelace, ada@ex.org, Ada again": [
            Span("ADDRESS", 4, 16),
            Span("EMAIL", 18, 28),
        ],
        "call 0161 496 0000 please": [Span("PHONE", 5, 13)],
        "nothing personal, it costs $250": [Span("ID_NUMBER", 28, 31)],
    }
    return spans[text]


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "pii_dev.yml"
    path.write_text(TINY, encoding="utf-8")
    return labelled_messages(path)


def test_the_labelled_texts_become_every_occurrence(tiny):
    assert tiny[0].spans == (Span("NAME", 4, 16), Span("EMAIL", 18, 28))
    assert tiny[2].spans == ()


def test_the_scores_of_a_tiny_set(tiny):
    scores = half_scores(tiny, fake_find)
    # 3 labelled: name hidden (as ADDRESS), e-mail hidden, phone only half hidden
    assert scores["labelled_spans"] == 3 and scores["predicted_spans"] == 4
    assert scores["recall"] == round(2 / 3, 4)
    assert scores["type_accuracy"] == 0.5
    # 4 found: address (over the name), e-mail, half phone right; the price wrong
    assert scores["precision"] == 0.75
    assert scores["messages_left_with_personal_data"] == 1
    per_type = scores["per_type"]
    assert per_type["NAME"] == {
        "labelled": 1,
        "recall": 1.0,
        "type_accuracy": 0.0,
        "predicted": 0,
        "precision": 1.0,
    }
    assert per_type["PHONE"]["recall"] == 0.0 and per_type["PHONE"]["precision"] == 1.0
    assert per_type["ID_NUMBER"]["precision"] == 0.0


def test_the_errors_name_the_missed_and_false_spans(tiny):
    errors = half_errors(tiny, fake_find)
    assert [line.split("\t")[:3] for line in errors] == [
        ["type", "NAME->ADDRESS", "'Ada Lovelace'"],
        ["missed", "PHONE", "'0161 496 0000'"],
        ["false", "ID_NUMBER", "'250'"],
    ]


def test_a_malformed_set_names_the_file_and_entry(tmp_path):
    path = tmp_path / "pii_dev.yml"
    path.write_text('messages:\n  - text: "hi Bo"\n    spans: [{type: NAME, text: Al}]\n')
    with pytest.raises(PiiSetError, match=r"pii_dev.yml: messages #1: span 'Al' is not in"):
        labelled_messages(path)
    path.write_text('messages:\n  - text: "hi Bo"\n    spans: [{type: PERSON, text: Bo}]\n')
    with pytest.raises(PiiSetError, match="messages #1: a span's type must be one of"):
        labelled_messages(path)


def test_the_run_writes_json_and_fails_under_the_test_floors(tmp_path, monkeypatch, capsys):
    (tmp_path / "pii_dev.yml").write_text(TINY, encoding="utf-8")
    (tmp_path / "pii_test.yml").write_text(TINY, encoding="utf-8")
    monkeypatch.setattr(redaction_scores, "find_personal_data", fake_find)
    out = tmp_path / "out" / "redaction.json"
    code = redaction_scores.main(["--dir", str(tmp_path), "--out", str(out)])
    assert code == 1
    report = json.loads(out.read_text())
    assert report["test"]["recall"] == round(2 / 3, 4)
    printed = capsys.readouterr()
    assert "dev half: 3 messages" in printed.out and "FAIL (all test halves): recall" in printed.err
    # no second round yet: its halves are left out, the first round's test half is all
    assert set(report) == {"dev", "test", "all-test"}
    assert report["all-test"] == report["test"]


NOTHING_FOUND = """
messages:
  - text: "call 0161 496 0000 please"
    spans: [{type: PHONE, text: 0161 496 0000}]
"""


def test_the_floors_hold_for_all_test_halves_together(tmp_path, monkeypatch, capsys):
    for folder, test_half in (("", TINY), ("round2", NOTHING_FOUND), ("round3", NOTHING_FOUND)):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "pii_dev.yml").write_text(TINY, encoding="utf-8")
        (tmp_path / folder / "pii_test.yml").write_text(test_half, encoding="utf-8")
    monkeypatch.setattr(redaction_scores, "find_personal_data", fake_find)
    out = tmp_path / "redaction.json"
    assert redaction_scores.main(["--dir", str(tmp_path), "--out", str(out)]) == 1
    report = json.loads(out.read_text())
    assert set(report) == {
        *("dev", "test", "round2-dev", "round2-test", "round3-dev", "round3-test", "all-test")
    }
    # round 1's test half: 2 of 3 found; rounds 2 and 3: the half-hidden phone, 0 of 1
    assert report["round2-test"]["recall"] == 0.0 and report["round3-test"]["recall"] == 0.0
    assert report["all-test"]["labelled_spans"] == 5 and report["all-test"]["recall"] == 0.4
    printed = capsys.readouterr().out
    assert "all-test (test + round2-test + round3-test)" in printed
    assert "round3-test  recall 0.000" in printed


def test_only_a_dev_half_shows_its_errors(tmp_path, monkeypatch, capsys):
    (tmp_path / "pii_dev.yml").write_text(TINY, encoding="utf-8")
    (tmp_path / "pii_test.yml").write_text(TINY, encoding="utf-8")
    monkeypatch.setattr(redaction_scores, "find_personal_data", fake_find)
    out = ["--dir", str(tmp_path), "--out", str(tmp_path / "r.json")]
    for half in ("test", "round2-test", "round3-test", "all-test"):
        with pytest.raises(SystemExit):
            redaction_scores.main([*out, "--show-errors", half])
    redaction_scores.main([*out, "--show-errors", "dev"])
    assert "missed\tPHONE" in capsys.readouterr().out
    # the dev halves of rounds 2 and 3 are valid choices, but not written here yet
    for half in ("round2-dev", "round3-dev"):
        with pytest.raises(SystemExit):
            redaction_scores.main([*out, "--show-errors", half])
