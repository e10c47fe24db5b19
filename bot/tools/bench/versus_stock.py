"""MesoGuide against the stock `rasa init` assistant, side by side over REST on this machine.

Both are trained from scratch here (training time), started on loopback one after the other
(time from start to ready) and given the same simulated patients (bot/tools/bench/load.py):
one user at a time (p50, p95, p99), closed-loop load at 1, 10 and 50 users (replies per
second, p95, CPU per message), one long-lived sender's 200 messages (does a reply's cost grow
with the conversation?) and an open-loop ladder of patients each sending a message every 20 s
on average (how many one process serves with p95 under 500 ms). The single-user and
closed-loop runs alternate between the two over several rounds (this machine is shared and
noisy) and the report gives the ratios of the medians over the rounds.

Writes results/bench.md (the table, also printed), results/bench.json and results/bench.png
(p95 against load for both).
Usage: python -m bot.tools.bench.versus_stock [--rounds N] [--seconds S] [--quick] [--out DIR]
(make bench; --quick: one short round, for a first look)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.settings import PROJECT_ROOT
from bot.tools.bench import load, stock
from bot.tools.launcher import BIN, Servers, free_port, running_assistant

STOCK = "stock Rasa"
MESOGUIDE = "MesoGuide"
NAMES = (STOCK, MESOGUIDE)
COLUMNS = ("measure", STOCK, MESOGUIDE, "ratio", "unit")
LOADS = (1, 10, 50)
# doubling to 160 patients, then steps of 80: both assistants served 320 and failed at 640
# on the first, doubling ladder
LADDER = (5, 10, 20, 40, 80, 160, *range(240, 1281, 80))
LONG_MESSAGES = 200
P95_LIMIT = 0.5


@dataclass
class Assistant:
    name: str
    send: load.Send
    pids: list[int]
    ready_seconds: float
    train_seconds: float


@dataclass
class Measures:
    """One assistant's figures: lists hold one value per round."""

    single: list[load.Timings] = field(default_factory=list)
    closed: dict[int, list[load.Timings]] = field(default_factory=dict)
    cpu_per_message: list[float] = field(default_factory=list)
    long_lived: list[float] = field(default_factory=list)
    served: int = 0
    ladder: dict[int, load.Timings] = field(default_factory=dict)
    peak_memory_mb: dict[str, float] = field(default_factory=dict)


