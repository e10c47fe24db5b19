#!/usr/bin/env bash
# Start the action server in the background, wait until it answers, run the given
# command in the foreground, and stop the action server when that command ends
# (normally, on error, or on Ctrl-C).
set -euo pipefail

port="${ACTIONS_PORT:-5055}"
# Rasa must call the action server started here, whatever an outer shell or make exported.
export ACTION_ENDPOINT_URL="http://127.0.0.1:$port/webhook"
log="var/actions.log"
mkdir -p var

.venv/bin/rasa run actions --actions actions --port "$port" >"$log" 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true; wait "$actions_pid" 2>/dev/null || true' EXIT INT TERM

if ! .venv/bin/python bot/tools/wait_for_http.py "http://127.0.0.1:$port/health" 60; then
  echo "The action server did not start; see $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
echo "Action server running on port $port (log: $log)"
"$@"
