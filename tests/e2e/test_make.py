"""The Makefile's promises: a second `make chat` redoes nothing, and the action server it
starts is stopped when the chat ends. Runs after `make train` (in `make e2e`)."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from bot.settings import PROJECT_ROOT
from tests.e2e.servers import free_port

pytestmark = pytest.mark.e2e


def test_a_second_make_chat_only_starts_the_chat():
    planned = subprocess.run(
        ["make", "-n", "chat"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    for step in ("pip install", "rasa train", "build_pipeline", "bot.knowledge load"):
        assert step not in planned
    assert "scripts/with-action-server.sh" in planned and "rasa shell" in planned


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_action_server_runs_during_the_command_and_stops_after_it():
    port = free_port()
    probe = f"python -c 'import socket; socket.create_connection((\"127.0.0.1\", {port}))'"
    result = subprocess.run(
        ["scripts/with-action-server.sh", "bash", "-c", f".venv/bin/{probe}"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "ACTIONS_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not listening(port)
