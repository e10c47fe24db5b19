from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.knowledge import KnowledgeRepository
from bot.knowledge.database import create_knowledge_engine
from bot.records import records_engine
from bot.settings import KNOWLEDGE_DIR, PROJECT_ROOT, Settings
from bot.tools.knowledge.files import read_knowledge_base
from bot.tools.knowledge.loader import load_into_database
from bot.tools.training_data import ProjectFiles
from tests.servers import postgres_server, redis_server

VALID_SOURCES = """
sources:
  - id: clinic-page
    title: A clinic page
    name: A clinic
    publisher: A clinic
    url: https://clinic.example/meso
    kind: clinic_page
  - id: review-2010
    title: A review
    name: Someone 2010, A Journal
    publisher: Someone, A Journal
    year: 2010
    doi: 10.1000/xyz
    kind: journal_article
"""

COST_ENTRY = """
  - id: cost-general
    topic: cost
    short_answer: It costs some money.
    sources: [clinic-page, review-2010]
    last_reviewed: 2026-11-21
"""

SESSIONS_ENTRIES = """
  - id: sessions-general
    topic: sessions
    short_answer: Most people need a few sessions.
    sources: [clinic-page]
    last_reviewed: 2026-11-21
  - id: sessions-cellulite
    topic: sessions
    concern: cellulite
    short_answer: For cellulite, a few sessions.
    sources: [review-2010]
    last_reviewed: 2026-11-21
"""

# The small knowledge base's topic files (knowledge/topics/<topic>.yml).
COST_TOPIC = "title: What does it cost?\nanswers:" + COST_ENTRY
SESSIONS_TOPIC = "title: How many sessions?\nanswers:" + SESSIONS_ENTRIES
VALID_TOPICS = {"cost": COST_TOPIC, "sessions": SESSIONS_TOPIC}


def write_knowledge_base(
    directory: Path, sources: str = VALID_SOURCES, **topic_files: str | None
) -> Path:
    """Write a small knowledge base: sources.yml and topics/<topic>.yml. topic_files maps
    file stems to YAML text, replacing the small base's files (None leaves one out)."""
    (directory / "topics").mkdir(parents=True, exist_ok=True)
    (directory / "sources.yml").write_text(textwrap.dedent(sources), encoding="utf-8")
    for stem, text in {**VALID_TOPICS, **topic_files}.items():
        if text is not None:
            path = directory / "topics" / f"{stem}.yml"
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


@pytest.fixture
def small_kb_dir(tmp_path: Path) -> Path:
    """knowledge/ of a small project under tmp_path/project (its root: .parent)."""
    return write_knowledge_base(tmp_path / "project" / "knowledge")


@pytest.fixture
def memory_engine():
    engine = create_knowledge_engine("sqlite://")
    yield engine
    engine.dispose()


@pytest.fixture
def real_knowledge_base():
    return read_knowledge_base(KNOWLEDGE_DIR)


@pytest.fixture
def real_repository(memory_engine, real_knowledge_base) -> KnowledgeRepository:
    """The project's own knowledge base, loaded into an in-memory SQLite database."""
    load_into_database(real_knowledge_base, memory_engine, ProjectFiles().topic_examples())
    return KnowledgeRepository(memory_engine)


@pytest.fixture
def postgres_url():
    """A real PostgreSQL server on loopback, for this test (tests/servers.py)."""
    with postgres_server() as url:
        yield url


@pytest.fixture
def redis_url():
    """A real Redis server on loopback, for this test (tests/servers.py)."""
    with redis_server() as url:
        yield url


@pytest.fixture
def records_db(tmp_path, monkeypatch) -> str:
    """DATABASE_URL for bot/records.py's tables (votes, unanswered questions): temp SQLite."""
    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def stored_rows(table, url: str) -> list:
    """Every row of one of bot/records.py's tables, oldest first."""
    with Session(records_engine(url)) as session:
        return list(session.scalars(select(table).order_by(table.id)))


@pytest.fixture(scope="session")
def domain():
    """The project's Rasa domain (Rasa imported only by the tests that use it)."""
    from rasa.shared.core.domain import Domain

    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with the tracker store and our records in SQLite files of their own."""
    return Settings(
        tracker_store_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        database_url=f"sqlite:///{tmp_path / 'records.db'}",
    )
