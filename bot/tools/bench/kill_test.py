"""What one Rasa process killed under load did to the patients: read from the journal of
exchanges (bot/tools/bench/delivery.py) and nginx's access log (which process each request
reached). Pure: the scale-out benchmark (scale_out.py) runs the test and reports this."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.tools.bench import load
from bot.tools.bench.balancer import Hop
from bot.tools.bench.delivery import Exchange

# A script's last message, in lower case (patients type the case as they go, load.as_typed):
# after its reply the user starts a new conversation.
ENDINGS = frozenset(script[-1].lower() for script in load.PATIENTS)


@dataclass
class Window:
    """The messages sent before, or after, the kill."""

    sent: int = 0
    answered: int = 0
    refused: dict[int, int] = field(default_factory=dict)  # by HTTP status
    no_response: int = 0
    longest_wait: float = 0.0  # seconds

    @classmethod
    def of(cls, exchanges: Sequence[Exchange]) -> Window:
        refused = Counter(e.status for e in exchanges if e.status is not None and e.status != 200)
        return cls(
            sent=len(exchanges),
            answered=sum(e.answered for e in exchanges),
            refused=dict(sorted(refused.items())),
            no_response=sum(e.status is None for e in exchanges),
            longest_wait=max((e.seconds for e in exchanges), default=0.0),
        )


@dataclass
class Stranded:
    """The conversations on the killed process (not over) and their next message."""

    conversations: int = 0
    cut: int = 0  # of which a message was in flight at the kill
    answered_by_other: int = 0
    refused: int = 0
    no_response: int = 0
    not_sent: int = 0  # the run ended first
    # the next message's wait (s), after a message cut at the kill and between messages
    waits_after_cut: list[float] = field(default_factory=list)
    waits_between: list[float] = field(default_factory=list)


@dataclass
class KillFigures:
    killed_at: float  # seconds into the run
    before: Window
    after: Window
    in_flight: int  # on the killed process at the kill
    in_flight_answered: int
    stranded: Stranded


def kill_figures(
    exchanges: Iterable[Exchange], hops: Mapping[str, Hop], killed_at: float, killed_port: int
) -> KillFigures:
    ordered = sorted(exchanges, key=lambda e: e.started)
    before = [e for e in ordered if e.started < killed_at]
    after = [e for e in ordered if e.started >= killed_at]

    def on_killed(exchange: Exchange) -> bool:
        hop = hops.get(exchange.request)
        return bool(hop and hop.ports and hop.ports[-1] == killed_port)

    in_flight = [e for e in before if e.ended > killed_at and on_killed(e)]
    last_before = {e.sender: e for e in before}  # each sender's latest, as ordered by start
    next_after: dict[str, Exchange] = {}
    for exchange in after:
        next_after.setdefault(exchange.sender, exchange)
    cut = {e.sender for e in in_flight}
    stranded = Stranded()
    for sender, last in last_before.items():
        if not on_killed(last) or last.text.lower() in ENDINGS:
            continue
        stranded.conversations += 1
        stranded.cut += sender in cut
        following = next_after.get(sender)
        if following is None:
            stranded.not_sent += 1
            continue
        if following.answered and not on_killed(following):
            stranded.answered_by_other += 1
        elif following.status is None:
            stranded.no_response += 1
        else:
            stranded.refused += 1
        waits = stranded.waits_after_cut if sender in cut else stranded.waits_between
        waits.append(following.seconds)
    return KillFigures(
        killed_at,
        Window.of(before),
        Window.of(after),
        len(in_flight),
        sum(e.answered for e in in_flight),
        stranded,
    )


def median_and_max(values: Sequence[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return statistics.median(values), max(values)
