"""Scale-out: one and two Rasa processes behind nginx, then one of the two killed under load.

The production profile on this machine: PostgreSQL holds the conversations and the knowledge
base, Redis the conversation locks, one action server serves both Rasa processes, and nginx
runs the site we ship (deploy/nginx/mesoguide.conf, only its ports changed; balancer.py).
Simulated patients (load.closed_loop) each come from a /24 of their own (delivery.py).

1. One process: the site's two upstream lines both on Rasa A's port (B runs, idle).
2. Two processes, A and B: replies per second against run 1 (the target is 1.5 times).
3. The kill test: two processes; after --kill-after seconds Rasa A's process group gets
   SIGKILL and the load goes on for --after-kill seconds (kill_test.py).

After each run every sender's stored conversation is checked against what it sent: each
answered message stored once, in order, with a reply after it.
Writes results/scale-out.md (the tables, also printed) and results/scale-out.json; the
servers' logs and nginx's access logs stay in var/scale-out/.
Usage: python -m bot.tools.bench.scale_out [--users N] [--seconds S] [--kill-after S]
[--after-kill S] [--out DIR]   (make bench-scale; about 6 minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from contextlib import ExitStack, suppress
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import requests
from rasa.core.constants import DEFAULT_LOCK_LIFETIME

from bot.privacy.redaction import redact
from bot.settings import PROJECT_ROOT, Settings
from bot.tools.bench import load
from bot.tools.bench.balancer import Hop, access_log, nginx
from bot.tools.bench.delivery import Delivery, Exchange, PatientClients, check_delivery
from bot.tools.bench.kill_test import KillFigures, kill_figures, median_and_max
from bot.tools.bench.versus_stock import stepper
from bot.tools.launcher import (
    LOG_DIR,
    MODEL,
    Server,
    Servers,
    action_server,
    free_port,
    prepared,
    rasa_server,
)
from bot.tools.local_services import postgres_cluster, redis_server
from bot.tools.stored_conversations import stored_conversations

TARGET_RATIO = 1.5
# Seconds for the servers to finish what they were doing when the load stopped (a request
# nginx gave up on may still be running) before the stored conversations are read.
SETTLE = 5.0
WARM_UP = ("hi", "what is mesotherapy?", "how much does it cost?")
CLIENTS = "the simulated patients (this process)"
PROCESSES = ("Rasa A", "Rasa B", "action server", "PostgreSQL", "nginx", CLIENTS)


@dataclass
class Run:
    name: str
    timings: load.Timings
    exchanges: list[Exchange]
    hops: dict[str, Hop]
    delivery: Delivery
    cpu: dict[str, float] = field(default_factory=dict)  # seconds during the load, by process
    machine_busy: float = float("nan")  # share of the whole machine's CPU time, any process's
    killed: KillFigures | None = None

    def answered_by(self, port: int) -> int:
        return sum(1 for hop in self.hops.values() if hop.status == 200 and hop.ports[-1] == port)


@dataclass
class Deployment:
    """The servers every run shares."""

    work: Path
    env: dict[str, str]
    tracker_url: str
    token: str
    ports: dict[str, int]  # Rasa A's and B's
    rasa: dict[str, subprocess.Popen]
    pids: dict[str, int]  # the processes whose CPU time is measured, nginx aside


def tree_cpu_seconds(root: int) -> float:
    """CPU time of a process and its descendants, with their reaped children's: a PostgreSQL
    backend that has ended lives on only in its parent's cutime and cstime."""
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
    children = defaultdict(list)
    for pid, fields in stats.items():
        children[int(fields[1])].append(pid)
    ticks, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            ticks += sum(int(value) for value in stats[pid][11:15])  # utime .. cstime
            todo += children[pid]
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """The whole machine's busy and total CPU ticks so far (/proc/stat): other work's too."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return sum(ticks) - idle, sum(ticks)


def busy_share(start: tuple[int, int], end: tuple[int, int]) -> float:
    """The share of the machine's CPU time busy between two machine_ticks() readings."""
    total = end[1] - start[1]
    return (end[0] - start[0]) / total if total else float("nan")


