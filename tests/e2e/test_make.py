"""The Makefile's promises: a second `make chat` redoes nothing; `make chat` shows one short
line per setup step and then the chat, never a third-party warning, and the action server it
starts stops when the chat ends; `make serve` answers over REST and stops both servers on
Ctrl-C. Runs after `make train` (in `make e2e`)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess

import pytest

from bot.settings import PROJECT_ROOT, Settings
from bot.tools.launcher import RunningAssistant, Server, free_port, wait_until_up
from tests.e2e.terminal import PROMPT, terminal_running

pytestmark = pytest.mark.e2e


def test_a_second_make_chat_only_starts_the_chat():
    planned = subprocess.run(
        ["make", "-n", "chat"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    for step in ("pip install", "rasa train", "build_pipeline", "bot.tools.knowledge load"):
        assert step not in planned
    assert "bot.tools.launcher chat" in planned


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


WARNING = re.compile(r"warn|deprecat|traceback", re.IGNORECASE)
STEP_LINE = re.compile(r"^Loading the knowledge base\.\.\. \d+ s$", re.MULTILINE)
ANY_STEP_LINE = re.compile(r"^[A-Z].*\.\.\. \d+ s$")


def test_make_chat_shows_its_steps_and_the_chat_but_no_warnings(tmp_path):
    actions_port = free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'knowledge.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "ACTIONS_PORT": str(actions_port),
        "RASA_PORT": str(free_port()),
    }
    # -W: as if the loader had changed, so one setup step (loading the knowledge base) runs.
    command = "make -W bot/tools/knowledge/loader.py chat; echo make-chat-ended; sleep 600"
    with terminal_running(command, env) as terminal:
        terminal.wait_for(PROMPT)
        assert listening(actions_port)
        terminal.type("how much does it cost?")
        terminal.wait_for("USD 250")
        terminal.wait_for(PROMPT, count=2)
        terminal.type("/stop")
        screen = terminal.wait_for("make-chat-ended", timeout=60)
    assert STEP_LINE.search(screen), screen
    assert not WARNING.search(screen), screen
    before_the_chat = screen[: screen.index("Bot loaded.")].strip().splitlines()
    assert all(
        ANY_STEP_LINE.match(line) or line.startswith("Opening the chat") for line in before_the_chat
    ), screen
    assert not listening(actions_port)


def test_make_serve_answers_over_rest_and_ctrl_c_stops_both_servers(tmp_path):
    actions_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACTIONS_PORT": str(actions_port),
        "RASA_PORT": str(rasa_port),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
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
        rasa = Server("make serve", [], f"http://127.0.0.1:{rasa_port}/webhooks/rest/", log)
        wait_until_up(rasa, serve, timeout=240)
        assistant = RunningAssistant(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            tmp_path / "tracker.db",
            Settings.from_environment(env).database_url,
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
