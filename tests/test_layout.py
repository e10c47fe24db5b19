"""The layout's rules, read from the imports: a Rasa-free core, thin adapters, tools apart.

- `bot/` core (everything but `bot/adapters/` and `bot/tools/`): what the servers run; no Rasa.
- `bot/adapters/`: our Rasa NLU components and channel connectors; the only Rasa in `bot/`.
- `bot/tools/`: build, load, check, evaluate, bench; run from make, never imported by the
  servers' code.
- `actions/`: Rasa's action package, thin, over the core.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

RASA = ("rasa", "rasa_sdk")


def _parts(path: Path) -> tuple[str, ...]:
    return path.relative_to(PROJECT_ROOT).parts


def python_files(*top: str) -> list[Path]:
    return sorted(path for name in top for path in (PROJECT_ROOT / name).rglob("*.py"))


def room(path: Path) -> str:
    parts = _parts(path)
    if parts[0] == "bot" and len(parts) > 2 and parts[1] in ("adapters", "tools"):
        return parts[1]
    return {"bot": "core", "actions": "actions"}.get(parts[0], parts[0])


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (imports inside functions count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def is_under(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def forbidden_imports(rooms: tuple[str, ...], *packages: str) -> list[str]:
    found = []
    for path in python_files("bot", "actions"):
        if room(path) not in rooms:
            continue
        for module in sorted(imported_modules(path)):
            if is_under(module, *packages):
                found.append(f"{path.relative_to(PROJECT_ROOT)} imports {module}")
    return found


def test_our_only_top_level_packages_are_bot_actions_and_tests():
    packages = {
        path.name
        for path in PROJECT_ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and any(path.glob("*.py"))
    }
    modules = {path.stem for path in PROJECT_ROOT.glob("*.py")}
    assert packages == {"bot", "actions", "tests"}
    assert modules == set()


@pytest.mark.parametrize(
    ("rooms", "packages"),
    [
        (("core",), (*RASA, "bot.adapters", "bot.tools", "actions", "tests")),
        (("adapters",), ("bot.tools", "actions", "tests")),
        (("actions",), ("bot.adapters", "bot.tools", "tests")),
        (("tools",), ("actions", "tests")),
    ],
    ids=["core", "adapters", "actions", "tools"],
)
def test_each_part_imports_only_what_its_room_allows(rooms, packages):
    assert forbidden_imports(rooms, *packages) == []


def test_the_rules_see_a_broken_one(tmp_path, monkeypatch):
    """The checker itself: a core module importing Rasa is found, wherever the import sits."""
    fake_root = tmp_path
    (fake_root / "bot").mkdir()
    (fake_root / "bot" / "leaky.py").write_text(
        "def later():\n    from rasa.shared.core.domain import Domain\n    return Domain\n"
    )
    monkeypatch.setattr(f"{__name__}.PROJECT_ROOT", fake_root)
    assert forbidden_imports(("core",), *RASA) == [
        "bot/leaky.py imports rasa.shared.core.domain",
        "bot/leaky.py imports rasa.shared.core.domain.Domain",
    ]
