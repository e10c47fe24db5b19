"""bot/settings.py is where every environment variable is read, and .env.example lists them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, SettingsError
from bot.tools.credentials import CHANNELS

EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
EXPANDED = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def test_env_example_lists_exactly_the_variables_the_settings_read():
    listed = EXAMPLE_LINE.findall((PROJECT_ROOT / ".env.example").read_text(encoding="utf-8"))
    assert len(listed) == len(set(listed)), "a variable is listed twice"
    assert set(listed) == set(Settings.variable_names())


def test_every_variable_rasa_expands_for_us_is_a_setting():
    expanded = set(EXPANDED.findall((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8")))
    for required, optional in CHANNELS.values():
        expanded |= {*required.values(), *optional.values()}
    assert expanded <= set(Settings.variable_names())


def reads_the_environment(tree: ast.AST) -> bool:
    """os.getenv, or os.environ used but to pass the whole environment on ({**os.environ})."""
    passed_on = {
        id(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values, strict=True)
        if key is None
    }
    return any(
        isinstance(node, ast.Attribute)
        and (node.attr == "getenv" or (node.attr == "environ" and id(node) not in passed_on))
        for node in ast.walk(tree)
    )


def environment_readers(root: Path) -> list[str]:
    found = []
    for path in sorted([*root.glob("bot/**/*.py"), *root.glob("actions/**/*.py")]):
        if reads_the_environment(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(str(path.relative_to(root)))
    return found


def test_nothing_but_the_settings_module_reads_a_variable():
    assert environment_readers(PROJECT_ROOT) == ["bot/settings.py"]


def test_the_check_sees_a_variable_read_elsewhere(tmp_path):
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "sneaky.py").write_text("import os\nPORT = os.environ.get('PORT')\n")
    (tmp_path / "bot" / "also.py").write_text("import os\nPORT = os.getenv('PORT')\n")
    (tmp_path / "bot" / "fine.py").write_text("import os\nCHILD = {**os.environ, 'A': '1'}\n")
    assert environment_readers(tmp_path) == ["bot/also.py", "bot/sneaky.py"]


def test_defaults_types_and_the_urls_derived_from_the_ports():
    defaults = Settings.from_environment({})
    assert (defaults.actions_port, defaults.rasa_port, defaults.web_port) == (5055, 5005, 8000)
    assert defaults.action_endpoint_url == "http://127.0.0.1:5055/webhook"
    assert defaults.rasa_public_url == "http://localhost:5005"
    assert defaults.database_url.endswith("/var/mesoguide.db")

    settings = Settings.from_environment(
        {"ACTIONS_PORT": "6000", "RASA_PORT": " 6001 ", "DATABASE_URL": "sqlite:////tmp/m.db"}
    )
    assert (settings.actions_port, settings.rasa_port) == (6000, 6001)
    assert settings.action_endpoint_url == "http://127.0.0.1:6000/webhook"
    assert settings.rasa_public_url == "http://localhost:6001"
    assert settings.database_url == "sqlite:////tmp/m.db"


def test_an_empty_value_counts_as_unset():
    assert Settings.from_environment({"DATABASE_URL": "", "TELEGRAM_API_BASE": ""}) == (
        Settings.from_environment({})
    )


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_a_bad_port_is_refused_naming_the_variable(value):
    with pytest.raises(SettingsError, match=f"RASA_PORT: .*{value!r}"):
        Settings.from_environment({"RASA_PORT": value})


def test_the_servers_get_every_setting_and_rasa_calls_the_action_server_started_here():
    settings = Settings.from_environment(
        {"ACTIONS_PORT": "6000", "ACTION_ENDPOINT_URL": "http://elsewhere:1/webhook"}
    )
    assert settings.action_endpoint_url == "http://elsewhere:1/webhook"
    environment = settings.with_local_action_server().as_environment()
    assert environment["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:6000/webhook"
    assert environment["TRACKER_STORE_URL"] == f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
    assert "REDIS_URL" not in environment  # unset: one Rasa process, locks in memory
    assert "TELEGRAM_ACCESS_TOKEN" not in environment  # unset stays unset
