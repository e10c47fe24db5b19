"""Train the red-flag risk model (bot/safety/risk_model.py) and write it to build/safety/.

Positive examples: data/knowledge/red_flag_examples/emergencies.yml, the internal safety set
tests/safety/emergencies.yml and the NLU's report_red_flag examples. Negative: the calm sets
beside them and every other NLU example. The blind sets in tests/blind_safety/ are never used.
Usage: python -m bot.safety.build_risk_model [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from bot.nlp.sentence_encoder import get_encoder
from bot.safety.red_flags import RED_FLAG_INTENT
from bot.safety.risk_model import DEFAULT_RISK_MODEL, fit
from bot.settings import KNOWLEDGE_DIR, PROJECT_ROOT
from bot.training_data import ProjectFiles

EXAMPLE_SETS = [KNOWLEDGE_DIR / "red_flag_examples", PROJECT_ROOT / "tests" / "safety"]


def labelled_examples() -> list[tuple[str, bool]]:
    examples: list[tuple[str, bool]] = []
    for folder in EXAMPLE_SETS:
        for name, label in (("emergencies", True), ("calm", False)):
            document = yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8"))
            examples += [(str(entry["text"]), label) for entry in document[name]]
    for intent, texts in ProjectFiles().nlu_examples().items():
        examples += [(text, intent == RED_FLAG_INTENT) for text in texts]
    return examples


def main(out: Path) -> None:
    examples = labelled_examples()
    texts = [text for text, _ in examples]
    model = fit(get_encoder().encode_batch(texts), [label for _, label in examples])
    model.save(out)
    positives = sum(label for _, label in examples)
    print(f"red-flag risk model: {positives} red flags, {len(examples) - positives} calm -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RISK_MODEL)
