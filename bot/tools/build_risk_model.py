"""Train the red-flag risk and crisis models (bot/safety/risk_model.py) into build/safety/.

Risk model: positive examples are knowledge/red_flag_examples/emergencies.yml, the
internal safety set tests/safety/emergencies.yml and the NLU's report_red_flag examples;
negative, the calm sets beside them and every other NLU example. Crisis model: positive, the
emergencies of the self_harm group; negative, every other emergency, calm message and NLU
example (the NLU's report_red_flag examples name no group and are left out). The blind sets
in tests/blind_safety/ are never used.
Usage: python -m bot.tools.build_risk_model [OUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from bot.nlp.sentence_encoder import get_encoder
from bot.safety.red_flags import RED_FLAG_INTENT
from bot.safety.risk_model import (
    CRISIS_C,
    CRISIS_GROUP,
    DEFAULT_CRISIS_MODEL,
    DEFAULT_RISK_MODEL,
    fit,
)
from bot.settings import KNOWLEDGE_DIR, PROJECT_ROOT
from bot.tools.training_data import ProjectFiles

EXAMPLE_SETS = [KNOWLEDGE_DIR / "red_flag_examples", PROJECT_ROOT / "tests" / "safety"]


def grouped_examples() -> list[tuple[str, str | None]]:
    """Every example with its red-flag group: None for calm, "" for a red flag of no group."""
    examples: list[tuple[str, str | None]] = []
    for folder in EXAMPLE_SETS:
        for name in ("emergencies", "calm"):
            document = yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8"))
            examples += [(str(entry["text"]), entry.get("group")) for entry in document[name]]
    for intent, texts in ProjectFiles().nlu_examples().items():
        examples += [(text, "" if intent == RED_FLAG_INTENT else None) for text in texts]
    return examples


def labelled_examples() -> list[tuple[str, bool]]:
    """(text, describes a red flag), for the risk model."""
    return [(text, group is not None) for text, group in grouped_examples()]


def crisis_examples() -> list[tuple[str, bool]]:
    """(text, speaks of self-harm), for the crisis model."""
    return [(text, group == CRISIS_GROUP) for text, group in grouped_examples() if group != ""]


def train(examples: list[tuple[str, bool]], out: Path, name: str, **options) -> None:
    texts = [text for text, _ in examples]
    model = fit(get_encoder().encode_batch(texts), [label for _, label in examples], **options)
    model.save(out)
    positives = sum(label for _, label in examples)
    print(f"{name}: {positives} positive, {len(examples) - positives} negative -> {out}")


def main(out_dir: Path) -> None:
    train(labelled_examples(), out_dir / DEFAULT_RISK_MODEL.name, "red-flag risk model")
    train(crisis_examples(), out_dir / DEFAULT_CRISIS_MODEL.name, "crisis model", c=CRISIS_C)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RISK_MODEL.parent)
