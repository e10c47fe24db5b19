"""nginx in front of the Rasa processes, for the scale-out benchmark: the site we ship
(deploy/nginx/mesoguide.conf) with only its ports changed, run from a temporary folder (as
root or not), logging which Rasa process answered each request.

Each request the benchmark sends names itself in REQUEST_HEADER; the access log pairs that
name with the upstream addresses nginx tried, in order (more than one after a failure).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT
from bot.tools.launcher import Server

SITE = PROJECT_ROOT / "deploy" / "nginx" / "mesoguide.conf"
REQUEST_HEADER = "X-Bench-Request"
UPSTREAM_SERVER = re.compile(r"^(\s*server 127\.0\.0\.1:)(\d+)", re.M)
LISTEN = re.compile(r"^(\s*listen )\d+;", re.M)
# '|' apart: $upstream_addr itself holds ", " between the servers tried
LOG_FORMAT = "$msec|$http_x_bench_request|$status|$request_time|$upstream_addr"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass(frozen=True)
class Hop:
    """One request as nginx logged it."""

    request: str
    status: int
    # the upstream ports tried, in order: the last one gave the response
    ports: tuple[int, ...]


def render_site(site: str, rasa_ports: Sequence[int], listen_port: int) -> str:
    """The site with its upstream servers on rasa_ports (one per `server` line, in order) and
    listening on loopback at listen_port; every other line as shipped."""
    found = len(UPSTREAM_SERVER.findall(site))
    if found != len(rasa_ports):
        raise ValueError(f"the site has {found} upstream servers; {len(rasa_ports)} ports given")
    ports = iter(rasa_ports)
    rendered = UPSTREAM_SERVER.sub(lambda match: f"{match[1]}{next(ports)}", site)
    rendered, listens = LISTEN.subn(rf"\g<1>127.0.0.1:{listen_port};", rendered)
    if listens != 1:
        raise ValueError(f"the site has {listens} listen lines; expected one")
    return rendered


def main_config(folder: Path, site: Path) -> str:
    """A main nginx.conf whose every path is in folder (pid, logs, temporary files)."""
    temp_paths = "".join(f"    {kind}_temp_path {folder / kind};\n" for kind in TEMP_PATHS)
    return (
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'};\n"
        "events {}\n"
        "http {\n"
        f"{temp_paths}"
        f"    log_format bench '{LOG_FORMAT}';\n"
        f"    access_log {folder / 'access.log'} bench;\n"
        f"    include {site};\n"
        "}\n"
    )


def nginx(folder: Path, rasa_ports: Sequence[int], listen_port: int) -> Server:
    """nginx in the foreground with the shipped site on these ports, its files in folder."""
    program = shutil.which("nginx") or "/usr/sbin/nginx"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # as root, nginx's workers run as another user and use its temp paths
    site = folder / "mesoguide.conf"
    site.write_text(render_site(SITE.read_text(encoding="utf-8"), rasa_ports, listen_port))
    main = folder / "nginx.conf"
    main.write_text(main_config(folder, site), encoding="utf-8")
    command = [program, "-c", str(main), "-p", str(folder), "-e", str(folder / "error.log")]
    return Server(
        "nginx",
        [*command, "-g", "daemon off;"],
        f"http://127.0.0.1:{listen_port}/",
        folder / "nginx.log",
    )


def access_log(folder: Path) -> dict[str, Hop]:
    """The benchmark's requests nginx logged in folder, by their REQUEST_HEADER name."""
    hops = {}
    for line in (folder / "access.log").read_text(encoding="utf-8").splitlines():
        _, request, status, _, upstreams = line.split("|", 4)
        if request == "-":
            continue  # not ours: the start-up check
        ports = tuple(
            int(address.rsplit(":", 1)[1]) for address in re.findall(r"[\d.]+:\d+", upstreams)
        )
        hops[request] = Hop(request, int(status), ports)
    return hops
