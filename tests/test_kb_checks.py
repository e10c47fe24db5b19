"""make kb-check: readability, length and reachability of every knowledge-base entry."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.tools.knowledge.__main__ import main as kb_cli
from bot.tools.knowledge.checks import (
    citation_problems,
    reachability_problems,
    readability_problems,
)
from bot.tools.knowledge.files import read_knowledge_base
from bot.tools.knowledge.generate import END, START
from bot.tools.training_data import ProjectFiles
from bot.vocabulary import Vocabulary
from tests.conftest import COST_TOPIC, SESSIONS_TOPIC, VALID_SOURCES, write_knowledge_base

VOCABULARY = Vocabulary({"concern": {"cellulite": ("cellulite",)}}, {})

DOMAIN = """
intents:
  - greet
  - ask_cost
  - ask_sessions
"""

NLU = """
nlu:
  - intent: ask_cost
    examples: |
      - how much is it
      - price?
  - intent: ask_sessions
    examples: |
      - how many sessions
"""

RULES = """
rules:
  - rule: answer
    steps:
      - or:
          - intent: ask_cost
          - intent: ask_sessions
      - action: action_answer_question
"""


def make_project(root: Path, sessions: str = SESSIONS_TOPIC, **overrides: str) -> ProjectFiles:
    write_knowledge_base(root / "knowledge", sessions=sessions)
    files = {"domain.yml": DOMAIN, "data/nlu.yml": NLU, "data/rules.yml": RULES, **overrides}
    (root / "data").mkdir()
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "knowledge" / "vocabulary.yml").write_text(
        "entities:\n  concern:\n    cellulite: [cellulite]\n"
    )
    return ProjectFiles(root)


def reachability(project: ProjectFiles) -> list[str]:
    kb = read_knowledge_base(project.root / "knowledge")
    return [str(p) for p in reachability_problems(kb, project, VOCABULARY)]


def test_a_complete_small_project_has_no_problems(tmp_path):
    assert reachability(make_project(tmp_path)) == []


GENERATED_DOMAIN = f"""
intents:
  - greet
  {START.format(name="topic intents")}
  {END.format(name="topic intents")}
