"""The pinned stack: versions Rasa 3.6 is known to work with."""

from __future__ import annotations

import re
import sys
from importlib.metadata import version

from bot.settings import PROJECT_ROOT


def major_minor(package: str) -> tuple[int, int]:
    major, minor = version(package).split(".")[:2]
    return int(major), int(minor)


def test_python_is_one_rasa_supports():
    assert (3, 8) <= sys.version_info[:2] <= (3, 10)


def test_installed_versions_match_the_stack():
    assert version("rasa") == "3.6.21"
    assert major_minor("rasa-sdk") == (3, 6)
    assert major_minor("SQLAlchemy") == (1, 4)
    assert major_minor("spacy") == (3, 4)


def test_python_socketio_stays_below_5_10():
    # 5.10 made enter_room async; Rasa 3.6 does not await it, and the web widget with
    # session persistence then never receives a reply.
    assert major_minor("python-socketio") < (5, 10)


def test_every_installed_package_is_pinned_exactly():
    lines = (PROJECT_ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line and not line.startswith("#")]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", pin) for pin in pins)
    pinned = {pin.split("==")[0].lower().replace("_", "-"): pin.split("==")[1] for pin in pins}
    for package in ("rasa", "rasa-sdk", "sqlalchemy", "spacy", "python-socketio", "pytest"):
        assert pinned[package] == version(package), package
