"""The self-check as data: knowledge/self_check.yml, its checks, domain.yml's generated blocks
and the form's validation action."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.self_check import ValidateSelfCheckForm, self_check_slots
from bot.self_check import COUNT_SLOT, SelfCheckFileError, parse_self_check, project_self_check
from bot.settings import PROJECT_ROOT, SELF_CHECK_FILE
from bot.tools.knowledge.__main__ import main as kb_cli
from bot.tools.knowledge.checks import self_check_problems
from bot.tools.knowledge.self_check_blocks import self_check_blocks
from tests.test_actions import DOMAIN
from tests.test_kb_checks import make_project

PROJECT_FILE = yaml.safe_load(SELF_CHECK_FILE.read_text(encoding="utf-8"))
BLOCK = re.compile(
    r"^ *# >>> generated: (?P<name>\S+) — [^\n]*\n(?P<text>.*?)^ *# <<< generated: (?P=name)\n",
    re.MULTILINE | re.DOTALL,
)


def generated_blocks(text: str) -> dict[str, str]:
    return {found["name"]: found["text"] for found in BLOCK.finditer(text)}


def test_domain_yml_holds_the_blocks_generated_from_the_self_check_file():
    domain = (PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")
    blocks = generated_blocks(domain)
    for name, text in self_check_blocks(PROJECT_ROOT).items():
        assert blocks[name] == textwrap.indent(text, "  ")


def test_each_question_is_asked_with_its_number_and_yes_no_stop_buttons():
    questions = project_self_check().questions
    assert self_check_slots(DOMAIN) == [question.slot for question in questions]
    last = DOMAIN["responses"][f"utter_ask_{questions[-1].slot}"]
    assert last[0]["text"] == f"{len(questions)} of {len(questions)}. {questions[-1].text}"
    assert [button["payload"] for button in last[0]["buttons"]] == ["/affirm", "/deny", "/cancel"]
    assert [button["title"] for button in last[0]["buttons"]] == ["Yes", "No", "Stop"]
    assert last[1] == {"channel": "queue", "text": last[0]["text"]}
    assert DOMAIN["slots"][questions[0].slot]["mappings"] == [{"type": "custom"}]


def test_the_blocks_follow_the_file(tmp_path):
    (tmp_path / "knowledge").mkdir()
    document = {**PROJECT_FILE, "questions": PROJECT_FILE["questions"][:2][::-1]}
    (tmp_path / "knowledge" / "self_check.yml").write_text(yaml.safe_dump(document))
    blocks = self_check_blocks(tmp_path)
    generated = yaml.safe_load(
        "".join(
            f"{key}:\n{textwrap.indent(blocks[name], '  ')}"
            for key, name in [
                ("slots", "self_check_slots"),
                ("forms", "self_check_form"),
                ("responses", "self_check_questions"),
            ]
        )
    )
    assert generated["forms"]["self_check_form"]["required_slots"] == [
        "check_blood_thinners",
        "check_pregnancy",
    ]
    assert list(generated["slots"]) == [
        "check_blood_thinners",
        "check_pregnancy",
        "self_check_count",
    ]
    assert generated["slots"]["self_check_count"]["initial_value"] == 2
    assert generated["responses"]["utter_ask_check_pregnancy"][0]["text"] == (
        "2 of 2. Are you pregnant, trying to get pregnant, or breastfeeding?"
    )


def test_a_yes_leads_to_the_concern_the_file_names():
    self_check = parse_self_check(
        {
            **PROJECT_FILE,
            "questions": [
                {"id": "thin_blood", "concern": "blood_thinners", "text": "Warfarin?"},
                {"id": "sugar", "concern": "diabetes", "text": "Diabetes?"},
            ],
        },
        "self_check.yml",
    )
    slots = {"check_thin_blood": True, "check_sugar": False}
    assert self_check.concerns_for(slots) == ["blood_thinners"]


def _question(**fields):
    return {"id": "diabetes", "concern": "diabetes", "text": "Do you have diabetes?", **fields}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"questions": [_question(), _question()]}, "entry 'diabetes': id is used twice"),
        ({"questions": [_question(text=" ")]}, "entry 'diabetes': text must be text"),
        ({"questions": [_question(id="Sugar!")]}, "entry 'Sugar!': id must be lower-case"),
        ({"questions": [_question(concern=None)]}, "entry 'diabetes': concern must be text"),
        ({"questions": [_question(asked="x")]}, "entry 'diabetes': unknown fields: asked"),
        ({"questions": ["Diabetes?"]}, "entry 'question #1': must map id, concern and text"),
        ({"questions": []}, "entry 'questions': must be a list of questions"),
        ({"buttons": {"yes": "Yes", "no": "No"}}, "entry 'buttons': must give a title for each"),
        ({"asked_as": "{number}. {question}"}, "entry 'asked_as': must be text with {text}"),
    ],
)
def test_a_malformed_self_check_names_the_file_and_entry(change, problem):
    with pytest.raises(SelfCheckFileError) as error:
        parse_self_check({**PROJECT_FILE, **change}, "knowledge/self_check.yml")
    assert f"knowledge/self_check.yml: {problem}" in str(error.value)


def test_kb_check_names_a_concern_without_personal_advice(tmp_path, real_knowledge_base):
    path = tmp_path / "self_check.yml"
    questions = [_question(), _question(id="tattoos", concern="tattoos")]
    path.write_text(yaml.safe_dump({**PROJECT_FILE, "questions": questions}))
    assert [str(p) for p in self_check_problems(real_knowledge_base, path)] == [
        f"{path}: entry 'tattoos': concern 'tattoos' has no personal_advice entry in the "
        "knowledge base"
    ]
    assert self_check_problems(real_knowledge_base, SELF_CHECK_FILE) == []


def test_kb_check_fails_on_a_malformed_self_check(tmp_path, capsys):
    make_project(tmp_path)
    (tmp_path / "knowledge" / "self_check.yml").write_text(
        yaml.safe_dump({**PROJECT_FILE, "questions": [_question(), _question()]})
    )
    assert kb_cli(["check", "--root", str(tmp_path)]) == 1
    assert "self_check.yml: entry 'diabetes': id is used twice" in capsys.readouterr().err


def in_the_form(intent: str, requested_slot: str | None) -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots={"requested_slot": requested_slot, **dict.fromkeys(self_check_slots(DOMAIN))},
        latest_message={"text": "a message", "intent": {"name": intent}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "self_check_form"},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    ("intent", "requested_slot", "events"),
    [
        ("affirm", "check_diabetes", [SlotSet("check_diabetes", True)]),
        ("deny", "check_pregnancy", [SlotSet("check_pregnancy", False)]),
        # a question in between, stop, or a red flag: the form steps aside for the rules
        ("ask_cost", "check_diabetes", []),
        ("cancel", "check_diabetes", []),
        # a yes to the offer starts the form; it answers nothing
        ("affirm", None, []),
    ],
)
async def test_the_form_fills_the_asked_question_from_yes_or_no(intent, requested_slot, events):
    dispatcher = CollectingDispatcher()
    action = ValidateSelfCheckForm()
    assert action.name() == "validate_self_check_form"
    assert await action.run(dispatcher, in_the_form(intent, requested_slot), DOMAIN) == events
    assert dispatcher.messages == []


def test_the_validation_action_is_in_the_domain():
    assert "validate_self_check_form" in DOMAIN["actions"]
    assert Path(SELF_CHECK_FILE).is_relative_to(PROJECT_ROOT / "knowledge")


def test_the_offer_and_the_introduction_name_the_number_of_questions():
    """The number comes from the file, through a generated slot, never written by hand."""
    count = len(project_self_check().questions)
    assert DOMAIN["slots"][COUNT_SLOT]["initial_value"] == count
    for response in ("utter_offer_self_check", "utter_self_check_intro"):
        text = DOMAIN["responses"][response][0]["text"]
        assert f"{{{COUNT_SLOT}}}" in text and not re.search(r"\d", text), response
