"""The Makefile's helpers: `make help` lists every target, a setup step prints one line and
keeps its output in var/setup.log, and the test prerequisites are installed as root or asked
for with the exact command otherwise (a fake PATH stands in for the machine)."""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
from pathlib import Path

from bot.settings import PROJECT_ROOT

STEP = PROJECT_ROOT / "bot" / "tools" / "step.sh"
PREREQUISITES = PROJECT_ROOT / "bot" / "tools" / "prerequisites.sh"


def phony_targets(makefile: Path) -> set[str]:
    text = makefile.read_text(encoding="utf-8").replace("\\\n", " ")
    return {
        name for line in re.findall(r"^\.PHONY:(.*)$", text, re.MULTILINE) for name in line.split()
    }


def test_make_help_lists_every_target_with_one_line():
    shown = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = re.findall(r"^  make (\S+) +\S", shown, re.MULTILINE)
    assert len(listed) == len(set(listed))
    assert set(listed) == phony_targets(PROJECT_ROOT / "Makefile") | phony_targets(
        PROJECT_ROOT / "web.mk"
    )


def run_step(cwd: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(STEP), *command], cwd=cwd, capture_output=True, text=True)


def test_a_step_prints_one_line_and_keeps_the_commands_output_in_the_log(tmp_path):
    done = run_step(tmp_path, "Building it", "bash", "-c", "echo noisy; echo 'a warning' >&2")
    assert done.returncode == 0
    assert re.fullmatch(r"Building it\.\.\. \d+ s\n", done.stdout)
    assert done.stderr == ""
    log = (tmp_path / "var" / "setup.log").read_text()
    assert "noisy" in log and "a warning" in log


def test_a_failed_step_says_so_with_the_end_of_its_output_and_where_the_log_is(tmp_path):
    run_step(tmp_path, "First", "echo", "an earlier step")
    failed = run_step(tmp_path, "Training", "bash", "-c", "echo 'bad data in x.yml' >&2; exit 4")
    assert failed.returncode == 4
    assert re.fullmatch(r"Training\.\.\. failed after \d+ s\n", failed.stdout)
    assert "var/setup.log" in failed.stderr and "bad data in x.yml" in failed.stderr
    assert "an earlier step" not in failed.stderr  # only this step's output


def fake_machine(tmp_path: Path, uid: int) -> Path:
    """A PATH with bash and a few tools, `id -u` answering uid, an apt-get that records its
    arguments and 'installs' by creating the programs, and no chromium or tmux."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "mkdir", "date", "wc", "tail", "sed", "sleep", "cat"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    scripts = {
        "id": f"#!/bin/bash\necho {uid}\n",
        "apt-get": (
            f'#!/bin/bash\necho "$*" >> {tmp_path}/apt-get.calls\n'
            f'for p in chromium tmux; do [[ " $* " == *" $p "* ]] && '
            f'printf "#!/bin/bash\\n" > {bin_dir}/$p && /bin/chmod +x {bin_dir}/$p; done; true\n'
        ),
    }
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return bin_dir


def check_prerequisites(bin_dir: Path, *programs: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", str(PREREQUISITES), *(programs or ("chromium", "tmux", "initdb"))],
        env={"PATH": str(bin_dir), "HOME": str(bin_dir)},
        capture_output=True,
        text=True,
    )


def expected_packages() -> str:
    # This machine's PostgreSQL may sit where Debian puts it, off PATH: then it is found.
    postgres_found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    return "chromium tmux" + ("" if postgres_found else " postgresql")


def test_not_root_stops_at_once_with_the_exact_command(tmp_path):
    checked = check_prerequisites(fake_machine(tmp_path, uid=1000))
    assert checked.returncode == 1
    assert f"  sudo apt-get update && sudo apt-get install -y {expected_packages()}\n" in (
        checked.stderr
    )
    assert "chromium (the website widget test)" in checked.stderr
    assert not (tmp_path / "apt-get.calls").exists()


def test_root_installs_what_is_missing_with_one_progress_line(tmp_path):
    bin_dir = fake_machine(tmp_path, uid=0)
    checked = check_prerequisites(bin_dir)
    assert checked.returncode == 0, checked.stderr
    assert re.fullmatch(
        rf"Installing {expected_packages()} \(apt-get\)\.\.\. \d+ s\n", checked.stdout
    )
    calls = (tmp_path / "apt-get.calls").read_text().splitlines()
    assert calls == ["update -qq", f"install -y -qq {expected_packages()}"]
    again = check_prerequisites(bin_dir, "chromium", "tmux")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
