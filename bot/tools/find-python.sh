#!/usr/bin/env bash
# Print the path of a Python 3.8-3.10 interpreter (Rasa 3.6 supports no other):
# python3.10 (then 3.9, 3.8, python3) on PATH, else the newest one installed under pyenv.
set -u

supported() {
  "$1" -c 'import sys; sys.exit(not (3, 8) <= sys.version_info[:2] <= (3, 10))' >/dev/null 2>&1
}

for candidate in python3.10 python3.9 python3.8 python3; do
  if supported "$candidate"; then
    command -v "$candidate"
    exit 0
  fi
done

pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for minor in 10 9 8; do
  for candidate in $(ls -d "$pyenv_root"/versions/3."$minor".*/bin/python3."$minor" 2>/dev/null | sort -rV); do
    if supported "$candidate"; then
      echo "$candidate"
      exit 0
    fi
  done
done

cat >&2 <<'MSG'
error: MesoGuide needs Python 3.8, 3.9 or 3.10 (Rasa 3.6 supports no other), and none was found.
  Install Python 3.10, then run make again. For example:
    - with pyenv:            pyenv install 3.10
    - on Debian or Ubuntu:   apt-get install python3.10 python3.10-venv
    - on macOS (Homebrew):   brew install python@3.10
MSG
exit 1
