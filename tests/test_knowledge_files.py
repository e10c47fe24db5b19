"""Validation of the curated YAML files: every problem names its file and entry."""

from __future__ import annotations

import pytest

from bot.tools.knowledge.__main__ import main as kb_cli
from bot.tools.knowledge.files import KnowledgeBaseError, read_knowledge_base
from tests.conftest import (
    COST_ENTRY,
    COST_TOPIC,
    SESSIONS_TOPIC,
    VALID_SOURCES,
    write_knowledge_base,
)


def problems_for(directory) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        read_knowledge_base(directory)
    return [str(problem) for problem in caught.value.problems]


def test_the_project_knowledge_base_is_valid(real_knowledge_base):
    assert len(real_knowledge_base.answers) >= 5
    assert {
        "what_is",
        "cost",
        "pain",
        "recovery",
        "results_duration",
    } <= real_knowledge_base.topics()


def test_a_valid_small_knowledge_base_is_read(small_kb_dir):
    kb = read_knowledge_base(small_kb_dir)
    assert set(kb.sources) == {"clinic-page", "review-2010"}
    cost = next(answer for answer in kb.answers if answer.id == "cost-general")
    assert cost.source_ids == ("clinic-page", "review-2010")
    assert cost.concern == "general"
    assert str(cost.last_reviewed) == "2026-11-21"


def test_answer_without_sources_is_rejected(tmp_path):
    cost = """
    title: What does it cost?
    answers:
      - id: cost-general
        topic: cost
        short_answer: It costs some money.
        last_reviewed: 2026-11-21
    """
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=cost))
    assert "topics/cost.yml" in problem
    assert "entry 'cost-general'" in problem
    assert "missing source" in problem


def test_unknown_source_id_is_rejected(tmp_path):
    cost = COST_TOPIC.replace("[clinic-page, review-2010]", "[clinic-page, made-up]")
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=cost))
    assert "topics/cost.yml: entry 'cost-general': unknown source id(s): made-up" in problem


def test_duplicate_answer_id_across_files_names_both_files(tmp_path):
    sessions = SESSIONS_TOPIC + COST_ENTRY.replace("topic: cost", "concern: face")
    kb_dir = write_knowledge_base(tmp_path, sessions=sessions)
    [problem] = problems_for(kb_dir)
    assert "topics/sessions.yml: entry 'cost-general': duplicate id" in problem
    assert "topics/cost.yml" in problem


def test_duplicate_source_id_is_rejected(tmp_path):
    sources = (
        VALID_SOURCES
        + "  - id: clinic-page\n    title: Again\n    name: Again\n"
        + "    url: https://e.org\n    kind: clinic_page\n"
    )
    problems = problems_for(write_knowledge_base(tmp_path, sources=sources))
    assert any("sources.yml: entry 'clinic-page': duplicate id" in p for p in problems)


OWN_SOURCE = """
sources:
  - id: price-list
    title: A price list
    name: A price list
    url: https://clinic.example/prices
    kind: clinic_page
"""


def test_a_topic_file_defines_the_sources_only_it_cites(tmp_path):
    cost = COST_TOPIC.replace("[clinic-page, review-2010]", "[price-list]") + OWN_SOURCE
    kb = read_knowledge_base(write_knowledge_base(tmp_path, cost=cost))
    assert kb.sources["price-list"].short_name == "A price list"
    assert kb.sources["price-list"].file.endswith("topics/cost.yml")
    cost_answer = next(answer for answer in kb.answers if answer.id == "cost-general")
    assert cost_answer.source_ids == ("price-list",)


def test_a_source_defined_twice_names_both_files(tmp_path):
    cost = COST_TOPIC + OWN_SOURCE.replace("price-list", "clinic-page", 1)
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=cost))
    assert "topics/cost.yml: entry 'clinic-page': duplicate id (already in" in problem
    assert "sources.yml" in problem.split("already in")[1]


def test_another_topics_own_source_cannot_be_cited(tmp_path):
    cost = COST_TOPIC + OWN_SOURCE
    sessions = SESSIONS_TOPIC.replace("sources: [clinic-page]", "sources: [price-list]")
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=cost, sessions=sessions))
    assert "topics/sessions.yml: entry 'sessions-general': source(s) price-list" in problem
    assert "topics/cost.yml" in problem and "defined in sources.yml" in problem


def test_an_answer_in_the_wrong_topics_file_is_rejected(tmp_path):
    sessions = SESSIONS_TOPIC.replace(
        "    topic: sessions\n    concern", "    topic: cost\n    concern"
    )
    [problem] = problems_for(write_knowledge_base(tmp_path, sessions=sessions))
    assert "topics/sessions.yml: entry 'sessions-cellulite':" in problem
    assert "topic 'cost' belongs in its topic's file" in problem and "cost.yml" in problem


def test_a_topic_file_named_otherwise_than_a_topic_is_rejected(tmp_path):
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=None, **{"Cost-2": COST_TOPIC}))
    assert "topics/Cost-2.yml: a topic file is named after its topic" in problem


