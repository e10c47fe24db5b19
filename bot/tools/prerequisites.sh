#!/usr/bin/env bash
# The system programs the tests need besides Python: chromium (the website widget test),
# tmux (the terminal tests), PostgreSQL's initdb (the PostgreSQL tests), redis-server (the
# lock store's tests) and nginx (deploy/'s configuration check). Missing ones are
# installed with apt-get when running as root; otherwise this stops at once and prints the
# exact command to run.
# Usage: bot/tools/prerequisites.sh PROGRAM...   (chromium, tmux, initdb, redis-server, nginx)
set -euo pipefail
cd "${0%/*}/../.."

declare -A package=([chromium]=chromium [tmux]=tmux [initdb]=postgresql [redis-server]=redis-server [nginx]=nginx)
declare -A needed_by=(
  [chromium]="the website widget test"
  [tmux]="the terminal tests"
  [initdb]="the PostgreSQL tests"
  [redis-server]="the Redis lock store tests"
  [nginx]="the nginx configuration check (deploy/)"
)

found() {
  # Debian keeps PostgreSQL's server programs off PATH, under /usr/lib/postgresql/VERSION/bin.
  command -v "$1" >/dev/null 2>&1 || { [[ $1 == initdb ]] && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
}

missing=()
for program in "$@"; do
  [[ -n ${package[$program]:-} ]] || { echo "prerequisites.sh: unknown program $program" >&2; exit 2; }
  found "$program" || missing+=("$program")
done
((${#missing[@]})) || exit 0

packages=()
for program in "${missing[@]}"; do packages+=("${package[$program]}"); done

if [[ $(id -u) != 0 ]]; then
  echo "These programs are missing:" >&2
  for program in "${missing[@]}"; do echo "  $program (${needed_by[$program]})" >&2; done
  echo "Install them, then run make again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi

bot/tools/step.sh "Installing ${packages[*]} (apt-get)" \
  bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages[*]}"
