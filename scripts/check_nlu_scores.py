"""Fail when the NLU scores fall under their floors (Rasa has no built-in threshold).

Usage: python scripts/check_nlu_scores.py CV_DIR HOLDOUT_DIR
  CV_DIR       output of `rasa test nlu --cross-validation` (intent_report.json)
  HOLDOUT_DIR  output of `rasa test nlu --nlu tests/nlu_holdout.yml` on the trained model
Prints the figures, the ten most confused intent pairs, and writes CV_DIR/../nlu_summary.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MIN_INTENT_MACRO_F1 = 0.95
MIN_ENTITY_F1 = 0.90
MIN_HOLDOUT_ACCURACY = 0.92
ENTITY_REPORT = "SpacyEntityExtractor_report.json"


def load(path: Path) -> dict:
    if not path.exists():
        raise SystemExit(f"missing {path}: run `make eval` (rasa test nlu) first")
    return json.loads(path.read_text(encoding="utf-8"))


def most_confused(report: dict, count: int = 10) -> list[tuple[str, str, int]]:
    pairs = [
        (intent, other, times)
        for intent, scores in report.items()
        if isinstance(scores, dict)
        for other, times in (scores.get("confused_with") or {}).items()
    ]
    return sorted(pairs, key=lambda pair: pair[2], reverse=True)[:count]


def main(cv_dir: Path, holdout_dir: Path) -> int:
    cv = load(cv_dir / "intent_report.json")
    holdout = load(holdout_dir / "intent_report.json")
    entities = load(holdout_dir / ENTITY_REPORT)
    summary = {
        "cv_intent_macro_f1": round(cv["macro avg"]["f1-score"], 4),
        "cv_intent_accuracy": round(cv["accuracy"], 4),
        "holdout_intent_accuracy": round(holdout["accuracy"], 4),
        "holdout_entity_micro_f1": round(entities["micro avg"]["f1-score"], 4),
        "most_confused_cv": most_confused(cv),
    }
    print(json.dumps(summary, indent=2))
    (cv_dir.parent / "nlu_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")

    failures = [
        f"{name} {value} < {floor}"
        for name, value, floor in (
            ("cross-validated intent macro-F1", summary["cv_intent_macro_f1"], MIN_INTENT_MACRO_F1),
            ("entity F1", summary["holdout_entity_micro_f1"], MIN_ENTITY_F1),
            ("holdout intent accuracy", summary["holdout_intent_accuracy"], MIN_HOLDOUT_ACCURACY),
        )
        if value < floor
    ]
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