def rest_send(url: str) -> load.Send:
    def send(sender: str, text: str) -> object:
        response = requests.post(url, json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    return send


def cpu_seconds(pids: Sequence[int]) -> float:
    """User and system CPU time used so far by these processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def train_mesoguide(out: Path, log: Path) -> tuple[Path, float]:
    """MesoGuide's model trained from scratch (as `make train` does, into `out`)."""
    command = [str(BIN / "rasa"), "train", "--force", "--fixed-model-name", "bench"]
    seconds = stock.run_logged([*command, "--out", str(out)], PROJECT_ROOT, log)
    return out / "bench.tar.gz", seconds


def measure_round(assistant: Assistant, measures: Measures, seconds: float, patients: int) -> None:
    measures.single.append(load.single_user(assistant.send, patients))
    for users in LOADS:
        before = cpu_seconds(assistant.pids)
        timings = load.closed_loop(assistant.send, users, seconds)
        measures.closed.setdefault(users, []).append(timings)
        if users == 10 and timings.latencies:
            spent = cpu_seconds(assistant.pids) - before
            measures.cpu_per_message.append(spent / len(timings.latencies))


def rows(assistants: dict[str, Assistant], measures: dict[str, Measures]) -> list[tuple]:
    """(label, stock's, MesoGuide's, MesoGuide / stock, unit) for the table."""

    def both(get: Callable[[Measures, Assistant], float]) -> tuple[float, float]:
        return get(measures[STOCK], assistants[STOCK]), get(
            measures[MESOGUIDE], assistants[MESOGUIDE]
        )

    def over_rounds(timings: Callable[[Measures], list[load.Timings]], value: Callable) -> Callable:
        return lambda m, _: load.median_of([value(t) for t in timings(m)])

    table = []
    for share, label in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
        ms = both(over_rounds(lambda m: m.single, lambda t, s=share: t.percentile(s) * 1000))
        table.append((f"single user, reply {label}", *ms, "ms"))
    for users in LOADS:
        rate = both(over_rounds(lambda m, u=users: m.closed[u], lambda t: t.throughput))
        p95 = both(over_rounds(lambda m, u=users: m.closed[u], lambda t: t.percentile(0.95) * 1000))
        errors = both(lambda m, _, u=users: sum(t.errors for t in m.closed[u]))
        who = f"{users} user{'s' if users > 1 else ''}"
        table.append((f"{who}, replies per second", *rate, "/s"))
        table.append((f"{who}, reply p95", *p95, "ms"))
        table.append((f"{who}, failed requests", *errors, ""))
    table.append(
        (
            "CPU per message (10 users)",
            *both(lambda m, _: load.median_of(m.cpu_per_message) * 1000),
            "ms",
        )
    )
    table.append(
        (
            f"patients served, p95 < {P95_LIMIT * 1000:.0f} ms (a message / 20 s each)",
            *both(lambda m, _: float(m.served)),
            "",
        )
    )
    first = both(lambda m, _: load.median_of(m.long_lived[:10]) * 1000)
    last = both(
        lambda m, _: load.median_of(m.long_lived[LONG_MESSAGES - 10 : LONG_MESSAGES]) * 1000
    )
    table.append(("one sender, median reply, messages 1-10", *first, "ms"))
    table.append(
        (f"one sender, median reply, messages {LONG_MESSAGES - 9}-{LONG_MESSAGES}", *last, "ms")
    )
    table.append(("training from scratch", *both(lambda _, a: a.train_seconds), "s"))
    table.append(("start to ready", *both(lambda _, a: a.ready_seconds), "s"))
    table.append(
        ("peak memory, Rasa server", *both(lambda m, _: m.peak_memory_mb.get("rasa", 0.0)), "MB")
    )
    table.append(
        (
            "peak memory, action server",
            *both(lambda m, _: m.peak_memory_mb.get("actions", 0.0)),
            "MB",
        )
    )
    return [(label, a, b, (b / a if a else float("nan")), unit) for label, a, b, unit in table]


def markdown(table: list[tuple], rounds: int, seconds: float) -> str:
    lines = [
        "# MesoGuide against the stock Rasa assistant (REST, this machine)",
        "",
        f"`make bench` ({rounds} alternating rounds, {seconds:.0f} s per closed-loop load; "
        "medians over the rounds). Ratio: MesoGuide / stock.",
        "",
        f"| measure | {STOCK} | {MESOGUIDE} | ratio |",
        "|---|---:|---:|---:|",
    ]
    for label, a, b, ratio, unit in table:
        shown = f"{ratio:.2f}" if ratio == ratio else "–"
        lines.append(f"| {label} | {_figure(a, unit)} | {_figure(b, unit)} | {shown} |")
    return "\n".join(lines) + "\n"


def _figure(value: float, unit: str) -> str:
    if unit == "MB" and not value:
        return "–"  # no such process
    return f"{value:.0f}" if not unit else f"{value:.1f} {unit}"


def chart(measures: dict[str, Measures], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (closed, opened) = plt.subplots(1, 2, figsize=(10, 4))
    for name in NAMES:
        m = measures[name]
        closed.plot(
            LOADS,
            [load.median_of([t.percentile(0.95) * 1000 for t in m.closed[u]]) for u in LOADS],
            marker="o",
            label=name,
        )
        steps = sorted(m.ladder)
        opened.plot(
            steps, [m.ladder[s].percentile(0.95) * 1000 for s in steps], marker="o", label=name
        )
    closed.set(xlabel="users (closed loop)", ylabel="reply p95 (ms)", xscale="log", yscale="log")
    opened.set(
        xlabel="patients (a message / 20 s each)",
        ylabel="reply p95 (ms)",
        xscale="log",
        yscale="log",
    )
    opened.axhline(P95_LIMIT * 1000, color="grey", linestyle="--", linewidth=1)
    closed.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--patients", type=int, default=4, help="single-user patients per round")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.patients = 1, 5.0, 1
    ladder_seconds = 20.0 if not args.quick else 10.0
    long_messages = LONG_MESSAGES
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        work = Path(folder)
        log = work / "setup.log"
        step = stepper()
        step("Generating and training the stock assistant (rasa init)")
        stock.create(work / "stock", log)
        stock_train = stock.train(work / "stock", log)
        step("Training MesoGuide from scratch")
        model, meso_train = train_mesoguide(work / "models", log)
        step("Starting the stock assistant")
        servers = stack.enter_context(Servers(stock.quiet_environment()))
        port = free_port()
        began = time.monotonic()
        (stock_process,) = servers.start(stock.server(work / "stock", port, work / "stock.log"))
        assistants = {
            STOCK: Assistant(
                STOCK,
                rest_send(f"http://127.0.0.1:{port}/webhooks/rest/webhook"),
                [stock_process.pid],
                time.monotonic() - began,
                stock_train,
            )
        }
        step("Starting MesoGuide")
        began = time.monotonic()
        meso = stack.enter_context(running_assistant(work / "mesoguide", model=model))
        assistants[MESOGUIDE] = Assistant(
            MESOGUIDE,
            rest_send(meso.rest_url),
            [meso.rasa_pid, meso.actions_pid],
            time.monotonic() - began,
            meso_train,
        )
        for assistant in assistants.values():
            assistant.send("bench-warmup", "hello")
        measures = {name: Measures() for name in NAMES}
        for number in range(args.rounds):
            order = NAMES if number % 2 == 0 else NAMES[::-1]
            for name in order:
                step(f"Round {number + 1} of {args.rounds}: {name}")
                measure_round(assistants[name], measures[name], args.seconds, args.patients)
        for name in NAMES:
            step(f"One sender's {long_messages} messages: {name}")
            measures[name].long_lived = load.long_lived_sender(assistants[name].send, long_messages)
            step(f"Patients served (open loop): {name}")
            measures[name].served, measures[name].ladder = load.patients_served(
                assistants[name].send, LADDER, ladder_seconds, P95_LIMIT
            )
            pids = assistants[name].pids
            measures[name].peak_memory_mb["rasa"] = peak_memory_mb(pids[0])
            if len(pids) > 1:
                measures[name].peak_memory_mb["actions"] = peak_memory_mb(pids[1])
        step("Writing the report")
    table = rows(assistants, measures)
    args.out.mkdir(parents=True, exist_ok=True)
    report = markdown(table, args.rounds, args.seconds)
    (args.out / "bench.md").write_text(report, encoding="utf-8")
    (args.out / "bench.json").write_text(
        json.dumps(
            [dict(zip(COLUMNS, row, strict=True)) for row in table],
            indent=2,
        ),
        encoding="utf-8",
    )
    chart(measures, args.out / "bench.png")
    print()
    print(report)
    return 0


def stepper() -> Callable[[str], None]:
    started = time.monotonic()

    def step(label: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {label}...", flush=True)

    return step


if __name__ == "__main__":
    sys.exit(main())
