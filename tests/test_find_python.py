"""bot/tools/find-python.sh: a Python 3.8-3.10 from PATH or pyenv, else a clear error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "bot" / "tools" / "find-python.sh"


def find_python(tmp_path, path: str) -> subprocess.CompletedProcess:
    env = {"PATH": path, "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")}
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True)


@pytest.fixture
def empty_bin(tmp_path):
    """A PATH folder with only what bash needs and no python at all."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("ls", "sort", "cat"):
        os.symlink(f"/usr/bin/{tool}", folder / tool)
    return folder


def test_a_supported_interpreter_under_pyenv_is_found(tmp_path, empty_bin):
    version_bin = tmp_path / "pyenv" / "versions" / "3.10.99" / "bin"
    version_bin.mkdir(parents=True)
    os.symlink(sys.executable, version_bin / "python3.10")
    result = find_python(tmp_path, str(empty_bin))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(version_bin / "python3.10")


def test_python310_on_path_comes_first(tmp_path, empty_bin):
    os.symlink(sys.executable, empty_bin / "python3.10")
    result = find_python(tmp_path, str(empty_bin))
    assert result.stdout.strip() == str(empty_bin / "python3.10")


def test_no_interpreter_gives_a_clear_error(tmp_path, empty_bin):
    result = find_python(tmp_path, str(empty_bin))
    assert result.returncode == 1
    assert "needs Python 3.8, 3.9 or 3.10" in result.stderr
    assert "pyenv install 3.10" in result.stderr
