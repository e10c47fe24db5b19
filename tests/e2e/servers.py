"""Start the real action server and Rasa server on loopback for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bot.settings import PROJECT_ROOT
from bot.tools.credentials import write_credentials

MODEL = PROJECT_ROOT / "models" / "mesoguide.tar.gz"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


@dataclass
class RunningAssistant:
    rest_url: str
    tracker_db: Path
    unanswered: Path
    rasa_pid: int = 0

    @property
    def base_url(self) -> str:
        return self.rest_url.split("/webhooks/", 1)[0]

    def ask(self, sender: str, message: str) -> list[dict]:
        response = requests.post(
            self.rest_url, json={"sender": sender, "message": message}, timeout=60
        )
        response.raise_for_status()
        return response.json()


@contextmanager
def running_assistant(workdir: Path, extra_env: dict[str, str] | None = None, model: Path = MODEL):
    """Action server + Rasa server (REST channel), stopped on exit; logs in workdir."""
    if not model.exists():
        raise RuntimeError(f"No trained model at {model}: run `make train` first.")
    actions_port, rasa_port = free_port(), free_port()
    knowledge_db = workdir / "knowledge.db"
    tracker_db = workdir / "tracker.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{knowledge_db}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{tracker_db}",
        "UNANSWERED_LOG": str(workdir / "unanswered.jsonl"),
        "RASA_TELEMETRY_ENABLED": "false",
        **(extra_env or {}),
    }
    subprocess.run(
        [sys.executable, "-m", "bot.tools.knowledge", "load"], env=env, cwd=PROJECT_ROOT, check=True
    )
    credentials = workdir / "credentials.yml"
    write_credentials(credentials, env)

    processes: list[subprocess.Popen] = []
    try:
        actions_log = workdir / "actions.log"
        rasa_log = workdir / "rasa.log"
        actions = subprocess.Popen(
            [BIN / "rasa", "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=actions_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(actions)
        rasa = subprocess.Popen(
            [
                BIN / "rasa",
                "run",
                "--model",
                str(model),
                "--port",
                str(rasa_port),
                "--interface",
                "127.0.0.1",
                "--cors",
                "*",
                "--credentials",
                str(credentials),
                "--endpoints",
                "endpoints.yml",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=rasa_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(rasa)
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa, rasa_log)
        yield RunningAssistant(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            tracker_db,
            workdir / "unanswered.jsonl",
            rasa.pid,
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
