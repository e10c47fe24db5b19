"""Train the redactor's learned second look (bot/privacy/span_model.py) into build/privacy/.

Training sets: knowledge/personal_data_examples/*.yml, written for training by helpers who saw
no code and no other set, and the dev halves of the blind sets (tests/privacy/). The blind
sets' test halves are never used.

Usage: python -m bot.tools.build_pii_model [--out FILE] [--cross-validate]
--cross-validate leaves one training set out at a time, trains on the others and prints the
rules' scores on it beside the rules' with the model: how much the model adds on writing it
has not seen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bot.language import language_cues
from bot.privacy.redaction import Redactor, rules_redactor
from bot.privacy.span_model import DEFAULT_MODEL, SpanModel, train
from bot.settings import KNOWLEDGE_DIR
from bot.tools.evaluation.redaction_scores import (
    LabelledMessage,
    half_scores,
    is_test_half,
    labelled_messages,
    round_halves,
)

EXAMPLES_DIR = KNOWLEDGE_DIR / "personal_data_examples"


def training_sets() -> dict[str, list[LabelledMessage]]:
    sets = {path.stem: labelled_messages(path) for path in sorted(EXAMPLES_DIR.glob("*.yml"))}
    for name, path in round_halves().items():
        if not is_test_half(name):
            sets[name] = labelled_messages(path)
    return sets


def train_on(sets: list[list[LabelledMessage]], path: Path) -> None:
    train([(message.text, message.spans) for messages in sets for message in messages], path)


def cross_validate(sets: dict[str, list[LabelledMessage]]) -> None:
    print(f"{'left out':16} {'rules':>15} {'with the model':>17}   (recall, precision)")
    for left_out, messages in sets.items():
        path = Path(tempfile.mkdtemp()) / "model.crfsuite"
        train_on([rest for name, rest in sets.items() if name != left_out], path)
        with_model = Redactor(language_cues().personal_data, SpanModel(path))
        alone = half_scores(messages, rules_redactor().find)
        together = half_scores(messages, with_model.find)
        print(
            f"{left_out:16} {alone['recall']:7.3f} {alone['precision']:7.3f}"
            f" {together['recall']:8.3f} {together['precision']:7.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--cross-validate", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    sets = training_sets()
    if args.cross_validate:
        cross_validate(sets)
        return 0
    train_on(list(sets.values()), args.out)
    messages = [message for rest in sets.values() for message in rest]
    print(
        f"{args.out}: trained on {len(messages)} messages "
        f"({sum(len(message.spans) for message in messages)} labelled spans) "
        f"from {len(sets)} sets in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
