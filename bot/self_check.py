"""The self-check's questions, their order and the personal-advice entry each "yes" leads to,
from knowledge/self_check.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.settings import SELF_CHECK_FILE

FORM_NAME = "self_check_form"
# The answer to question <id> is slot check_<id>.
SLOT_PREFIX = "check_"
QUESTION_ID = re.compile(r"^[a-z][a-z_]*$")
# The intent each button sends, by its name in the file's `buttons:`.
BUTTON_INTENTS = {"yes": "affirm", "no": "deny", "stop": "cancel"}
# Holds the number of questions, for responses that name it ("It asks {self_check_count}
# yes or no questions"); generated with the answers' slots.
COUNT_SLOT = "self_check_count"
# What a yes or a no sets the asked question's slot to.
ANSWERS = {"affirm": True, "deny": False}


class SelfCheckFileError(ValueError):
    """self_check.yml is malformed; `problems` are (entry or None, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str | None, str]]):
        self.source = source
        self.problems = problems
        super().__init__(
            "\n".join(
                f"{source}: " + (f"entry '{entry}': " if entry else "") + message
                for entry, message in problems
            )
        )


@dataclass(frozen=True)
class Question:
    id: str
    concern: str
    text: str

    @property
    def slot(self) -> str:
        return SLOT_PREFIX + self.id


@dataclass(frozen=True)
class SelfCheck:
    questions: tuple[Question, ...]
    asked_as: str
    # yes / no / stop -> button title
    buttons: dict[str, str]
    source: str = str(SELF_CHECK_FILE)

    def asked(self, question: Question) -> str:
        """The question as put to the person: "1 of 10. Do you have diabetes?"."""
        number = self.questions.index(question) + 1
        return self.asked_as.format(number=number, count=len(self.questions), text=question.text)

    def concerns_for(self, slots: dict[str, object]) -> list[str]:
        """The concerns of the questions answered yes, in the order asked."""
        return [q.concern for q in self.questions if slots.get(q.slot) is True]


@cache
def project_self_check() -> SelfCheck:
    return read_self_check(SELF_CHECK_FILE)


def read_self_check(path: Path) -> SelfCheck:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SelfCheckFileError(str(path), [(None, f"cannot be read: {error}")]) from error
    return parse_self_check(document, str(path))


def parse_self_check(document: object, source: str) -> SelfCheck:
    if not isinstance(document, dict):
        raise SelfCheckFileError(source, [(None, "must map asked_as, buttons and questions")])
    problems: list[tuple[str | None, str]] = []
    asked_as = document.get("asked_as")
    if not isinstance(asked_as, str) or "{text}" not in asked_as:
        problems.append(("asked_as", "must be text with {text} in it"))
    else:
        try:
            asked_as.format(number=1, count=1, text="")
        except (KeyError, IndexError, ValueError) as error:
            problems.append(("asked_as", f"only {{number}}, {{count}} and {{text}}: {error!r}"))
    buttons = document.get("buttons")
    if not isinstance(buttons, dict) or set(map(str, buttons)) != set(BUTTON_INTENTS):
        problems.append(("buttons", f"must give a title for each of {', '.join(BUTTON_INTENTS)}"))
        buttons = {}
    elif not all(isinstance(title, str) and title.strip() for title in buttons.values()):
        problems.append(("buttons", "every title must be text"))
    questions = []
    entries = document.get("questions")
    if not isinstance(entries, list) or not entries:
        problems.append(("questions", "must be a list of questions"))
        entries = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        question, entry_problems = _read_question(entry, number, seen)
        problems.extend(entry_problems)
        if question:
            questions.append(question)
    if problems:
        raise SelfCheckFileError(source, problems)
    return SelfCheck(
        tuple(questions), str(asked_as), {str(k): str(v) for k, v in buttons.items()}, source
    )


def _read_question(
    entry: object, number: int, seen: set[str]
) -> tuple[Question | None, list[tuple[str | None, str]]]:
    if not isinstance(entry, dict):
        return None, [(f"question #{number}", "must map id, concern and text")]
    name = str(entry.get("id") or f"question #{number}")
    problems: list[tuple[str | None, str]] = []
    if not isinstance(entry.get("id"), str) or not QUESTION_ID.match(entry["id"]):
        problems.append((name, "id must be lower-case letters and _"))
    elif entry["id"] in seen:
        problems.append((name, "id is used twice"))
    seen.add(name)
    for field in ("concern", "text"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            problems.append((name, f"{field} must be text"))
    unknown = set(entry) - {"id", "concern", "text"}
    if unknown:
        problems.append((name, f"unknown fields: {', '.join(sorted(map(str, unknown)))}"))
    if problems:
        return None, problems
    return Question(entry["id"], entry["concern"].strip(), " ".join(entry["text"].split())), []
