"""Loading the knowledge base into the database, and reading answers back."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.knowledge import KnowledgeBaseUnavailable, KnowledgeRepository, Source
from bot.knowledge.database import AnswerRow, LoadRow, SourceRow, create_knowledge_engine
from bot.tools.knowledge.__main__ import main as kb_cli
from bot.tools.knowledge.files import read_knowledge_base
from bot.tools.knowledge.loader import load_into_database
from tests.conftest import SESSIONS_TOPIC, write_knowledge_base


def count(engine, row_type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(row_type))


def test_load_writes_every_answer_and_source(memory_engine, small_kb_dir):
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine)
    assert count(memory_engine, AnswerRow) == 3
    assert count(memory_engine, SourceRow) == 2


def test_loading_twice_replaces_instead_of_duplicating(memory_engine, small_kb_dir):
    kb = read_knowledge_base(small_kb_dir)
    load_into_database(kb, memory_engine)
    load_into_database(kb, memory_engine)
    assert count(memory_engine, AnswerRow) == 3


def test_a_failed_write_leaves_the_previous_knowledge_base_intact(memory_engine, small_kb_dir):
    kb = read_knowledge_base(small_kb_dir)
    load_into_database(kb, memory_engine)
    clashing = dataclasses.replace(kb, answers=kb.answers + (kb.answers[0],))
    with pytest.raises(IntegrityError):
        load_into_database(clashing, memory_engine)
    assert count(memory_engine, AnswerRow) == 3
    assert (
        KnowledgeRepository(memory_engine).answer_for("cost").short_answer == "It costs some money."
    )


def test_cli_refuses_invalid_files_and_keeps_the_database(tmp_path, small_kb_dir, capsys):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    assert kb_cli(["load", "--root", str(small_kb_dir.parent), "--database-url", url]) == 0
    broken = tmp_path / "broken"
    sessions = SESSIONS_TOPIC.replace("[clinic-page]", "[gone]")
    write_knowledge_base(broken / "knowledge", sessions=sessions)
    assert kb_cli(["load", "--root", str(broken), "--database-url", url]) == 1
    assert "unknown source id(s): gone" in capsys.readouterr().err
    engine = create_knowledge_engine(url)
    assert count(engine, AnswerRow) == 3
    engine.dispose()


def test_a_database_made_by_an_older_version_is_rebuilt_on_load(tmp_path, small_kb_dir):
    engine = create_knowledge_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    with engine.begin() as connection:  # kb_sources as it was before sources had a name
        connection.exec_driver_sql(
            "CREATE TABLE kb_sources (id VARCHAR(100) PRIMARY KEY, title TEXT NOT NULL,"
            " kind VARCHAR(40) NOT NULL, publisher TEXT, url TEXT, doi VARCHAR(200),"
            " year INTEGER)"
        )
        connection.exec_driver_sql(
            "INSERT INTO kb_sources (id, title, kind) VALUES ('old', 'Old', 'clinic_page')"
        )
    load_into_database(read_knowledge_base(small_kb_dir), engine)
    answer = KnowledgeRepository(engine).answer_for("cost")
    assert [source.short_name for source in answer.sources] == [
        "A clinic",
        "Someone 2010, A Journal",
    ]
    engine.dispose()


def test_answer_for_returns_text_and_sources_in_order(memory_engine, small_kb_dir):
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine)
    answer = KnowledgeRepository(memory_engine).answer_for("cost")
    assert answer.answer_id == "cost-general"
    assert [source.id for source in answer.sources] == ["clinic-page", "review-2010"]
    assert [(s.short_name, s.link) for s in answer.sources] == [
        ("A clinic", "https://clinic.example/meso"),
        ("Someone 2010, A Journal", "https://doi.org/10.1000/xyz"),
    ]


def test_answer_for_prefers_the_concern_variant_and_falls_back_to_general(
    memory_engine, small_kb_dir
):
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine)
    repository = KnowledgeRepository(memory_engine)
    assert repository.answer_for("sessions", concern="cellulite").answer_id == "sessions-cellulite"
    assert repository.answer_for("sessions", concern="hair").answer_id == "sessions-general"
    assert repository.answer_for("sessions").answer_id == "sessions-general"


def test_unknown_topic_gives_none(memory_engine, small_kb_dir):
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine)
    assert KnowledgeRepository(memory_engine).answer_for("teleportation") is None


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_what_was_read_is_kept_until_the_next_load(memory_engine, small_kb_dir):
    kb = read_knowledge_base(small_kb_dir)
    load_into_database(kb, memory_engine)
    repository = KnowledgeRepository(memory_engine)
    first = repository.answer_for("cost")
    titles = repository.topic_titles()
    seen = _statements(memory_engine)
    assert repository.answer_for("cost") is first
    assert repository.topic_titles() == titles
    # each call only asks which load is in the database
    assert len(seen) == 2 and all("kb_load" in statement for statement in seen)

    changed = [
        dataclasses.replace(a, short_answer="It costs more now.") if a.topic == "cost" else a
        for a in kb.answers
    ]
    load_into_database(dataclasses.replace(kb, answers=tuple(changed)), memory_engine)
    assert repository.answer_for("cost").short_answer == "It costs more now."


def test_a_database_without_a_load_token_is_read_every_time(memory_engine, small_kb_dir):
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine)
    with Session(memory_engine) as session, session.begin():
        session.execute(delete(LoadRow))
    repository = KnowledgeRepository(memory_engine)
    assert repository.answer_for("cost").answer_id == "cost-general"
    with Session(memory_engine) as session, session.begin():
        session.execute(delete(AnswerRow).where(AnswerRow.topic == "cost"))
    assert repository.answer_for("cost") is None


def test_topics_lists_every_topic(real_repository, real_knowledge_base):
    assert real_repository.topics() == real_knowledge_base.topics()
    assert real_repository.topic_titles()["cost"] == "What does it cost?"
    assert {a.answer_id for a in real_repository.all_answers()} == {
        a.id for a in real_knowledge_base.answers
    }


def test_an_unreachable_database_raises_knowledge_base_unavailable(tmp_path):
    engine = create_knowledge_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'kb.db'}")
    with pytest.raises(KnowledgeBaseUnavailable):
        KnowledgeRepository(engine).answer_for("cost")


def test_an_empty_database_raises_knowledge_base_unavailable(memory_engine):
    with pytest.raises(KnowledgeBaseUnavailable):
        KnowledgeRepository(memory_engine).answer_for("cost")


@pytest.mark.parametrize(
    ("source", "link"),
    [
        (Source("a", "Title", "clinic_page", publisher="Clinic"), None),
        (
            Source("b", "Paper", "journal_article", doi="10.1/x", year=2020),
            "https://doi.org/10.1/x",
        ),
        # a journal article by its DOI, even when it has a page too
        (
            Source("c", "Paper", "journal_article", url="https://e.org/p", doi="10.1/x"),
            "https://doi.org/10.1/x",
        ),
        # a regulator by its own page
        (
            Source("d", "Report", "regulator", url="https://agency.example/r", doi="10.1/y"),
            "https://agency.example/r",
        ),
    ],
)
def test_a_source_has_one_link_a_journal_article_its_doi(source, link):
    assert source.link == link


def test_a_source_is_shown_by_its_short_name_else_its_title():
    assert Source("a", "A long title", "health_site", name="NHS").short_name == "NHS"
    assert Source("a", "A long title", "health_site").short_name == "A long title"


EXAMPLES = {
    "sessions": ["how many visits will my plan take", "number of treatments?"],
    "cost": ["how much is it"],
    "teleportation": ["beam me up"],  # no such topic in the knowledge base
}


def test_each_topics_example_questions_are_stored_in_order(memory_engine, small_kb_dir):
    load_into_database(read_knowledge_base(small_kb_dir), memory_engine, EXAMPLES)
    assert KnowledgeRepository(memory_engine).topic_examples() == {
        "cost": ["how much is it"],
        "sessions": ["how many visits will my plan take", "number of treatments?"],
    }


def test_cli_load_stores_the_examples_of_each_topic_intent(tmp_path, small_kb_dir):
    root = small_kb_dir.parent
    (root / "data").mkdir()
    (root / "data" / "nlu.yml").write_text(
        "nlu:\n  - intent: ask_cost\n    examples: |\n      - how much is it\n"
        "      - is [botox](ingredient) extra\n"
        "  - intent: ask_cost+ask_sessions\n    examples: |\n      - price and visits\n"
        "  - intent: greet\n    examples: |\n      - hello\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    assert kb_cli(["load", "--root", str(root), "--database-url", url]) == 0
    engine = create_knowledge_engine(url)
    assert KnowledgeRepository(engine).topic_examples() == {
        "cost": ["how much is it", "is botox extra"]
    }
    engine.dispose()
