"""Start, wait for and stop MesoGuide's servers: the action server, Rasa (its shell or its
server) and, for the website widget, the demo page's static server.

    python -m bot.tools.launcher chat          the action server, then `rasa shell` here
    python -m bot.tools.launcher serve [--web] the action server and the Rasa server
                                               (and the demo page), until Ctrl-C

`make chat`, `make serve`, `make web`, the end-to-end tests and the benchmarks all start the
servers through this module. Ports, URLs and storage come from bot.settings; Rasa always calls
the action server started here. Each server writes to its own log (var/ for make), and runs in
a process group of its own, stopped group and all when the command ends: normally, on an error,
on Ctrl-C, when the terminal closes, or (Linux) when this process is killed.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import requests

from bot.settings import PROJECT_ROOT, Settings
from bot.tools.credentials import write_credentials

MODEL = PROJECT_ROOT / "models" / "mesoguide.tar.gz"
LOG_DIR = PROJECT_ROOT / "var"
CREDENTIALS = PROJECT_ROOT / "build" / "credentials.yml"
BIN = Path(sys.executable).parent
START_TIMEOUT = 240  # seconds; Rasa loads its model in about 30 on a busy 2-core machine
STOP_TIMEOUT = 20
# Set for every server unless the caller set them: Rasa's dependencies print pages of
# deprecation warnings and telemetry notices at start-up that are not ours.
QUIET_ENVIRONMENT = {
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}
# How long a Rasa process may hold a conversation's lock (Rasa's default is 60 s). A process
# killed mid-message leaves its lock in Redis until then, and the conversation's next message,
# on another process, waits for it: 20 s is far above a reply's time under load (p95 under
# 2 s at 50 users, make bench-scale) and well below the proxy's 60 s (deploy/nginx/).
LOCK_LIFETIME_SECONDS = "20"
# numpy's OpenBLAS on one thread per process: with more, its idle threads spin after every
# product, and a Rasa process burned two cores' worth of CPU for one core's work (make
# bench-scale: 35 -> 18 ms of CPU per message; a second process then adds 44 %, not 14 %).
# A sentence the encoder has not seen takes longer alone: about 11 ms instead of 8.5.
SERVER_DEFAULTS = {
    **QUIET_ENVIRONMENT,
    "TICKET_LOCK_LIFETIME": LOCK_LIFETIME_SECONDS,
    "OPENBLAS_NUM_THREADS": "1",
}
PR_SET_PDEATHSIG = 1


class LaunchError(RuntimeError):
    """A server did not come up; the message quotes the end of its log."""


@dataclass(frozen=True)
class Server:
    name: str
    command: list[str]
    health_url: str
    log: Path
    # variables for this server only, over the shared environment
    env: Mapping[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log: Path, lines: int = 25) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.rstrip().splitlines()[-lines:])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_until_up(server: Server, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LaunchError(
                f"The {server.name} exited (status {process.returncode}) before it answered "
                f"{server.health_url}; the end of {server.log}:\n{log_tail(server.log)}"
            )
        if answers(server.health_url):
            return
        time.sleep(0.3)
    raise LaunchError(
        f"The {server.name} did not answer {server.health_url} within {timeout:.0f} s; "
        f"the end of {server.log}:\n{log_tail(server.log)}"
    )


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the launcher dies, even by SIGKILL (Linux)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop_on_hangup_and_term() -> None:
    """A closed terminal or a kill ends this process through the same clean-up as Ctrl-C."""

    def stop(signum: int, _: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)


class Servers:
    """Servers started in the background, each in its own process group; all stopped on exit."""

    def __init__(self, env: Mapping[str, str]):
        self.env = dict(env)
        self.running: list[subprocess.Popen] = []

    def __enter__(self) -> Servers:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self, *servers: Server, timeout: float = START_TIMEOUT) -> list[subprocess.Popen]:
        """Start the servers together, then wait until each answers its health URL."""
        started = []
        for server in servers:
            server.log.parent.mkdir(parents=True, exist_ok=True)
            with server.log.open("w", encoding="utf-8") as log:
                process = subprocess.Popen(
                    server.command,
                    cwd=PROJECT_ROOT,
                    env={**self.env, **server.env},
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
            self.running.append(process)
            started.append(process)
        for server, process in zip(servers, started, strict=True):
            wait_until_up(server, process, timeout)
        return started

    def run_in_terminal(self, command: Sequence[str], log: Path) -> int:
        """Run a command in this terminal (its input and output; errors to the log) and
        return its exit status. Ctrl-C reaches it as well as us: it ends, then we do."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w", encoding="utf-8") as errors:
            process = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=self.env, stderr=errors, preexec_fn=_die_with_parent
            )
        try:
            while True:
                try:
                    return process.wait()
                except KeyboardInterrupt:
                    continue
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait()

    def stop(self) -> None:
        for process in reversed(self.running):
            _signal_group(process, signal.SIGTERM)
        for process in reversed(self.running):
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            _signal_group(process, signal.SIGKILL)  # anything it started and left behind
        self.running.clear()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def server_environment(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the servers: ours, quietened, with every setting spelled out."""
    inherited = {**os.environ} if base is None else dict(base)
    return {**SERVER_DEFAULTS, **inherited, **settings.as_environment()}


def action_server(settings: Settings, log_dir: Path) -> Server:
    port = str(settings.actions_port)
    return Server(
        "action server",
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", port],
        f"http://127.0.0.1:{port}/health",
        log_dir / "actions.log",
        # rasa-sdk binds to SANIC_HOST (all interfaces when unset); only Rasa calls it.
        env={"SANIC_HOST": settings.actions_host},
    )


def rasa_server(
    settings: Settings,
    log_dir: Path,
    credentials: Path,
    model: Path = MODEL,
    interface: str | None = None,
    cors: bool = False,
    profile_to: Path | None = None,
) -> Server:
    # profile_to: run Rasa under cProfile, its statistics written there when it stops
    profiler = [sys.executable, "-m", "cProfile", "-o", str(profile_to)] if profile_to else []
    command = [*profiler, str(BIN / "rasa"), "run", "--model", str(model)]
    command += ["--port", str(settings.rasa_port)]
    command += ["--credentials", str(credentials), "--endpoints", "endpoints.yml"]
    command += ["--interface", interface] if interface else []
    command += ["--cors", "*"] if cors else []
    # up when Rasa's root answers: it loads the model before it takes requests, and the REST
    # channel's own address asks for REST_TOKEN when one is set
    return Server(
        "Rasa server", command, f"http://127.0.0.1:{settings.rasa_port}/", log_dir / "rasa.log"
    )


def web_page(settings: Settings, log_dir: Path) -> Server:
    return Server(
        "demo page's web server",
        [sys.executable, "-m", "bot.tools.serve_web", "--port", str(settings.web_port), "--quiet"],
        f"http://127.0.0.1:{settings.web_port}/",
        log_dir / "web.log",
    )


def rasa_shell(settings: Settings, model: Path = MODEL) -> list[str]:
    return [
        str(BIN / "rasa"),
        "shell",
        "--model",
        str(model),
        "--endpoints",
        "endpoints.yml",
        "--port",
        str(settings.rasa_port),
    ]


def load_knowledge(env: Mapping[str, str]) -> None:
    """Fill the knowledge-base database (DATABASE_URL in env, over ours) from the curated files."""
    loaded = subprocess.run(
        [sys.executable, "-m", "bot.tools.knowledge", "load"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if loaded.returncode != 0:
        raise LaunchError(f"Loading the knowledge base failed:\n{loaded.stdout}{loaded.stderr}")


# --- the assistant on loopback, for the end-to-end tests and the benchmarks ---------------


@dataclass
class RunningAssistant:
    rest_url: str
    tracker_db: Path
    # DATABASE_URL: the knowledge base, the votes and the unanswered questions (bot/records.py)
    database_url: str
    rasa_pid: int = 0
    actions_port: int = 0
    actions_pid: int = 0

    @property
    def base_url(self) -> str:
        return self.rest_url.split("/webhooks/", 1)[0]

    def ask(self, sender: str, message: str) -> list[dict]:
        response = requests.post(
            self.rest_url, json={"sender": sender, "message": message}, timeout=60
        )
        response.raise_for_status()
        return response.json()


def prepared(workdir: Path, env: Mapping[str, str]) -> tuple[dict[str, str], Settings, Path]:
    """For servers started with env: their full environment and settings (Rasa calling the
    local action server), the knowledge base loaded, and their credentials in workdir."""
    settings = Settings.from_environment(env).with_local_action_server()
    full_env = server_environment(settings, env)
    load_knowledge(full_env)
    credentials = workdir / "credentials.yml"
    write_credentials(credentials, full_env)
    return full_env, settings, credentials


@contextmanager
def running_assistant(
    workdir: Path,
    extra_env: Mapping[str, str] | None = None,
    model: Path = MODEL,
    profile_to: Path | None = None,
) -> Iterator[RunningAssistant]:
    """The action server and the Rasa server (REST and every channel whose variables are
    in extra_env) on free loopback ports, with their databases, credentials and logs in
    workdir; stopped on exit."""
    if not model.exists():
        raise LaunchError(f"No trained model at {model}: run `make train` first.")
    tracker_db = workdir / "tracker.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'knowledge.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tracker_db}",
        "ACTIONS_PORT": str(free_port()),
        "RASA_PORT": str(free_port()),
        **(extra_env or {}),
    }
    env, settings, credentials = prepared(workdir, env)
    with Servers(env) as servers:
        actions, rasa = servers.start(
            action_server(settings, workdir),
            rasa_server(
                settings,
                workdir,
                credentials,
                model,
                interface="127.0.0.1",
                cors=True,
                profile_to=profile_to,
            ),
        )
        rest_url = f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook"
        yield RunningAssistant(
            rest_url,
            tracker_db,
            settings.database_url,
            rasa.pid,
            settings.actions_port,
            actions.pid,
        )


# --- make chat, make serve, make web -------------------------------------------------------


def _timed(label: str, servers: Servers, *started: Server) -> None:
    print(f"{label}... ", end="", flush=True)
    began = time.monotonic()
    servers.start(*started)
    print(f"{time.monotonic() - began:.0f} s", flush=True)


def chat(settings: Settings, model: Path) -> int:
    with Servers(server_environment(settings)) as servers:
        _timed("Starting the action server", servers, action_server(settings, LOG_DIR))
        print(f"Opening the chat (type /stop to leave; its log: {LOG_DIR / 'chat.log'})")
        status = servers.run_in_terminal(rasa_shell(settings, model), LOG_DIR / "chat.log")
    if status != 0:
        print(
            f"The chat ended with an error; the end of its log:\n{log_tail(LOG_DIR / 'chat.log')}"
        )
    return status


def serve(settings: Settings, model: Path, web: bool) -> int:
    for line in write_credentials(CREDENTIALS, server_environment(settings)):
        print(f"channels: {line}")
    with Servers(server_environment(settings)) as servers:
        _timed("Starting the action server", servers, action_server(settings, LOG_DIR))
        _timed(
            "Starting the Rasa server",
            servers,
            rasa_server(settings, LOG_DIR, CREDENTIALS, model, cors=web),
        )
        if web:
            _timed("Starting the demo page", servers, web_page(settings, LOG_DIR))
            print(f"Open http://localhost:{settings.web_port}")
        print(
            f"Rasa: http://localhost:{settings.rasa_port} (logs in {LOG_DIR}). Ctrl-C stops it all."
        )
        while True:
            for process in servers.running:
                if process.poll() is not None:
                    print(f"A server stopped (status {process.returncode}); see {LOG_DIR}/*.log")
                    return 1
            time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["chat", "serve"])
    parser.add_argument("--web", action="store_true", help="serve: the demo page as well")
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    _stop_on_hangup_and_term()
    settings = Settings.from_environment().with_local_action_server()
    try:
        if args.command == "chat":
            return chat(settings, args.model)
        return serve(settings, args.model, args.web)
    except LaunchError as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
