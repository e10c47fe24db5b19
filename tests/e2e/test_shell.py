"""`rasa shell`, as a clinic's developer first tries it: in a real terminal (tmux), the way
`make chat` starts it. Options are a numbered list in the text, never a menu that takes over
the keyboard: a question typed while they are shown is answered, and so is a number. The
screen is saved to results/shell-transcript.txt (the README's example conversation)."""

from __future__ import annotations

import sys

import pytest

from bot.settings import PROJECT_ROOT
from bot.tools.launcher import free_port, load_knowledge
from tests.e2e.terminal import PROMPT, terminal_running

pytestmark = pytest.mark.e2e

TRANSCRIPT = PROJECT_ROOT / "results" / "shell-transcript.txt"
# What questionary prints when a reply's buttons become a menu.
MENU_MARKERS = ("Use arrow keys", "»")


@pytest.fixture
def terminal(tmp_path):
    """`make chat`'s command: the launcher starts the action server, then `rasa shell`."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'knowledge.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "ACTIONS_PORT": str(free_port()),
        "RASA_PORT": str(free_port()),
    }
    load_knowledge(env)
    with terminal_running(f"{sys.executable} -m bot.tools.launcher chat", env) as terminal:
        yield terminal


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