def rasa_process(settings: Settings, work: Path, credentials: Path, name: str, port: int) -> Server:
    server = rasa_server(replace(settings, rasa_port=port), work, credentials, MODEL, "127.0.0.1")
    return replace(server, name=f"Rasa server {name}", log=work / f"rasa-{name}.log")


def warm_up(port: int, token: str) -> None:
    """The first messages a Rasa process handles are slow: not the benchmark's."""
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    for text in WARM_UP:
        reply = requests.post(
            url,
            json={"sender": f"warmup-{port}", "message": text},
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        reply.raise_for_status()


def run_load(
    deployment: Deployment,
    name: str,
    upstream: Sequence[int],
    args: argparse.Namespace,
    seconds: float,
    kill: str = "",
) -> Run:
    """`args.users` patients through nginx for `seconds`; with `kill`, that Rasa process's
    group is killed `args.kill_after` seconds in."""
    folder = deployment.work / f"nginx-{name}"
    listen = free_port()
    killed_at: list[float] = []
    with Servers(deployment.env) as balancer:
        (front,) = balancer.start(nginx(folder, upstream, listen))
        url = f"http://127.0.0.1:{listen}/webhooks/rest/webhook"
        clients = PatientClients(url, deployment.token, args.timeout)
        pids = {**deployment.pids, "nginx": front.pid}
        before = {process: tree_cpu_seconds(pid) for process, pid in pids.items()}
        before[CLIENTS] = time.process_time()
        machine_before = machine_ticks()
        if kill:

            def kill_now() -> None:
                os.killpg(deployment.rasa[kill].pid, signal.SIGKILL)
                killed_at.append(clients.now())

            threading.Timer(args.kill_after, kill_now).start()
        timings = load.closed_loop(clients.send, args.users, seconds, prefix=name)
        cpu = {} if kill else {p: tree_cpu_seconds(pid) - before[p] for p, pid in pids.items()}
        if cpu:
            cpu[CLIENTS] = time.process_time() - before[CLIENTS]
        machine_after = machine_ticks()
        clients.close()
    time.sleep(SETTLE)
    hops = access_log(folder)
    stored = stored_conversations(deployment.tracker_url, f"{name}-")
    run = Run(
        name,
        timings,
        clients.exchanges,
        hops,
        check_delivery(clients.exchanges, stored, redact),
        cpu,
        busy_share(machine_before, machine_after),
    )
    if kill:
        run.killed = kill_figures(run.exchanges, hops, killed_at[0], deployment.ports[kill])
    return run


# --- the report ------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds == seconds else "–"


def _s(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds == seconds else "–"


def run_rows(runs: Sequence[Run], ports: Mapping[str, int], cores: int) -> list[list[str]]:
    rows = [
        ["replies per second", *(f"{r.timings.throughput:.1f}" for r in runs)],
        ["reply p50", *(_ms(r.timings.percentile(0.5)) for r in runs)],
        ["reply p95", *(_ms(r.timings.percentile(0.95)) for r in runs)],
        ["failed requests (non-200 or no response)", *(str(r.timings.errors) for r in runs)],
        [
            "answered by Rasa A / B (nginx log)",
            *(f"{r.answered_by(ports['A'])} / {r.answered_by(ports['B'])}" for r in runs),
        ],
        [
            "senders / messages sent",
            *(f"{r.delivery.senders} / {r.delivery.messages}" for r in runs),
        ],
        [
            "senders whose stored messages differ (lost, doubled, reordered, no reply)",
            *(str(r.delivery.mismatched_senders) for r in runs),
        ],
    ]
    for process in PROCESSES:
        rows.append([f"CPU, {process}", *(_s(r.cpu[process]) if r.cpu else "–" for r in runs)])
    rows.append(
        [
            f"CPU busy, these processes, of {cores} cores",
            *(
                f"{sum(r.cpu.values()) / (r.timings.duration * cores):.0%}" if r.cpu else "–"
                for r in runs
            ),
        ]
    )
    rows.append(
        [
            "CPU busy, whole machine (these and any other work)",
            *(f"{r.machine_busy:.0%}" if r.machine_busy == r.machine_busy else "–" for r in runs),
        ]
    )
    return rows


def kill_rows(figures: KillFigures) -> list[list[str]]:
    windows = (figures.before, figures.after)

    def refused(statuses: Mapping[int, int]) -> str:
        return ", ".join(f"{count} × {status}" for status, count in statuses.items()) or "0"

    return [
        ["messages sent", *(str(w.sent) for w in windows)],
        ["answered (HTTP 200)", *(str(w.answered) for w in windows)],
        ["refused (count × HTTP status)", *(refused(w.refused) for w in windows)],
        ["no response (client error or timeout)", *(str(w.no_response) for w in windows)],
        ["longest wait for a reply", *(_s(w.longest_wait) for w in windows)],
    ]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def markdown(
    runs: Sequence[Run], deployment: Deployment, args: argparse.Namespace, lifetime: int
) -> str:
    one, two, killed = runs
    ratio = two.timings.throughput / one.timings.throughput if one.timings.throughput else 0.0
    cores = os.cpu_count() or 1
    lines = [
        "# Scale-out: Rasa processes behind nginx (production profile, this machine)",
        "",
        f"`make bench-scale`: PostgreSQL tracker store, Redis lock store, one action server, "
        f"nginx running deploy/nginx/mesoguide.conf with only its ports changed. {args.users} "
        f"users in a closed loop, each from its own /24 (127.0.k.1), each a new patient every ten "
        f"messages; {args.seconds:.0f} s per run. One process: both upstream lines on Rasa A's "
        f"port (B idle). Client timeout {args.timeout:.0f} s; Rasa's lock lifetime {lifetime} s.",
        "",
        *table(
            [
                "measure",
                "one process",
                "two processes",
                f"two, A killed at {args.kill_after:.0f} s",
            ],
            run_rows(runs, deployment.ports, cores),
        ),
        "",
        f"Replies per second, two processes / one: **{ratio:.2f}** (target ≥ {TARGET_RATIO}).",
    ]
    figures = killed.killed
    if figures is not None:
        stranded = figures.stranded
        cut_median, cut_max = median_and_max(stranded.waits_after_cut)
        between_median, between_max = median_and_max(stranded.waits_between)
        lines += [
            "",
            f"## The kill test: Rasa A killed (SIGKILL) {figures.killed_at:.1f} s in, "
            f"the load kept {args.after_kill:.0f} s more",
            "",
            *table(["", "before the kill", "after the kill"], kill_rows(figures)),
            "",
            f"- In flight on Rasa A at the kill: {figures.in_flight} "
            f"({figures.in_flight_answered} answered all the same).",
            f"- Conversations on Rasa A at the kill, not over: {stranded.conversations} "
            f"({stranded.cut} with a message in flight). Their next message: answered by "
            f"Rasa B {stranded.answered_by_other}, refused {stranded.refused}, no response "
            f"{stranded.no_response}, not sent before the run ended {stranded.not_sent}.",
            f"- That next message's wait: after a message cut at the kill (its lock ticket left "
            f"in Redis) median {_s(cut_median)}, longest {_s(cut_max)}; between messages at "
            f"the kill median {_s(between_median)}, longest {_s(between_max)}.",
            f"- Stored: senders whose messages differ {killed.delivery.mismatched_senders}; "
            f"unanswered messages stored with their reply {killed.delivery.unanswered_stored}, "
            f"absent {killed.delivery.unanswered_absent}.",
        ]
    return "\n".join(lines) + "\n"


def summary(runs: Sequence[Run], ports: Mapping[str, int], lifetime: int) -> dict:
    def figures(run: Run) -> dict:
        delivery = asdict(run.delivery)
        delivery["problems"] = delivery["problems"][:20]
        return {
            "replies_per_second": run.timings.throughput,
            "p50_ms": run.timings.percentile(0.5) * 1000,
            "p95_ms": run.timings.percentile(0.95) * 1000,
            "failed_requests": run.timings.errors,
            "seconds": run.timings.duration,
            "statuses": dict(Counter(str(e.status) for e in run.exchanges)),
            "answered_by": {name: run.answered_by(port) for name, port in ports.items()},
            "cpu_seconds": run.cpu,
            "machine_busy": run.machine_busy,
            "delivery": delivery,
            "kill": asdict(run.killed) if run.killed else None,
        }

    one, two = runs[0].timings.throughput, runs[1].timings.throughput
    return {
        "lock_lifetime_seconds": lifetime,
        "ratio_two_to_one": two / one if one else None,
        "runs": {run.name: figures(run) for run in runs},
    }


# --- the runs ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="runs 1 and 2")
    parser.add_argument("--kill-after", type=float, default=20.0)
    parser.add_argument("--after-kill", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=150.0, help="client timeout, seconds")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results")
    args = parser.parse_args(argv)
    step = stepper()
    work = LOG_DIR / "scale-out"  # the servers' logs and nginx's, kept for a look afterwards
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    with ExitStack() as stack:
        step("Starting PostgreSQL and Redis")
        cluster = stack.enter_context(postgres_cluster())
        redis_url = stack.enter_context(redis_server())
        token = secrets.token_urlsafe(16)
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "TRACKER_STORE_URL": cluster.url,
            "REDIS_URL": redis_url,
            # nginx forwards: the REST channel then wants its token
            "REST_TOKEN": token,
            "ACTIONS_PORT": str(free_port()),
        }
        step("Loading the knowledge base into PostgreSQL")
        env, settings, credentials = prepared(work, env)
        lifetime = int(env.get("TICKET_LOCK_LIFETIME") or 0) or DEFAULT_LOCK_LIFETIME
        step("Starting the action server and Rasa servers A and B")
        servers = stack.enter_context(Servers(env))
        ports = {"A": free_port(), "B": free_port()}
        actions, *rasa = servers.start(
            action_server(settings, work),
            *(
                rasa_process(settings, work, credentials, name, port)
                for name, port in ports.items()
            ),
        )
        for port in ports.values():
            warm_up(port, token)
        deployment = Deployment(
            work,
            env,
            cluster.url,
            token,
            ports,
            dict(zip(ports, rasa, strict=True)),
            {
                "Rasa A": rasa[0].pid,
                "Rasa B": rasa[1].pid,
                "action server": actions.pid,
                "PostgreSQL": cluster.postmaster_pid(),
            },
        )
        runs = []
        users = f"{args.users} users, {args.seconds:.0f} s"
        step(f"Run 1: one Rasa process behind nginx ({users})")
        runs.append(run_load(deployment, "one", [ports["A"]] * 2, args, args.seconds))
        step(f"Run 2: two Rasa processes behind nginx ({users})")
        runs.append(run_load(deployment, "two", list(ports.values()), args, args.seconds))
        total = args.kill_after + args.after_kill
        step(f"Run 3: two processes, Rasa A killed after {args.kill_after:.0f} of {total:.0f} s")
        runs.append(run_load(deployment, "kill", list(ports.values()), args, total, kill="A"))
        step("Writing the report")
        report = markdown(runs, deployment, args, lifetime)
        figures = summary(runs, ports, lifetime)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale-out.md").write_text(report, encoding="utf-8")
    (args.out / "scale-out.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print()
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
