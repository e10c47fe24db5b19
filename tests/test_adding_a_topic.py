"""The README's recipe for a new topic, followed on a copy of the project: its knowledge
file, its examples in data/nlu.yml and its held-out examples; then make generate, and
make kb-check passes (it fails before generate)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.tools.knowledge.__main__ import main as kb_cli

# Throwaway text for the copy only: not medical content.
TOPIC_FILE = """\
title: A throwaway topic
answers:
  - id: throwaway-general
    topic: throwaway
    short_answer: This is a test answer. It is short and plain.
    sources: [health-article]
    last_reviewed: 2026-11-21
"""

NLU_EXAMPLES = """
- intent: ask_throwaway
  examples: |
    - tell me about the throwaway thing
    - what is the throwaway topic
    - throwaway please
"""

HOLDOUT_EXAMPLES = """
- intent: ask_throwaway
  examples: |
    - anything on the throwaway subject?
"""


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The files the recipe touches and the checks read, in a temporary project folder."""
    for folder in ("knowledge", "data"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    for name in ("domain.yml", "config.yml", "tests/nlu_holdout.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    (tmp_path / "knowledge" / "topics" / "throwaway.yml").write_text(TOPIC_FILE)
    for name, text in (("data/nlu.yml", NLU_EXAMPLES), ("tests/nlu_holdout.yml", HOLDOUT_EXAMPLES)):
        with (tmp_path / name).open("a", encoding="utf-8") as file:
            file.write(text)
    return tmp_path


def test_a_new_topic_needs_generate_then_passes_kb_check(copy, capsys):
    assert kb_cli(["check", "--root", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "domain.yml: generated block 'topic intents' is out of date: run `make generate`" in err
    assert "data/topic_rules.yml: generated block 'topic rules' is out of date" in err

    assert kb_cli(["generate", "--root", str(copy)]) == 0
    assert kb_cli(["check", "--root", str(copy)]) == 0
    assert "Knowledge base OK" in capsys.readouterr().out

    domain = yaml.safe_load((copy / "domain.yml").read_text(encoding="utf-8"))
    assert "ask_throwaway" in domain["intents"]
    rules = yaml.safe_load((copy / "data" / "topic_rules.yml").read_text(encoding="utf-8"))
    for rule in rules["rules"]:
        assert {"intent": "ask_throwaway"} in rule["steps"][0]["or"]


def test_rasa_accepts_the_generated_files(copy):
    assert kb_cli(["generate", "--root", str(copy)]) == 0
    result = subprocess.run(
        [Path(sys.executable).parent / "rasa", "data", "validate", "--fail-on-warnings"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
