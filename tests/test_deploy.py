"""deploy/: what runs MesoGuide beyond `make serve` (systemd units, nginx, a Procfile, Rasa's
Helm chart values) names MesoGuide's own commands, variables, stores and channels, and keeps
the action server on loopback. Helm and Docker are not on this machine: these checks are what
can be checked without them (deploy/README.md)."""

from __future__ import annotations

import getpass
import re
import shlex
import shutil
import subprocess
from dataclasses import fields

import pytest
import yaml

from bot.adapters.connectors.rest import FORWARDING_HEADERS
from bot.settings import PROJECT_ROOT, Settings
from bot.tools.credentials import CHANNELS, SECRETS, channel_credentials
from bot.tools.launcher import LOCK_LIFETIME_SECONDS

DEPLOY = PROJECT_ROOT / "deploy"
UNITS = DEPLOY / "systemd"
VALUES = yaml.safe_load((DEPLOY / "helm" / "values.yml").read_text(encoding="utf-8"))
OUR_VARIABLES = {field.name.upper() for field in fields(Settings)}
# read by Rasa, rasa-sdk or TensorFlow, not by us
THEIR_VARIABLES = {
    "SANIC_HOST",
    "RASA_TELEMETRY_ENABLED",
    "TF_CPP_MIN_LOG_LEVEL",
    "SQLALCHEMY_SILENCE_UBER_WARNING",
    "TICKET_LOCK_LIFETIME",
    "OPENBLAS_NUM_THREADS",
}
INSTALLED_AT = "/opt/mesoguide"


def unit(name: str) -> dict[str, list[str]]:
    """A unit file's settings, by key (a key may be given several times)."""
    settings: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def environment_of(settings: dict[str, list[str]]) -> dict[str, str]:
    pairs = [pair for value in settings.get("Environment", []) for pair in shlex.split(value)]
    return dict(pair.split("=", 1) for pair in pairs)


def option(arguments: list[str], name: str) -> str:
    return arguments[arguments.index(name) + 1]


