#!/usr/bin/env bash
# One setup step, quietly: print "LABEL... " and, when it is done, how long it took. The
# command's output (third-party warnings included) goes to var/setup.log; when it fails, the
# step says so and shows the end of what it wrote there. In a terminal the line counts the
# seconds, and the last "Starting to train component 'X'" (rasa train) shows as progress.
# Usage: bot/tools/step.sh LABEL COMMAND [ARG...]
set -uo pipefail

label=$1
shift
log=var/setup.log
mkdir -p var
printf '\n== %s %s: %s\n' "$(date '+%F %T')" "$label" "$*" >>"$log"
first_line=$(($(wc -l <"$log") + 1))
started=$SECONDS

"$@" >>"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; echo; exit 130' INT TERM HUP

if [[ -t 1 ]]; then
  while kill -0 "$pid" 2>/dev/null; do
    component=$(tail -n +"$first_line" "$log" | sed -n "s/.*Starting to train component '\([^']*\)'.*/\1/p" | tail -n 1)
    printf '\r%s... %d s%s\033[K' "$label" $((SECONDS - started)) "${component:+ (training $component)}"
    sleep 1
  done
  printf '\r%s... \033[K' "$label"
else
  printf '%s... ' "$label"
fi

wait "$pid"
status=$?
if ((status == 0)); then
  echo "$((SECONDS - started)) s"
  exit 0
fi
echo "failed after $((SECONDS - started)) s"
{
  echo "The end of its output ($log):"
  tail -n +"$first_line" "$log" | tail -n 25 | sed 's/^/  /'
} >&2
exit "$status"
