#!/usr/bin/env bash
# Time `make chat` from a fresh clone to the first "Your input ->" prompt, then a second
# `make chat` in the same clone. Needs tmux. Usage: bot/tools/bench/chat_startup.sh [REPO]
set -euo pipefail
repo=$(cd "${1:-$(dirname "$0")/../../..}" && pwd)
workdir=$(mktemp -d)
trap 'tmux kill-session -t mesoguide-bench 2>/dev/null || true; rm -rf "$workdir"' EXIT
git clone --quiet "$repo" "$workdir/clone"

time_to_prompt() {
  local started now
  started=$(date +%s)
  tmux new-session -d -s mesoguide-bench -x 200 -y 50 "cd '$workdir/clone' && make chat"
  until tmux capture-pane -pt mesoguide-bench | grep -q "Your input ->"; do
    sleep 1
    now=$(date +%s)
    if (( now - started > 1800 )); then echo "no prompt after 30 minutes" >&2; exit 1; fi
  done
  now=$(date +%s)
  tmux send-keys -t mesoguide-bench "/stop" Enter
  while tmux has-session -t mesoguide-bench 2>/dev/null; do sleep 1; done
  echo $(( now - started ))
}

echo "make chat, fresh clone, to first prompt: $(time_to_prompt) s"
echo "make chat, second run, to first prompt:  $(time_to_prompt) s"
