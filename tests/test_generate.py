"""make generate: the Rasa parts that list the topics, written from the knowledge base."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from bot.settings import KNOWLEDGE_DIR, PROJECT_ROOT
from bot.tools.knowledge.files import read_knowledge_base
from bot.tools.knowledge.generate import END, START, GenerateError, drift, replace_block, write
from tests.conftest import write_knowledge_base

INTENTS_START = START.format(name="topic intents")
INTENTS_END = END.format(name="topic intents")

DOMAIN = f"""
version: "3.1"
intents:
  - greet
  {INTENTS_START}
  - ask_stale
  {INTENTS_END}
  - affirm
"""

NLU = """
nlu:
  - intent: ask_cost
    examples: |
      - how much is it
  - intent: ask_cost+ask_sessions
    examples: |
      - price and how many visits?
  - intent: ask_cost+ask_teleportation
    examples: |
      - price and can you beam me up
"""

RULES = """
rules:
  - rule: Answer the cost, then say more
    steps:
      - intent: ask_cost
      - action: action_answer_question
      - action: utter_more
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_knowledge_base(tmp_path / "knowledge")
    (tmp_path / "data").mkdir()
    for name, text in {"domain.yml": DOMAIN, "data/nlu.yml": NLU, "data/rules.yml": RULES}.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def kb(root: Path):
    return read_knowledge_base(root / "knowledge")


def test_a_block_is_replaced_in_place_indented_like_its_markers():
    text = f"a:\n  {INTENTS_START}\n  - old\n  {INTENTS_END}\nb: 1\n"
    assert replace_block(text, "topic intents", "- new\n# note\n") == (
        f"a:\n  {INTENTS_START}\n  - new\n  # note\n  {INTENTS_END}\nb: 1\n"
    )


def test_a_file_without_the_markers_is_refused_with_the_lines_to_add():
    with pytest.raises(GenerateError, match="needs exactly one generated block 'topic intents'"):
        replace_block("intents:\n  - greet\n", "topic intents", "- ask_cost\n")


def test_write_lists_every_topic_intent_and_the_two_question_intents(project):
    assert sorted(path.name for path in write(kb(project), project)) == [
        "domain.yml",
        "topic_rules.yml",
    ]
    domain = yaml.safe_load((project / "domain.yml").read_text(encoding="utf-8"))
    # a two-question intent about a topic the knowledge base does not have is left out
    assert domain["intents"] == [
        "greet",
        "ask_cost",
        "ask_sessions",
        "ask_cost+ask_sessions",
        "affirm",
    ]


def test_the_rules_leave_out_a_topic_with_its_own_rule_but_not_in_the_self_check(project):
    write(kb(project), project)
    text = (project / "data" / "topic_rules.yml").read_text(encoding="utf-8")
    assert text.startswith(START.format(name="topic rules"))
    general, in_form = yaml.safe_load(text)["rules"]
    intents = [[step["intent"] for step in rule["steps"][0]["or"]] for rule in (general, in_form)]
    assert intents == [
        ["ask_sessions", "ask_cost+ask_sessions"],
        ["ask_cost", "ask_sessions", "ask_cost+ask_sessions"],
    ]
    assert general["steps"][1] == {"action": "action_answer_question"}
    assert in_form["condition"] == [{"active_loop": "self_check_form"}]


def test_drift_names_the_file_the_block_and_the_command(project):
    problems = [str(p) for p in drift(kb(project), project)]
    assert problems == [
        "domain.yml: generated block 'topic intents' is out of date: run `make generate`"
        " (python -m bot.tools.knowledge generate)",
        "data/topic_rules.yml: generated block 'topic rules' is missing: run `make generate`"
        " (python -m bot.tools.knowledge generate)",
    ]
    write(kb(project), project)
    assert drift(kb(project), project) == []
    assert write(kb(project), project) == []


def test_a_hand_edit_inside_a_block_is_drift(project):
    write(kb(project), project)
    rules = project / "data" / "topic_rules.yml"
    rules.write_text(rules.read_text().replace("- intent: ask_sessions\n", "", 1))
    [problem] = drift(kb(project), project)
    assert "data/topic_rules.yml: generated block 'topic rules' is out of date" in str(problem)


def test_the_projects_generated_parts_are_up_to_date():
    assert drift(read_knowledge_base(KNOWLEDGE_DIR), PROJECT_ROOT) == []
