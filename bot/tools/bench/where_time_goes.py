"""Where the Rasa server's time goes under load: MesoGuide's Rasa server runs under cProfile
while simulated patients talk to it (10 users, closed loop) and one sender's conversation
grows; then the profile is summed by part (reading the conversation, NLU, prediction,
actions, saving, redaction) and the functions with the most time of their own are listed.

Usage: python -m bot.tools.bench.where_time_goes [--seconds S] [--long N] [--out FILE]
(make profile; needs `make train` first). Writes the statistics (pstats) to --out.
"""

from __future__ import annotations

import argparse
import pstats
import sys
import tempfile
from pathlib import Path

from bot.settings import PROJECT_ROOT
from bot.tools.bench import load
from bot.tools.bench.versus_stock import rest_send
from bot.tools.launcher import running_assistant

# The parts of handling a message, by the Rasa function that does each (file, function), in
# the order they happen; some hold others (the prediction loop holds the actions).
PARTS = (
    ("model loading, at start", "rasa/core/agent.py", "load_agent"),
    ("handling messages, in all", "rasa/core/processor.py", "handle_message"),
    ("  reading the conversation", "rasa/core/tracker_store.py", "retrieve"),
    ("  NLU: parsing the message", "rasa/core/processor.py", "parse_message"),
    ("  the prediction loop", "rasa/core/processor.py", "_run_prediction_loop"),
    ("    predicting the next action", "rasa/core/processor.py", "_predict_next_with_tracker"),
    ("    running actions (our code in another process)", "rasa/core/processor.py", "_run_action"),
    (
        "      checking the action server's reply",
        "rasa/core/actions/action.py",
        "_validate_action_result",
    ),
    ("  saving the conversation", "rasa/core/processor.py", "save_tracker"),
    ("  redaction (bot/privacy)", "bot/privacy/redaction.py", "find"),
)


def cumulative(stats: pstats.Stats, filename: str, function: str) -> tuple[float, int]:
    """Seconds spent in (and under) a function, and how many calls from outside it. Of
    several functions of that name in the file (a wrapper calling the store it wraps), the
    one with the most time, so that nothing is counted twice."""
    found = [
        (inside, primitive)
        for (file, _, name), (primitive, _, _, inside, _) in stats.stats.items()  # type: ignore[attr-defined]
        if file.endswith(filename) and name == function
    ]
    return max(found, default=(0.0, 0))


def summary(stats: pstats.Stats, messages: int, top: int = 20) -> str:
    lines = [f"Time in the Rasa server's main thread, by part, over {messages} messages:"]
    lines.append("  seconds  ms/message  part")
    for label, filename, function in PARTS:
        seconds, _ = cumulative(stats, filename, function)
        per_message = "" if label.endswith("at start") else f"{seconds / messages * 1000:.1f}"
        lines.append(f"  {seconds:7.2f}  {per_message:>10}  {label}")
    rows = [
        (own, inside, calls, f"{_short(file)}:{line}({name})")
        for (file, line, name), (_, calls, own, inside, _) in stats.stats.items()  # type: ignore[attr-defined]
    ]
    lines.append(f"\nThe {top} functions with the most time of their own:")
    lines.append("    own s   cumul s      calls  function")
    for own, inside, calls, name in sorted(rows, reverse=True)[:top]:
        lines.append(f"  {own:7.2f}  {inside:8.2f}  {calls:9d}  {name}")
    return "\n".join(lines)


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(PROJECT_ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--long", type=int, default=100, help="messages of one growing sender")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "rasa.prof")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        running_assistant(Path(folder), profile_to=args.out.resolve()) as assistant,
    ):
        send = rest_send(assistant.rest_url)
        send("profile-warmup", "hello")
        timings = load.closed_loop(send, 10, args.seconds)
        long_lived = load.long_lived_sender(send, args.long)
    # the server has stopped: its profile is written
    print(
        f"10 users for {args.seconds:.0f} s: {len(timings.latencies)} replies, "
        f"p95 {timings.percentile(0.95) * 1000:.0f} ms; one sender's {args.long} messages: "
        f"median {load.median_of(long_lived[:10]) * 1000:.0f} ms for the first ten, "
        f"{load.median_of(long_lived[-10:]) * 1000:.0f} ms for the last ten\n"
    )
    messages = 1 + len(timings.latencies) + timings.errors + len(long_lived)
    print(summary(pstats.Stats(str(args.out)), messages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
