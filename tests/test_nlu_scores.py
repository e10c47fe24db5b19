"""bot/tools/evaluation/nlu_scores.py: the NLU floors really fail the build."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "bot" / "tools" / "evaluation" / "nlu_scores.py"


GOOD_ENTITIES = ["my [tummy](body_area) please", "I'm not pregnant", "I take [warfarin](medicine)"]
# One annotation the pipeline cannot find: recall 2/3, F1 0.8.
BAD_ENTITIES = ["my [tummy](body_area) please", "I take [warfarin](medicine)", "[zorbix](medicine)"]


def write_reports(tmp_path, cv_f1: float, holdout_accuracy: float, entity_examples: list[str]):
    cv, holdout = tmp_path / "cv", tmp_path / "holdout"
    cv.mkdir()
    holdout.mkdir()
    cv_report = {
        "ask_cost": {"f1-score": cv_f1, "confused_with": {"ask_sessions": 4}},
        "ask_pain": {"f1-score": cv_f1, "confused_with": {"ask_recovery": 2, "ask_cost": 1}},
        "accuracy": cv_f1,
        "macro avg": {"f1-score": cv_f1},
    }
    (cv / "intent_report.json").write_text(json.dumps(cv_report))
    errors = [
        {"text": "a", "intent": "ask_cost", "intent_prediction": {"name": "ask_sessions"}},
        {"text": "b", "intent": "ask_cost", "intent_prediction": {"name": "ask_sessions"}},
        {"text": "c", "intent": "ask_pain", "intent_prediction": {"name": "ask_recovery"}},
    ]
    (cv / "intent_errors.json").write_text(json.dumps(errors))
    (holdout / "intent_report.json").write_text(json.dumps({"accuracy": holdout_accuracy}))
    examples = "".join(f"    - {example}\n" for example in entity_examples)
    holdout_file = tmp_path / "holdout.yml"
    holdout_file.write_text(f"nlu:\n- intent: x\n  examples: |\n{examples}")
    return cv, holdout, holdout_file


def run(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True
    )


def test_scores_above_the_floors_pass_and_list_the_most_confused_pairs(tmp_path):
    result = run(*write_reports(tmp_path, 0.97, 0.95, GOOD_ENTITIES))
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "nlu_summary.json").read_text())
    assert summary["most_confused_cv"] == [
        ["ask_cost", "ask_sessions", 2],
        ["ask_pain", "ask_recovery", 1],
    ]


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ((0.90, 0.95, GOOD_ENTITIES), "cross-validated intent macro-F1 0.9 < 0.93"),
        ((0.97, 0.91, GOOD_ENTITIES), "holdout intent accuracy 0.91 < 0.94"),
        ((0.97, 0.95, BAD_ENTITIES), "entity F1 0.8 < 0.9"),
    ],
)
def test_a_score_under_its_floor_fails(tmp_path, scores, message):
    result = run(*write_reports(tmp_path, *scores))
    assert result.returncode == 1
    assert message in result.stderr


def test_missing_reports_fail_with_a_clear_message(tmp_path):
    result = run(tmp_path / "nope", tmp_path / "nope")
    assert result.returncode != 0
    assert "run `make eval`" in result.stderr
