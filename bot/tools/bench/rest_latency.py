"""Median REST reply time for knowledge-base answers.

Starts the real action server and Rasa server on loopback (as the e2e tests do), asks
each knowledge-base question ROUNDS times, and prints the median and 90th percentile.
Usage: .venv/bin/python -m bot.tools.bench.rest_latency [ROUNDS]   (needs `make train` first)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.tools.launcher import running_assistant

QUESTIONS = [
    "what is mesotherapy?",
    "how much does it cost?",
    "does it hurt?",
    "how long is the recovery?",
    "how long do results last?",
]


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as workdir, running_assistant(Path(workdir)) as assistant:
        assistant.ask("bench-warmup", QUESTIONS[0])
        timings = []
        for round_number in range(rounds):
            for question in QUESTIONS:
                started = time.perf_counter()
                replies = assistant.ask(f"bench-{round_number}", question)
                timings.append(time.perf_counter() - started)
                assert any("Sources:" in (reply.get("text") or "") for reply in replies), replies
    timings_ms = sorted(t * 1000 for t in timings)
    median = statistics.median(timings_ms)
    p90 = timings_ms[int(0.9 * (len(timings_ms) - 1))]
    print(
        f"{len(timings_ms)} knowledge-base answers over REST: median {median:.0f} ms, "
        f"p90 {p90:.0f} ms, max {timings_ms[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
