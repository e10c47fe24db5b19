"""The knowledge base on a real PostgreSQL server, started on loopback for this test
(the `postgres_url` fixture: tests/conftest.py, tests/servers.py)."""

from __future__ import annotations

from bot.knowledge import KnowledgeRepository
from bot.knowledge.database import create_knowledge_engine
from bot.tools.knowledge.__main__ import main as kb_cli


def test_knowledge_base_loads_and_answers_from_postgresql(postgres_url, real_knowledge_base):
    assert kb_cli(["load", "--database-url", postgres_url]) == 0
    engine = create_knowledge_engine(postgres_url)
    try:
        repository = KnowledgeRepository(engine)
        assert repository.topics() == real_knowledge_base.topics()
        assert "USD 250 to 600" in repository.answer_for("cost").short_answer
        assert kb_cli(["load", "--database-url", postgres_url]) == 0
        assert repository.topics() == real_knowledge_base.topics()
    finally:
        engine.dispose()
