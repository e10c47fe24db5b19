"""A real terminal for the tests that type into MesoGuide's chat: a tmux session."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pytest

from bot.settings import PROJECT_ROOT

PROMPT = "Your input ->"


class Terminal:
    """A tmux server of its own (-L), so the command gets this environment, not that of
    a tmux server started elsewhere."""

    def __init__(self, name: str):
        self.name = name

    def tmux(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.name, *args], check=True, **kwargs)

    def screen(self) -> str:
        return self.tmux(
            "capture-pane",
            "-p",
            "-J",
            "-S",
            "-500",
            "-t",
            self.name,
            capture_output=True,
            text=True,
        ).stdout

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)
        self.tmux("send-keys", "-t", self.name, "Enter")

    def wait_for(self, text: str, count: int = 1, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if screen.count(text) >= count:
                return screen
            time.sleep(0.5)
        raise AssertionError(f"{text!r} did not show within {timeout} s:\n{self.screen()}")


# What `make test` passes to the tests' processes, which a person's terminal does not have
# (a make started with MAKELEVEL set prints "Entering directory" lines).
MAKE_VARIABLES = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")


def user_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in MAKE_VARIABLES}


@contextmanager
def terminal_running(command: str, env: Mapping[str, str]) -> Iterator[Terminal]:
    """The command in a new 100x50 tmux session in the project folder; killed on exit."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is missing: run `make prerequisites`")
    terminal = Terminal(f"mesoguide-{uuid.uuid4().hex[:8]}")
    terminal.tmux(
        "new-session",
        "-d",
        "-s",
        terminal.name,
        "-x",
        "100",
        "-y",
        "50",
        command,
        cwd=PROJECT_ROOT,
        env={**user_environment(), **env},
    )
    try:
        yield terminal
    finally:
        subprocess.run(["tmux", "-L", terminal.name, "kill-server"], check=False)
