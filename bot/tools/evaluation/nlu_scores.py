"""Fail when the NLU scores fall under their floors (Rasa has no built-in threshold).

Usage: python -m bot.tools.evaluation.nlu_scores CV_DIR HOLDOUT_DIR [HOLDOUT_FILE]
  CV_DIR        output of `rasa test nlu --cross-validation` (intent_report.json)
  HOLDOUT_DIR   output of `rasa test nlu --nlu tests/nlu_holdout.yml` on the trained model
  HOLDOUT_FILE  the annotated holdout (default tests/nlu_holdout.yml): entity F1 is scored
                on it with the spaCy pipeline, since Rasa skips pretrained extractors
Prints the figures, the ten most confused intent pairs, and writes CV_DIR/../nlu_summary.json.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from bot.settings import PROJECT_ROOT

# 0.977 on our own examples alone; the real-register examples added for the issue
# "Understand real patients" (formal FAQ headings, fat-dissolving and other treatments) are
# harder to tell apart, and cross-validation gave 0.953; 214 more questions copied from
# real pages (a second harvest) brought it to 0.944 while the held-out real-question scores
# rose. Those scores, in bot/tools/evaluation/real_world.py, are the ones that matter.
MIN_INTENT_MACRO_F1 = 0.93
MIN_ENTITY_F1 = 0.90
MIN_HOLDOUT_ACCURACY = 0.94
DEFAULT_HOLDOUT = PROJECT_ROOT / "tests" / "nlu_holdout.yml"


def entity_f1(holdout_file: Path) -> float:
    from bot.tools.build_pipeline import build_pipeline
    from bot.tools.entity_eval import annotated_examples, score_entities
    from bot.vocabulary import project_vocabulary

    scores = score_entities(build_pipeline(project_vocabulary()), annotated_examples(holdout_file))
    print(
        f"entities: {scores.true_positives} right, {scores.false_positives} extra, "
        f"{scores.false_negatives} missed"
    )
    return scores.f1


def load(path: Path) -> dict:
    if not path.exists():
        raise SystemExit(f"missing {path}: run `make eval` (rasa test nlu) first")
    return json.loads(path.read_text(encoding="utf-8"))


def most_confused(errors: list[dict], count: int = 10) -> list[tuple[str, str, int]]:
    """(true intent, predicted intent, times) from Rasa's intent_errors.json, most first."""
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    return [(true, predicted, times) for (true, predicted), times in pairs.most_common(count)]


def main(cv_dir: Path, holdout_dir: Path, holdout_file: Path = DEFAULT_HOLDOUT) -> int:
    cv = load(cv_dir / "intent_report.json")
    holdout = load(holdout_dir / "intent_report.json")
    summary = {
        "cv_intent_macro_f1": round(cv["macro avg"]["f1-score"], 4),
        "cv_intent_accuracy": round(cv["accuracy"], 4),
        "holdout_intent_accuracy": round(holdout["accuracy"], 4),
        "holdout_entity_f1": round(entity_f1(holdout_file), 4),
        "training_examples": cv.get("weighted avg", {}).get("support"),
        "most_confused_cv": most_confused(load(cv_dir / "intent_errors.json")),
    }
    print(json.dumps(summary, indent=2))
    (cv_dir.parent / "nlu_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")

    failures = [
        f"{name} {value} < {floor}"
        for name, value, floor in (
            ("cross-validated intent macro-F1", summary["cv_intent_macro_f1"], MIN_INTENT_MACRO_F1),
            ("entity F1", summary["holdout_entity_f1"], MIN_ENTITY_F1),
            ("holdout intent accuracy", summary["holdout_intent_accuracy"], MIN_HOLDOUT_ACCURACY),
        )
        if value < floor
    ]
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    paths = [Path(arg) for arg in sys.argv[1:4]]
    sys.exit(main(*paths))
