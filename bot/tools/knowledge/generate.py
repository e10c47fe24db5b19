"""The Rasa parts that only list what the knowledge base holds, generated from it.

Each part is a named block between two marker lines in a project file:

    # >>> generated: <name> — python -m bot.tools.knowledge generate; do not edit
    ...
    # <<< generated: <name>

`BLOCKS` maps (file, block name) to the function that computes the block's text from the
knowledge base and the project folder. `write` puts every block in place (a file that does
not exist yet is created holding just its block); `drift` names every block whose file
differs from what `write` would make. Generated files are committed; make kb-check fails
on drift.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from bot.knowledge.model import KnowledgeBase
from bot.self_check import SelfCheckFileError
from bot.tools.knowledge.checks import ANSWER_ACTION
from bot.tools.knowledge.files import Problem
from bot.tools.knowledge.self_check_blocks import (
    FORM_BLOCK,
    QUESTIONS_BLOCK,
    SELF_CHECK_PATH,
    SLOTS_BLOCK,
    self_check_blocks,
)
from bot.tools.training_data import ProjectFiles
from bot.topics import ADVICE_TOPIC, RED_FLAG_TOPIC, intent_for_topic, topics_for_intent

COMMAND = "python -m bot.tools.knowledge generate"
START = "# >>> generated: {name} — " + COMMAND + "; do not edit"
END = "# <<< generated: {name}"

# None: the project has no such part (a project without a self-check needs no form blocks)
Producer = Callable[[KnowledgeBase, Path], str | None]


class GenerateError(Exception):
    """A file that should hold a generated block has no (or broken) marker lines."""


def askable_topics(kb: KnowledgeBase) -> list[str]:
    """Topics a person asks about with an ask_<topic> intent (red flags and personal advice
    are answered by their own actions)."""
    return sorted(kb.topics() - {RED_FLAG_TOPIC, ADVICE_TOPIC})


def multi_question_intents(kb: KnowledgeBase, root: Path) -> list[str]:
    """The two-question intents (ask_a+ask_b) data/nlu.yml has examples for, in its order."""
    askable = set(askable_topics(kb))
    return [
        intent
        for intent in ProjectFiles(root).nlu_examples()
        if len(topics := topics_for_intent(intent)) > 1 and set(topics) <= askable
    ]


def topic_intents(kb: KnowledgeBase, root: Path) -> str:
    lines = ["# ask_<topic> is answered from knowledge/topics/<topic>.yml."]
    lines += [f"- {intent_for_topic(topic)}" for topic in askable_topics(kb)]
    multi = multi_question_intents(kb, root)
    if multi:
        lines.append("# Two questions in one message (answered in turn).")
        lines += [f"- {intent}" for intent in multi]
    return "\n".join(lines) + "\n"


def topics_with_their_own_rule(root: Path) -> set[str]:
    """Topic intents that a rule in data/rules.yml already answers (always, not only inside
    a form): a second unconditional rule for them would contradict it."""
    document = yaml.safe_load((root / "data" / "rules.yml").read_text(encoding="utf-8")) or {}
    own = set()
    for rule in document.get("rules") or []:
        steps = rule.get("steps") or []
        if rule.get("condition") or len(steps) < 2 or "intent" not in steps[0]:
            continue
        if steps[1].get("action") == ANSWER_ACTION and topics_for_intent(steps[0]["intent"]):
            own.add(steps[0]["intent"])
    return own


def _intent_choice(intents: list[str]) -> list[str]:
    return ["      - or:"] + [f"          - intent: {intent}" for intent in intents]


def topic_rules(kb: KnowledgeBase, root: Path) -> str:
    intents = [intent_for_topic(t) for t in askable_topics(kb)] + multi_question_intents(kb, root)
    own_rule = topics_with_their_own_rule(root)
    lines = [
        "# Rasa training data: every topic intent (ask_<topic>, one per file in",
        "# knowledge/topics/ but red_flag and personal_advice, and the two-question intents",
        "# data/nlu.yml has) is answered from the knowledge base. Intents with a rule of their",
        "# own in data/rules.yml are left out of the first rule.",
        'version: "3.1"',
        "",
        "rules:",
        "  - rule: Answer a knowledge-base question",
        "    steps:",
        *_intent_choice([intent for intent in intents if intent not in own_rule]),
        f"      - action: {ANSWER_ACTION}",
        "",
        "  - rule: Answer a question in the middle of the self-check, then go on",
        "    condition:",
        "      - active_loop: self_check_form",
        "    steps:",
        *_intent_choice(intents),
        f"      - action: {ANSWER_ACTION}",
        "      - action: self_check_form",
        "      - active_loop: self_check_form",
    ]
    return "\n".join(lines) + "\n"


def self_check_block(name: str) -> Producer:
    def produce(kb: KnowledgeBase, root: Path) -> str | None:
        if not (root / SELF_CHECK_PATH).exists():
            return None
        try:
            return self_check_blocks(root)[name]
        except SelfCheckFileError as error:
            raise GenerateError(f"cannot be generated: {error}") from error

    return produce


BLOCKS: dict[tuple[str, str], Producer] = {
    ("domain.yml", "topic intents"): topic_intents,
    ("data/topic_rules.yml", "topic rules"): topic_rules,
    **{
        ("domain.yml", name): self_check_block(name)
        for name in (SLOTS_BLOCK, FORM_BLOCK, QUESTIONS_BLOCK)
    },
}


def replace_block(text: str | None, name: str, block: str) -> str:
    """`text` with the block `name` replaced by `block`, indented like its marker lines."""
    start, end = START.format(name=name), END.format(name=name)
    if text is None:
        return f"{start}\n{block}{end}\n"
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == start]
    ends = [i for i, line in enumerate(lines) if line.strip() == end]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise GenerateError(
            f"needs exactly one generated block '{name}': a line '{start}' and,"
            f" below it, a line '{end}'"
        )
    first, last = starts[0], ends[0]
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    body = "".join(f"{indent}{line}" if line.strip() else line for line in block.splitlines(True))
    return "".join(lines[: first + 1]) + body + "".join(lines[last:])


def generated_files(kb: KnowledgeBase, root: Path) -> dict[Path, str]:
    """Every file that holds generated blocks, as `write` would leave it."""
    texts: dict[Path, str | None] = {}
    for (file, name), produce in BLOCKS.items():
        path = root / file
        try:
            block = produce(kb, root)
            if block is None:
                continue
            if path not in texts:
                texts[path] = path.read_text(encoding="utf-8") if path.exists() else None
            texts[path] = replace_block(texts[path], name, block)
        except GenerateError as error:
            raise GenerateError(f"{file}: {error}") from error
    return {path: text for path, text in texts.items() if text is not None}


def write(kb: KnowledgeBase, root: Path) -> list[Path]:
    """Put every generated block in place; the files that changed."""
    changed = []
    for path, text in generated_files(kb, root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def drift(kb: KnowledgeBase, root: Path) -> list[Problem]:
    """A problem for every generated block that differs from what `write` would make."""
    problems = []
    for (file, name), produce in BLOCKS.items():
        path = root / file
        current = path.read_text(encoding="utf-8") if path.exists() else None
        try:
            block = produce(kb, root)
            if block is None:
                continue
            stale = current is None or replace_block(current, name, block) != current
        except GenerateError as error:
            problems.append(Problem(Path(file), None, str(error)))
            continue
        if stale:
            state = "missing" if current is None else "out of date"
            problems.append(
                Problem(
                    Path(file),
                    None,
                    f"generated block '{name}' is {state}: run `make generate` ({COMMAND})",
                )
            )
    return problems
