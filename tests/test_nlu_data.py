"""The NLU data: enough varied examples, and a holdout kept apart from training."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT
from bot.tools.training_data import ProjectFiles, plain_text
from bot.topics import topic_for_intent

HOLDOUT = PROJECT_ROOT / "tests" / "nlu_holdout.yml"


def holdout_examples(path: Path = HOLDOUT) -> dict[str, list[str]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        block["intent"]: [
            plain_text(line.strip()[2:]) for line in block["examples"].splitlines() if line.strip()
        ]
        for block in document["nlu"]
    }


def test_every_topic_intent_has_at_least_30_examples():
    files = ProjectFiles()
    examples = files.nlu_examples()
    topic_intents = [i for i in files.domain_intents() if topic_for_intent(i)]
    topic_intents += ["forget_me", "ask_privacy"]
    short = {i: len(examples.get(i, [])) for i in topic_intents if len(examples.get(i, [])) < 30}
    assert not short


def test_the_holdout_has_150_messages_none_of_them_in_training():
    holdout = holdout_examples()
    training = {
        text.lower().strip() for texts in ProjectFiles().nlu_examples().values() for text in texts
    }
    messages = [text for texts in holdout.values() for text in texts]
    assert len(messages) >= 150
    assert [m for m in messages if m.lower().strip() in training] == []


def test_the_holdout_covers_every_intent_in_the_domain():
    missing = ProjectFiles().domain_intents() - set(holdout_examples()) - {"nlu_fallback"}
    assert not missing
