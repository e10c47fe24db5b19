"""Real PostgreSQL and Redis servers on loopback, each in a temporary folder and stopped
afterwards: for the tests (fixtures in tests/conftest.py) and the scale-out benchmark
(bot/tools/bench/scale_out.py). `make prerequisites` installs the programs (postgresql,
redis-server)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from bot.tools.launcher import free_port

START_TIMEOUT = 30  # seconds


class ServiceError(RuntimeError):
    """A server's program is missing or the server did not start; the message says which."""


@dataclass(frozen=True)
class PostgresCluster:
    url: str
    data: Path

    def postmaster_pid(self) -> int:
        """The server's main process (its first line of postmaster.pid)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])


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


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A fresh PostgreSQL cluster on a free loopback port (trust login)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise ServiceError("PostgreSQL's initdb is missing: run `make prerequisites`")
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
        yield PostgresCluster(f"postgresql://mesoguide@127.0.0.1:{port}/postgres", data)
    finally:
        subprocess.run(as_server_user([*pg_ctl, "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL cluster on a free loopback port; yields its URL (trust login)."""
    with postgres_cluster() as cluster:
        yield cluster.url


@contextmanager
def redis_server() -> Iterator[str]:
    """redis-server in a temporary folder on a free loopback port, nothing saved to disk;
    yields its URL (database 1), stopped afterwards."""
    program = shutil.which("redis-server")
    if program is None:
        raise ServiceError("redis-server is missing: run `make prerequisites`")
    folder = Path(tempfile.mkdtemp(prefix="mesoguide-redis-"))
    port = free_port()
    command = [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir"]
    command += [str(folder), "--appendonly", "no", "--daemonize", "no"]
    with (folder / "log").open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_redis(process, port, folder / "log")
        yield f"redis://127.0.0.1:{port}/1"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for_redis(process: subprocess.Popen, port: int, log: Path) -> None:
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log_text = log.read_text(errors="replace")
                    raise ServiceError(f"redis-server did not start:\n{log_text}") from None
                time.sleep(0.1)
    finally:
        client.close()