def test_the_units_are_valid_systemd_units(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    # the units as installed in this checkout, run as this user
    for path in UNITS.iterdir():
        text = path.read_text(encoding="utf-8").replace(INSTALLED_AT, str(PROJECT_ROOT))
        name = path.name.replace("@.", "@5005.")
        (tmp_path / name).write_text(
            text.replace("User=mesoguide", f"User={getpass.getuser()}"), encoding="utf-8"
        )
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_units_run_the_action_server_on_loopback_and_rasa_with_our_files():
    actions = unit("mesoguide-actions.service")
    rasa = unit("mesoguide-rasa@.service")
    actions_command = shlex.split(actions["ExecStart"][0])
    rasa_command = shlex.split(rasa["ExecStart"][0])
    assert actions_command[0] == f"{INSTALLED_AT}/.venv/bin/rasa"
    assert actions_command[1:4] == ["run", "actions", "--actions"]
    assert environment_of(actions)["SANIC_HOST"] == "127.0.0.1"
    port = option(actions_command, "--port")
    assert environment_of(rasa)["ACTION_ENDPOINT_URL"] == f"http://127.0.0.1:{port}/webhook"
    assert option(rasa_command, "--endpoints") == "endpoints.yml"
    assert option(rasa_command, "--credentials") == "build/credentials.yml"
    assert option(rasa_command, "--model") == "models/mesoguide.tar.gz"
    # behind nginx on the same host: Rasa itself answers loopback only
    assert option(rasa_command, "--interface") == "127.0.0.1"
    assert option(rasa_command, "--port") == "%i"
    for settings in (actions, rasa, unit("mesoguide-purge.service")):
        assert settings["EnvironmentFile"] == [f"{INSTALLED_AT}/.env"]
        assert set(environment_of(settings)) <= OUR_VARIABLES | THEIR_VARIABLES


def test_nginx_spreads_over_the_rasa_units_and_says_the_request_was_forwarded(tmp_path):
    conf = (DEPLOY / "nginx" / "mesoguide.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream mesoguide_rasa \{(.*?)\}", conf, re.S).group(1)
    assert "ip_hash;" in upstream
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", upstream) == ["5005", "5006"]
    assert "5055" not in conf  # the action server is never exposed
    forwarded = re.findall(r"proxy_set_header ([\w-]+)", conf)
    assert {header.lower() for header in forwarded} & {h.lower() for h in FORWARDING_HEADERS}
    if not shutil.which("nginx"):
        pytest.fail("nginx is missing: run `make prerequisites`")
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ include {DEPLOY / 'nginx' / 'mesoguide.conf'}; }}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        ["nginx", "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_a_dead_process_conversation_locks_expire_before_the_proxy_gives_up():
    """A message waiting for the lock a killed Rasa process left must be answered, not timed
    out by nginx (make bench-scale's kill test)."""
    lifetimes = {
        environment_of(unit("mesoguide-rasa@.service"))["TICKET_LOCK_LIFETIME"],
        next(e["value"] for e in VALUES["extraEnv"] if e["name"] == "TICKET_LOCK_LIFETIME"),
        LOCK_LIFETIME_SECONDS,
    }
    assert len(lifetimes) == 1
    conf = (DEPLOY / "nginx" / "mesoguide.conf").read_text(encoding="utf-8")
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", conf)
    assert read_timeout is not None
    assert int(lifetimes.pop()) + 10 < int(read_timeout.group(1))


def test_the_procfile_runs_what_the_units_run():
    processes = dict(
        line.split(": ", 1)
        for line in (DEPLOY / "Procfile").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert set(processes) == {"actions", "rasa"}
    assert "SANIC_HOST=127.0.0.1" in processes["actions"]
    assert "--port 5055" in processes["actions"]
    assert "ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook" in processes["rasa"]
    assert "--endpoints endpoints.yml" in processes["rasa"]


def test_the_helm_values_use_our_stores_our_channels_and_our_variables():
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    settings = VALUES["applicationSettings"]
    extra = settings["endpoints"]["additionalEndpoints"]
    assert extra["tracker_store"] == endpoints["tracker_store"]
    assert extra["lock_store"] == endpoints["lock_store"]
    assert not settings["endpoints"]["trackerStore"]["enabled"]
    # every channel, as make credentials writes it with every variable set
    every_variable = {
        variable
        for required, optional in CHANNELS.values()
        for variable in (*required.values(), *optional.values())
        if not variable.endswith("_API_BASE")  # only for tests
    } | {variable for secrets in SECRETS.values() for variable in secrets.values()}
    expected, _ = channel_credentials({variable: "set" for variable in every_variable})
    assert settings["credentials"]["additionalChannelCredentials"] == expected
    named = {entry["name"] for entry in VALUES["extraEnv"]}
    in_credentials = set(re.findall(r"\$\{(\w+)\}", yaml.safe_dump(expected)))
    assert in_credentials <= named
    assert {"DATABASE_URL", "TRACKER_STORE_URL", "REDIS_URL", "SENDER_ID_KEY"} <= named
    assert named <= OUR_VARIABLES | THEIR_VARIABLES


def test_the_helm_action_server_is_a_loopback_sidecar():
    (sidecar,) = VALUES["extraContainers"]
    environment = {entry["name"]: entry.get("value") for entry in sidecar["env"]}
    assert environment["SANIC_HOST"] == "127.0.0.1"
    port = option(sidecar["command"], "--port")
    action_url = VALUES["applicationSettings"]["endpoints"]["action"]["endpointURL"]
    assert action_url == f"http://127.0.0.1:{port}/webhook"
    assert not VALUES["rasa-action-server"]["install"]
    (loader,) = VALUES["initContainers"]
    assert loader["command"][-3:] == ["-m", "bot.tools.knowledge", "load"]


def test_the_image_builds_with_make_and_serves_our_model():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "RUN make build train" in dockerfile
    assert '"models/mesoguide.tar.gz"' in dockerfile
    image = VALUES["image"]
    assert f"{image['repository']}:{image['tag']}" == VALUES["extraContainers"][0]["image"]
    assert VALUES["initContainers"][0]["image"] == VALUES["extraContainers"][0]["image"]
