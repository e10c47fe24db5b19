"""The Makefile's promises: a second `make chat` redoes nothing, the action server it
starts is stopped when the chat ends, and `make serve` answers over REST and stops both
servers on Ctrl-C. Runs after `make train` (in `make e2e`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess

import pytest

from bot.settings import PROJECT_ROOT
from tests.e2e.servers import RunningAssistant, free_port, wait_until_up

pytestmark = pytest.mark.e2e


def test_a_second_make_chat_only_starts_the_chat():
    planned = subprocess.run(
        ["make", "-n", "chat"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    for step in ("pip install", "rasa train", "build_pipeline", "bot.tools.knowledge load"):
        assert step not in planned
    assert "bot/tools/with-action-server.sh" in planned and "rasa shell" in planned


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_action_server_runs_during_the_command_and_stops_after_it():
    port = free_port()
    probe = f"python -c 'import socket; socket.create_connection((\"127.0.0.1\", {port}))'"
    result = subprocess.run(
        ["bot/tools/with-action-server.sh", "bash", "-c", f".venv/bin/{probe}"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "ACTIONS_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not listening(port)


def test_make_serve_answers_over_rest_and_ctrl_c_stops_both_servers(tmp_path):
    actions_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACTIONS_PORT": str(actions_port),
        "RASA_PORT": str(rasa_port),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "UNANSWERED_LOG": str(tmp_path / "unanswered.jsonl"),
    }
    log = tmp_path / "serve.log"
    serve = subprocess.Popen(
        ["make", "serve"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as in a terminal
    )
    try:
        wait_until_up(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", serve, log)
        assistant = RunningAssistant(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", tmp_path / "tracker.db", tmp_path
        )
        replies = assistant.ask("make-serve", "how much does it cost?")
        assert any("USD 250 to 600" in (reply.get("text") or "") for reply in replies), replies
        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        serve.wait(timeout=60)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    assert not listening(rasa_port), log.read_text()[-2000:]
    assert not listening(actions_port), log.read_text()[-2000:]
