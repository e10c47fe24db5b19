"""The parts of domain.yml that only repeat knowledge/self_check.yml: the answers' slots, the
form's required slots and the questions' responses, as generated blocks of domain.yml.

self_check_blocks(root) gives each block's text; bot/tools/knowledge/generate.py puts it
between the markers `# >>> generated: <name> ...` and `# <<< generated: <name>` in domain.yml.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from bot.self_check import BUTTON_INTENTS, COUNT_SLOT, FORM_NAME, SelfCheck, read_self_check

SELF_CHECK_PATH = Path("knowledge") / "self_check.yml"
SLOTS_BLOCK = "self_check_slots"
FORM_BLOCK = "self_check_form"
QUESTIONS_BLOCK = "self_check_questions"
BUTTONS_ANCHOR = "yes_no_stop"


def self_check_blocks(root: Path) -> dict[str, str]:
    """Block name -> its text in domain.yml, from <root>/knowledge/self_check.yml."""
    self_check = read_self_check(root / SELF_CHECK_PATH)
    blocks = {
        SLOTS_BLOCK: slots_block(self_check),
        FORM_BLOCK: form_block(self_check),
        QUESTIONS_BLOCK: questions_block(self_check),
    }
    # the generator indents a block like its marker lines
    return {name: textwrap.dedent(text) for name, text in blocks.items()}


def slots_block(self_check: SelfCheck) -> str:
    answers = "".join(
        f"  {question.slot}:\n"
        "    type: bool\n"
        "    influence_conversation: false\n"
        "    mappings:\n"
        "      - type: custom\n"
        for question in self_check.questions
    )
    count = (
        f"  {COUNT_SLOT}:\n"
        "    type: any\n"
        f"    initial_value: {len(self_check.questions)}\n"
        "    influence_conversation: false\n"
        "    mappings:\n"
        "      - type: custom\n"
    )
    return answers + count


def form_block(self_check: SelfCheck) -> str:
    slots = "".join(f"      - {question.slot}\n" for question in self_check.questions)
    return f"  {FORM_NAME}:\n    required_slots:\n{slots}"


def questions_block(self_check: SelfCheck) -> str:
    """Each question with its number, yes / no / stop buttons, and a `queue` variation
    without them for `rasa shell`."""
    buttons = "".join(
        f"        - title: {_quoted(self_check.buttons[name])}\n          payload: /{intent}\n"
        for name, intent in BUTTON_INTENTS.items()
    )
    blocks = []
    for number, question in enumerate(self_check.questions):
        text = _quoted(self_check.asked(question))
        button_lines = (
            f"      buttons: &{BUTTONS_ANCHOR}\n{buttons}"
            if number == 0
            else f"      buttons: *{BUTTONS_ANCHOR}\n"
        )
        blocks.append(
            f"  utter_ask_{question.slot}:\n"
            f"    - text: {text}\n"
            f"{button_lines}"
            "    - channel: queue\n"
            f"      text: {text}\n"
        )
    return "".join(blocks)


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)
