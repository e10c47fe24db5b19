"""The knowledge base on a real PostgreSQL server, started on loopback for this test."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeRepository
from bot.knowledge.database import create_knowledge_engine
from bot.tools.knowledge.__main__ import main as kb_cli
from bot.tools.launcher import free_port


def postgres_bin() -> Path | None:
    found = shutil.which("initdb") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None
    )
    return Path(found).parent if found else None


def as_server_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; use the packaged `postgres` account instead.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture
def postgres_url():
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL's initdb is missing: run `make prerequisites`")
    # Not under pytest's tmp_path: that is private to root, and the server user must write here.
    base = Path(tempfile.mkdtemp(prefix="mesoguide-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    port = free_port()
    subprocess.run(
        as_server_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "mesoguide", "-A", "trust"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w"]
    subprocess.run(
        as_server_user([*pg_ctl, "-o", options, "start"]), check=True, capture_output=True
    )
    try:
        yield f"postgresql://mesoguide@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_server_user([*pg_ctl, "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


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