"""


def test_a_small_project_passes_kb_check_once_generated(tmp_path):
    make_project(tmp_path, **{"domain.yml": GENERATED_DOMAIN, "data/rules.yml": "rules: []\n"})
    assert kb_cli(["check", "--root", str(tmp_path)]) == 1
    assert kb_cli(["generate", "--root", str(tmp_path)]) == 0
    assert kb_cli(["check", "--root", str(tmp_path)]) == 0


def test_the_project_knowledge_base_passes_every_check(capsys):
    assert kb_cli(["check"]) == 0
    assert "Knowledge base OK" in capsys.readouterr().out


def test_an_intent_without_an_entry_is_reported(tmp_path):
    project = make_project(tmp_path, **{"domain.yml": DOMAIN + "  - ask_history\n"})
    assert any(
        "entry 'ask_history': intent has no knowledge-base entry (topic 'history')" in p
        for p in reachability(project)
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"domain.yml": "intents:\n  - ask_cost\n"}, "no intent 'ask_sessions' in domain.yml"),
        (
            {"data/nlu.yml": NLU.split("  - intent: ask_sessions")[0]},
            "intent 'ask_sessions' has no NLU examples",
        ),
        (
            {"data/rules.yml": RULES.replace("          - intent: ask_sessions\n", "")},
            "no rule or story sends intent 'ask_sessions' to action_answer_question",
        ),
    ],
)
def test_an_entry_no_intent_reaches_is_reported(tmp_path, overrides, reason):
    problems = reachability(make_project(tmp_path, **overrides))
    assert any(f"entry 'sessions-general': never reachable: {reason}" in p for p in problems), (
        problems
    )


def test_a_concern_missing_from_the_vocabulary_is_unreachable(tmp_path):
    sessions = SESSIONS_TOPIC.replace("concern: cellulite", "concern: knees")
    problems = reachability(make_project(tmp_path, sessions=sessions))
    assert any(
        "entry 'sessions-cellulite': never reachable: concern 'knees'" in p for p in problems
    )


def test_a_topic_without_a_general_answer_is_reported(tmp_path):
    sessions = SESSIONS_TOPIC.replace(
        "  - id: sessions-general\n    topic: sessions\n",
        "  - id: sessions-general\n    topic: sessions\n    concern: face\n",
    )
    problems = reachability(make_project(tmp_path, sessions=sessions))
    assert any("entry 'sessions': topic has no general answer" in p for p in problems), problems


def test_a_hard_to_read_short_answer_is_reported(tmp_path):
    hard = (
        "Mesotherapy constitutes a minimally invasive intradermal administration technique "
        "utilising pharmacological formulations."
    )
    write_knowledge_base(tmp_path, cost=COST_TOPIC.replace("It costs some money.", hard))
    problems = [str(p) for p in readability_problems(read_knowledge_base(tmp_path))]
    assert any("entry 'cost-general': short answer reads at grade" in p for p in problems), problems


def test_hard_to_read_details_are_reported(tmp_path):
    hard = (
        "Intradermal pharmacological administration necessitates individualised "
        "practitioner evaluation."
    )
    cost = COST_TOPIC.replace(
        "short_answer: It costs some money.\n",
        f"short_answer: It costs some money.\n    details: {hard}\n",
    )
    write_knowledge_base(tmp_path, cost=cost)
    problems = [str(p) for p in readability_problems(read_knowledge_base(tmp_path))]
    assert any("entry 'cost-general': details read at grade" in p for p in problems), problems


def test_a_too_long_short_answer_is_reported(tmp_path):
    cost = COST_TOPIC.replace("It costs some money.", "It costs some money. " * 20)
    write_knowledge_base(tmp_path, cost=cost)
    problems = [str(p) for p in readability_problems(read_knowledge_base(tmp_path))]
    assert any("entry 'cost-general': short answer has 80 words (max 60)" in p for p in problems)


def test_kb_check_fails_with_the_problems_named(tmp_path, capsys):
    make_project(tmp_path, **{"data/nlu.yml": NLU.split("  - intent: ask_sessions")[0]})
    assert kb_cli(["check", "--root", str(tmp_path)]) == 1
    assert "has no NLU examples" in capsys.readouterr().err


def _source(**fields: str) -> str:
    """The small knowledge base's sources, with the clinic page's link and kind replaced."""
    lines = "".join(f"    {key}: {value}\n" for key, value in fields.items())
    old = "    url: https://clinic.example/meso\n    kind: clinic_page\n"
    assert old in VALID_SOURCES
    return VALID_SOURCES.replace(old, lines)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"kind": "journal_article", "url": "https://studyres.com/doc/1/paper"},
            "links to a copy on a sharing site: https://studyres.com/doc/1/paper",
        ),
        (
            {"kind": "professional_society", "url": "https://www.scribd.com/document/2"},
            "links to a copy on a sharing site",
        ),
        (
            {"kind": "journal_article", "url": "https://journal.example/paper"},
            "a journal article is linked by its doi or its PubMed/PMC record",
        ),
        (
            {"kind": "journal_article", "url": "https://pubmed.ncbi.nlm.nih.gov/?term=meso"},
            "links to search results, not a page",
        ),
        (
            {"kind": "health_site", "url": "https://www.google.com/search?q=mesotherapy"},
            "links to search results",
        ),
    ],
)
def test_a_source_a_patient_cannot_trust_is_reported(tmp_path, fields, reason):
    write_knowledge_base(tmp_path, sources=_source(**fields))
    problems = [str(p) for p in citation_problems(read_knowledge_base(tmp_path))]
    assert len(problems) == 1
    assert "'clinic-page'" in problems[0] and reason in problems[0]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "journal_article", "doi": "10.1000/xyz"},
        {"kind": "journal_article", "url": "https://pubmed.ncbi.nlm.nih.gov/123/"},
        {"kind": "journal_article", "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1"},
        {"kind": "clinic_page", "url": "https://clinic.example/meso"},
        {"kind": "journal_article", "year": "2011"},  # authors, journal and year, no link
    ],
)
def test_a_doi_pubmed_or_an_original_page_passes(tmp_path, fields):
    write_knowledge_base(tmp_path, sources=_source(**fields))
    assert citation_problems(read_knowledge_base(tmp_path)) == []


def test_kb_check_refuses_an_aggregator_link(tmp_path, capsys):
    make_project(tmp_path)
    sources = tmp_path / "knowledge" / "sources.yml"
    sources.write_text(
        sources.read_text().replace("https://clinic.example/meso", "https://vdocuments.us/x")
    )
    assert kb_cli(["check", "--root", str(tmp_path)]) == 1
    assert "sources.yml: entry 'clinic-page': links to a copy" in capsys.readouterr().err
