"""`rasa shell`, as a clinic's developer first tries it: in a real terminal (tmux), the way
`make chat` starts it. Options are a numbered list in the text, never a menu that takes over
the keyboard: a question typed while they are shown is answered, and so is a number. The
screen is saved to results/shell-transcript.txt (the README's example conversation)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from bot.settings import PROJECT_ROOT
from tests.e2e.servers import BIN, MODEL, free_port

pytestmark = pytest.mark.e2e

TRANSCRIPT = PROJECT_ROOT / "results" / "shell-transcript.txt"
PROMPT = "Your input ->"
# What questionary prints when a reply's buttons become a menu.
MENU_MARKERS = ("Use arrow keys", "»")


class Terminal:
    def __init__(self, name: str):
        self.name = name

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-J", "-S", "-500", "-t", self.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        subprocess.run(["tmux", "send-keys", "-t", self.name, "Enter"], check=True)

    def wait_for(self, text: str, count: int = 1, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if screen.count(text) >= count:
                return screen
            time.sleep(0.5)
        raise AssertionError(f"{text!r} did not show within {timeout} s:\n{self.screen()}")


@pytest.fixture
def terminal(tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is missing: apt-get install tmux")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'knowledge.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "UNANSWERED_LOG": str(tmp_path / "unanswered.jsonl"),
        "ACTIONS_PORT": str(free_port()),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "bot.tools.knowledge", "load"], env=env, cwd=PROJECT_ROOT, check=True
    )
    name = f"mesoguide-{uuid.uuid4().hex[:8]}"
    command = (
        f"bot/tools/with-action-server.sh {BIN / 'rasa'} shell --model {MODEL} "
        f"--endpoints endpoints.yml --port {free_port()}"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "50", command],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
    )
    try:
        yield Terminal(name)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)


def test_a_question_typed_while_the_options_are_shown_is_answered(terminal):
    terminal.wait_for(PROMPT)
    terminal.type("hi")
    screen = terminal.wait_for("4. Does it hurt?")
    assert not any(marker in screen for marker in MENU_MARKERS), screen

    terminal.wait_for(PROMPT, count=2)
    terminal.type("how much does it cost?")
    terminal.wait_for("USD 250")
    terminal.wait_for(PROMPT, count=3)
    screen = terminal.screen()
    assert "Sources: Raskel Medical; Sivagnanam 2010, J Pharmacol Pharmacother" in screen
    assert "http" not in screen.split("how much does it cost?", 1)[1]  # short names only
    assert not any(marker in screen for marker in MENU_MARKERS), screen

    # the options' numbers work too
    terminal.type("hello")
    terminal.wait_for("4. Does it hurt?", count=2)
    terminal.wait_for(PROMPT, count=4)
    terminal.type("4")
    terminal.wait_for("small pinches")
    screen = terminal.wait_for(PROMPT, count=5)
    assert not any(marker in screen for marker in MENU_MARKERS), screen

    conversation = screen[screen.index("Bot loaded.") :].rstrip()
    TRANSCRIPT.parent.mkdir(exist_ok=True)
    TRANSCRIPT.write_text("\n".join(line.rstrip() for line in conversation.splitlines()) + "\n")
