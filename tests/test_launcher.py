"""bot/tools/launcher.py with small stand-in servers: it waits for each one's health URL, says
why when one does not come up (quoting its log), and leaves nothing running behind it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.tools.launcher import LaunchError, Server, Servers, free_port


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie no one has reaped yet is gone for our purposes
    status = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    return status != "Z"


def gone_soon(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def web_server(tmp_path: Path, grandchild_pid: Path | None = None) -> Server:
    """A static web server; with grandchild_pid, it first starts a child of its own."""
    port = free_port()
    serve = f"exec {sys.executable} -m http.server {port} --bind 127.0.0.1"
    if grandchild_pid:
        serve = f"sleep 300 & echo $! > {grandchild_pid}; {serve}"
    return Server(
        "test server", ["bash", "-c", serve], f"http://127.0.0.1:{port}/", tmp_path / "log"
    )


def test_a_server_runs_inside_the_block_and_its_whole_group_is_gone_after(tmp_path):
    grandchild = tmp_path / "grandchild.pid"
    with Servers(os.environ) as servers:
        [process] = servers.start(web_server(tmp_path, grandchild), timeout=30)
        assert alive(process.pid)
        sleeper = int(grandchild.read_text())
        assert alive(sleeper)
    assert gone_soon(process.pid) and gone_soon(sleeper)


def test_an_error_inside_the_block_stops_the_servers(tmp_path):
    with pytest.raises(RuntimeError, match="boom"), Servers(os.environ) as servers:
        [process] = servers.start(web_server(tmp_path), timeout=30)
        raise RuntimeError("boom")
    assert gone_soon(process.pid)


def test_a_server_that_exits_early_is_reported_with_the_end_of_its_log(tmp_path):
    crashing = Server(
        "crashing server",
        ["bash", "-c", "echo loading; echo 'address already in use' >&2; exit 3"],
        "http://127.0.0.1:9/",
        tmp_path / "crash.log",
    )
    with pytest.raises(LaunchError) as error, Servers(os.environ) as servers:
        servers.start(crashing, timeout=30)
    message = str(error.value)
    assert "crashing server exited (status 3)" in message
    assert str(tmp_path / "crash.log") in message
    assert "loading\naddress already in use" in message


def test_a_server_that_never_answers_times_out_quoting_its_log(tmp_path):
    silent = Server(
        "silent server",
        ["bash", "-c", "echo still thinking; exec sleep 300"],
        f"http://127.0.0.1:{free_port()}/health",
        tmp_path / "silent.log",
    )
    with pytest.raises(LaunchError) as error, Servers(os.environ) as servers:
        [process] = servers.start(silent, timeout=1)
    assert "did not answer" in str(error.value) and "/health within 1 s" in str(error.value)
    assert "still thinking" in str(error.value)
    assert not any(alive(p.pid) for p in servers.running)


# A launcher in a process of its own: it starts the server, prints its pid and waits.
LAUNCHER_SCRIPT = """
import os, sys, time
from pathlib import Path
from bot.tools.launcher import Server, Servers, _stop_on_hangup_and_term
_stop_on_hangup_and_term()
server = Server("test server", sys.argv[1:4], sys.argv[4], Path(sys.argv[5]))
with Servers(os.environ) as servers:
    [process] = servers.start(server, timeout=30)
    print(process.pid, flush=True)
    time.sleep(300)
"""


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_no_server_outlives_the_launcher_however_it_ends(tmp_path, signum):
    server = web_server(tmp_path)
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER_SCRIPT, *server.command, server.health_url, server.log],
        stdout=subprocess.PIPE,
        text=True,
    )
    server_pid = int(launcher.stdout.readline())
    assert alive(server_pid)
    launcher.send_signal(signum)
    launcher.wait(timeout=30)
    assert gone_soon(server_pid)
