"""The baseline for the REST benchmark: the stock assistant of `rasa init --no-prompt`,
generated and trained in a folder of its own, served on loopback with its own files (REST
channel, in-memory tracker store, no action server)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from bot.tools.launcher import BIN, QUIET_ENVIRONMENT, Server


class StockError(RuntimeError):
    """`rasa init` or `rasa train` failed; the message quotes the end of its output."""


def run_logged(command: list[str], cwd: Path, log: Path) -> float:
    """Run a setup command quietly, its output appended to log; seconds taken."""
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as out:
        done = subprocess.run(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=quiet_environment()
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
        raise StockError(f"{' '.join(command)} failed in {cwd}:\n{tail}")
    return time.monotonic() - started


def quiet_environment() -> dict[str, str]:
    return {**os.environ, **QUIET_ENVIRONMENT}


def create(directory: Path, log: Path) -> float:
    """Generate the stock project in `directory` (rasa init trains it too); seconds taken."""
    directory.mkdir(parents=True, exist_ok=True)
    return run_logged(
        [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(directory)], directory, log
    )


def train(directory: Path, log: Path) -> float:
    """Train the stock project again from scratch; seconds taken."""
    return run_logged(
        [str(BIN / "rasa"), "train", "--force", "--fixed-model-name", "stock"], directory, log
    )


def server(directory: Path, port: int, log: Path) -> Server:
    models = directory / "models"
    return Server(
        "stock Rasa server",
        [
            str(BIN / "rasa"),
            "run",
            "--model",
            str(models),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--credentials",
            str(directory / "credentials.yml"),
            "--endpoints",
            str(directory / "endpoints.yml"),
        ],
        f"http://127.0.0.1:{port}/webhooks/rest/",
        log,
    )
