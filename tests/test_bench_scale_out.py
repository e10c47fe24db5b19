"""The scale-out benchmark's pure parts (bot/tools/bench/): the nginx site it runs, where its
simulated patients connect from, and how it holds what they sent against what was stored."""

from __future__ import annotations

import argparse
import ipaddress
import json

import pytest

from bot.tools.bench import load
from bot.tools.bench.balancer import SITE, Hop, render_site
from bot.tools.bench.delivery import (
    MAX_USERS,
    Delivery,
    Exchange,
    check_sender,
    source_address,
)
from bot.tools.bench.kill_test import kill_figures
from bot.tools.bench.scale_out import PROCESSES, Deployment, Run, markdown
from bot.tools.stored_conversations import Turn, conversation_of


def test_the_site_is_rendered_with_its_ports_changed_and_nothing_else():
    shipped = SITE.read_text(encoding="utf-8").splitlines()
    rendered = render_site("\n".join(shipped), [7001, 7002], 7003).splitlines()
    assert len(rendered) == len(shipped)
    changed = [(a.strip(), b.strip()) for a, b in zip(shipped, rendered, strict=True) if a != b]
    options = "max_fails=1 fail_timeout=5s;"
    assert changed == [
        (f"server 127.0.0.1:5005 {options}", f"server 127.0.0.1:7001 {options}"),
        (f"server 127.0.0.1:5006 {options}", f"server 127.0.0.1:7002 {options}"),
        ("listen 80;", "listen 127.0.0.1:7003;"),
    ]
    with pytest.raises(ValueError, match="2 upstream servers"):
        render_site("\n".join(shipped), [7001], 7003)


def test_each_simulated_patient_connects_from_a_network_of_its_own():
    addresses = [ipaddress.ip_address(source_address(user)) for user in range(50)]
    assert all(address.is_loopback for address in addresses)
    # nginx's ip_hash keys an IPv4 client on its first three octets
    assert len({ipaddress.ip_network(f"{a}/24", strict=False) for a in addresses}) == 50
    with pytest.raises(ValueError):
        source_address(MAX_USERS)


def sent(*messages: str | tuple[str, int]) -> list[Exchange]:
    """A sender's exchanges, answered (HTTP 200) unless given with another status."""
    exchanges = []
    for number, message in enumerate(messages):
        text, status = message if isinstance(message, tuple) else (message, 200)
        exchanges.append(Exchange(0, "s", number, text, float(number), 0.5, status))
    return exchanges


def stored(*messages: str) -> list[Turn]:
    return [Turn(message, ["a reply"]) for message in messages]


def test_the_stored_order_check_passes_a_conversation_kept_as_sent():
    check = check_sender(
        sent("hi", ("cost?", 502), ("pain?", 504), "bye"), stored("hi", "pain?", "bye")
    )
    assert check.problems == []
    assert (check.unanswered_stored, check.unanswered_absent) == (1, 1)


def test_a_message_is_found_as_the_store_keeps_it_redacted():
    typed = sent("hi", "is there any Downtime", "bye")
    kept = stored("hi", "is there any [NAME]", "bye")
    assert check_sender(typed, kept).problems
    as_stored = {"is there any Downtime": "is there any [NAME]"}.get
    assert check_sender(typed, kept, lambda text: as_stored(text) or text).problems == []


@pytest.mark.parametrize(
    "kept",
    [
        stored("hi", "bye"),  # missing
        stored("hi", "cost?", "cost?", "bye"),  # duplicated
        stored("hi", "bye", "cost?"),  # reordered
        [*stored("hi"), Turn("cost?"), *stored("bye")],  # no reply after it
    ],
    ids=["missing", "duplicated", "reordered", "unanswered"],
)
def test_the_stored_order_check_flags_a_message_lost_doubled_or_moved(kept):
    assert check_sender(sent("hi", "cost?", "bye"), kept).problems


def test_a_conversation_is_read_as_its_opening_then_each_message_with_its_replies():
    rows = [
        ("action", json.dumps({"name": "action_session_start"})),
        ("bot", json.dumps({"text": "Welcome"})),
        ("user", json.dumps({"text": "hi"})),
        ("bot", json.dumps({"text": "Hello"})),
        ("bot", json.dumps({"text": None, "data": {"buttons": []}})),
        ("user", json.dumps({"text": "bye"})),
    ]
    conversation = conversation_of(rows)
    assert conversation.opening == ["Welcome"]
    assert conversation.turns == [Turn("hi", ["Hello", ""]), Turn("bye", [])]


def test_the_kill_test_follows_each_conversation_left_on_the_killed_process():
    killed, other = 5005, 5006
    journal = [
        # cut at the kill; its next message waited for the stale lock, then Rasa B answered
        Exchange(0, "cut", 0, "hi", 8.0, 4.0, 502),
        Exchange(0, "cut", 1, "does it hurt?", 12.0, 55.0, 200),
        # between messages at the kill; moved to Rasa B at once
        Exchange(1, "idle", 0, "hi", 7.0, 1.0, 200),
        Exchange(1, "idle", 1, "does it hurt?", 11.0, 1.0, 200),
        # on the other process all along
        Exchange(2, "calm", 0, "hi", 9.0, 2.0, 200),
        # over before the kill: its last message was a script's ending, typed as it came
        Exchange(3, "over", 0, "hi", 6.0, 1.0, 200),
        Exchange(3, "over", 1, "ByE", 7.5, 1.0, 200),
    ]
    hops = {
        "cut/0": Hop("cut/0", 502, (killed,)),
        "cut/1": Hop("cut/1", 200, (other,)),
        "idle/0": Hop("idle/0", 200, (killed,)),
        "idle/1": Hop("idle/1", 200, (killed, other)),
        "calm/0": Hop("calm/0", 200, (other,)),
        "over/0": Hop("over/0", 200, (killed,)),
        "over/1": Hop("over/1", 200, (killed,)),
    }
    figures = kill_figures(journal, hops, 10.0, killed)
    assert (figures.before.sent, figures.after.sent) == (5, 2)
    assert figures.before.refused == {502: 1}
    assert figures.after.longest_wait == 55.0
    assert (figures.in_flight, figures.in_flight_answered) == (1, 0)
    stranded = figures.stranded
    assert (stranded.conversations, stranded.cut, stranded.answered_by_other) == (2, 1, 2)
    assert (stranded.waits_after_cut, stranded.waits_between) == ([55.0], [1.0])


def test_the_report_has_a_row_per_measure_and_the_ratio(tmp_path):
    def run(name: str, replies: int, cpu: dict[str, float]) -> Run:
        timings = load.Timings(latencies=[1.0] * replies, duration=10.0)
        return Run(name, timings, [], {}, Delivery(senders=2, messages=replies), cpu, 0.9)

    ports = {"A": 5005, "B": 5006}
    cpu = dict.fromkeys(PROCESSES, 1.0)
    deployment = Deployment(tmp_path, {}, "", "", ports, {}, {})
    killed = run("kill", 150, {})
    killed.killed = kill_figures([], {}, 20.0, 5005)
    args = argparse.Namespace(
        users=50, seconds=60.0, timeout=150.0, kill_after=20.0, after_kill=30.0
    )
    report = markdown([run("one", 100, cpu), run("two", 160, cpu), killed], deployment, args, 60)
    assert "two processes / one: **1.60**" in report
    assert "| replies per second | 10.0 | 16.0 | 15.0 |" in report
    assert "| CPU busy, whole machine (these and any other work) | 90% | 90% | 90% |" in report
    assert "## The kill test" in report
