"""Rasa's training files read as plain YAML (no Rasa import): examples, rules, stories."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT
from bot.topics import topic_for_intent

ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")


def plain_text(example: str) -> str:
    """An NLU example without its entity annotations: "[tummy](body_area)" -> "tummy"."""
    return ANNOTATION.sub(lambda m: m.group(1) or m.group(2), example)


@dataclass(frozen=True)
class ProjectFiles:
    """Where the Rasa domain and training data live."""

    root: Path = PROJECT_ROOT

    @property
    def domain(self) -> Path:
        return self.root / "domain.yml"

    def training_files(self) -> list[Path]:
        return sorted((self.root / "data").rglob("*.yml"))

    def documents(self) -> list[dict]:
        return [
            yaml.safe_load(path.read_text(encoding="utf-8")) or {} for path in self.training_files()
        ]

    def domain_intents(self) -> set[str]:
        domain = yaml.safe_load(self.domain.read_text(encoding="utf-8")) or {}
        return {next(iter(i)) if isinstance(i, dict) else str(i) for i in domain.get("intents", [])}

    def nlu_examples(self) -> dict[str, list[str]]:
        examples: dict[str, list[str]] = defaultdict(list)
        for document in self.documents():
            for block in document.get("nlu", []) or []:
                if "intent" in block:
                    for line in str(block.get("examples", "")).splitlines():
                        if line.strip().startswith("- "):
                            examples[block["intent"]].append(plain_text(line.strip()[2:].strip()))
        return dict(examples)

    def topic_examples(self) -> dict[str, list[str]]:
        """Each topic's example questions: the NLU examples of its ask_<topic> intent."""
        return {
            topic: texts
            for intent, texts in self.nlu_examples().items()
            if (topic := topic_for_intent(intent))
        }

    def intents_routed_to(self, action: str) -> set[str]:
        """Intents that some rule or story follows directly with `action`."""
        routed: set[str] = set()
        for document in self.documents():
            for flow in (document.get("rules") or []) + (document.get("stories") or []):
                previous: set[str] = set()
                for step in flow.get("steps", []):
                    if "intent" in step:
                        previous = {step["intent"]}
                    elif "or" in step:
                        previous = {option["intent"] for option in step["or"] if "intent" in option}
                    elif step.get("action") == action:
                        routed |= previous
                    else:
                        previous = set()
        return routed