def test_an_answer_without_a_topic_is_the_files_topic(tmp_path):
    cost = COST_TOPIC.replace("    topic: cost\n", "")
    kb = read_knowledge_base(write_knowledge_base(tmp_path, cost=cost))
    assert next(answer for answer in kb.answers if answer.id == "cost-general").topic == "cost"


def test_malformed_yaml_names_file_and_line(tmp_path):
    broken = "title: Cost\nanswers:\n  - id: cost-general\n    topic: [cost\n"
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=broken))
    assert "topics/cost.yml" in problem
    assert "malformed YAML at line" in problem


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("    short_answer: It costs some money.\n", ""),
            "missing required field(s): short_answer",
        ),
        (("topic: cost\n", "topic: cost\n    colour: red\n"), "unknown field(s): colour"),
        (("- id: cost-general", "- id: Cost General"), "missing or malformed 'id'"),
    ],
)
def test_each_field_problem_is_named(tmp_path, change, expected):
    cost = COST_TOPIC.replace(*change, 1)
    problems = problems_for(write_knowledge_base(tmp_path, cost=cost))
    assert any("topics/cost.yml: entry" in p and expected in p for p in problems), problems


def test_bad_last_reviewed_date_is_rejected(tmp_path):
    cost = COST_TOPIC.replace("last_reviewed: 2026-11-21", "last_reviewed: last week", 1)
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=cost))
    assert "entry 'cost-general': missing or malformed 'last_reviewed'" in problem


def test_source_needs_kind_from_the_list_and_a_url_or_doi(tmp_path):
    sources = (
        VALID_SOURCES.replace("kind: clinic_page", "kind: blog")
        .replace("    doi: 10.1000/xyz\n", "")
        .replace("    year: 2010\n", "")
    )
    problems = problems_for(write_knowledge_base(tmp_path, sources=sources))
    assert any("entry 'clinic-page': kind 'blog' is not one of" in p for p in problems), problems
    assert any("entry 'review-2010': needs a url or doi" in p for p in problems)


def test_a_paper_may_be_cited_by_its_journal_reference_alone(tmp_path):
    sources = VALID_SOURCES.replace("    doi: 10.1000/xyz\n", "")
    kb = read_knowledge_base(write_knowledge_base(tmp_path, sources=sources))
    assert kb.sources["review-2010"].link is None
    assert kb.sources["review-2010"].short_name == "Someone 2010, A Journal"


def test_a_source_needs_a_short_name_that_fits_a_phone_line(tmp_path):
    sources = VALID_SOURCES.replace("    name: A clinic\n", "").replace(
        "name: Someone 2010, A Journal", "name: " + "A very long name " * 4
    )
    problems = problems_for(write_knowledge_base(tmp_path, sources=sources))
    assert any("entry 'clinic-page': missing required field(s): name" in p for p in problems)
    assert any("entry 'review-2010': name is longer than 45 characters" in p for p in problems)


def test_two_answers_for_the_same_topic_and_concern_are_rejected(tmp_path):
    cost = COST_TOPIC + COST_ENTRY.replace("id: cost-general", "id: cost-again")
    [problem] = problems_for(write_knowledge_base(tmp_path, cost=cost))
    expected = "topic 'cost' with concern 'general' is already answered by 'cost-general'"
    assert f"entry 'cost-again': {expected}" in problem


def test_every_problem_is_reported_at_once(tmp_path):
    sessions = SESSIONS_TOPIC.replace("[clinic-page]", "[nope]")
    cost = COST_TOPIC.replace("[clinic-page, review-2010]", "[]")
    problems = problems_for(write_knowledge_base(tmp_path, cost=cost, sessions=sessions))
    assert len(problems) == 2


def test_a_topic_without_a_title_is_reported(tmp_path):
    sessions = SESSIONS_TOPIC.replace("title: How many sessions?\n", "")
    [problem] = problems_for(write_knowledge_base(tmp_path, sessions=sessions))
    assert "topics/sessions.yml: entry 'sessions': missing title" in problem


def test_a_topic_file_without_answers_is_reported(tmp_path):
    [problem] = problems_for(write_knowledge_base(tmp_path, other="title: Something else\n"))
    assert "topics/other.yml: expected a top-level 'answers:' list" in problem


def test_missing_files_are_reported(tmp_path):
    problems = problems_for(tmp_path)
    assert any("sources.yml: file not found" in p for p in problems)
    assert any("no topic files" in p for p in problems)


def test_cli_check_prints_problems_and_fails(tmp_path, capsys):
    sessions = SESSIONS_TOPIC.replace("[clinic-page]", "[nope]")
    write_knowledge_base(tmp_path / "knowledge", sessions=sessions)
    code = kb_cli(["check", "--root", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "topics/sessions.yml: entry 'sessions-general': unknown source id(s): nope" in err


def test_cli_check_passes_on_the_project_files(capsys):
    assert kb_cli(["check"]) == 0
    assert "Knowledge base OK" in capsys.readouterr().out
