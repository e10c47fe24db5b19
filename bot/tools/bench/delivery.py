"""Simulated patients through the load balancer, and whether their messages were kept.

`PatientClients.send` is the `send` of bot/tools/bench/load.py's workloads: each user (a
thread of its own in load.closed_loop) connects from its own loopback address in a /24 of its
own, as patients come from different networks (nginx's ip_hash hashes an IPv4 address's first
three octets, so all of 127.0.0.1 would go to one Rasa process). Every message and what came
back is journalled; `check_sender` then holds each sender's journal against the tracker
store, each message as the store keeps it: redacted (an oddly typed word may look like a
name to the redactor).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from bot.tools.bench.balancer import REQUEST_HEADER
from bot.tools.stored_conversations import StoredConversation, Turn

MAX_USERS = 254  # one /24 each: 127.0.1.1 to 127.0.254.1


@dataclass(frozen=True)
class Exchange:
    """One message sent through the balancer, and what came back."""

    user: int
    sender: str
    number: int  # its place in the sender's conversation, from 0
    text: str
    started: float  # seconds since the run began
    seconds: float  # until the reply, the refusal or the error
    status: int | None  # HTTP status; None: no response (connection error, timeout)
    error: str = ""

    @property
    def answered(self) -> bool:
        return self.status == 200

    @property
    def request(self) -> str:
        """The name it carried in REQUEST_HEADER (and in nginx's access log)."""
        return f"{self.sender}/{self.number}"

    @property
    def ended(self) -> float:
        return self.started + self.seconds


def source_address(user: int) -> str:
    """The loopback address user number `user` (from 0) sends from: each in its own /24."""
    if not 0 <= user < MAX_USERS:
        raise ValueError(f"at most {MAX_USERS} users, one /24 each; got user {user}")
    return f"127.0.{user + 1}.1"


class SourceAddressAdapter(HTTPAdapter):
    """An HTTP adapter whose connections all leave from one local address."""

    def __init__(self, address: str) -> None:
        self.address = address  # before HTTPAdapter.__init__, which builds the pool manager
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


class PatientClients:
    """The balancer's REST webhook for many users at once, every exchange journalled."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout
        self.began = time.monotonic()
        self.exchanges: list[Exchange] = []
        self._users = itertools.count()
        self._mine = threading.local()
        self._sessions: list[requests.Session] = []
        self._sent: dict[str, int] = {}
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the run began."""
        return time.monotonic() - self.began

    def send(self, sender: str, text: str) -> object:
        """Send one message; raise unless the reply came (HTTP 200)."""
        user, session = self._session()
        with self._lock:
            number = self._sent.get(sender, 0)
            self._sent[sender] = number + 1
        started = self.now()
        request = f"{sender}/{number}"
        status, error = None, ""
        try:
            response = session.post(
                self.url,
                json={"sender": sender, "message": text},
                headers={REQUEST_HEADER: request},
                timeout=self.timeout,
            )
            status = response.status_code
            response.raise_for_status()
            return response.json()
        except requests.RequestException as failure:
            error = type(failure).__name__
            raise
        finally:
            exchange = Exchange(
                user, sender, number, text, started, self.now() - started, status, error
            )
            with self._lock:
                self.exchanges.append(exchange)

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def _session(self) -> tuple[int, requests.Session]:
        if not hasattr(self._mine, "session"):
            with self._lock:
                user = next(self._users)
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {self.token}"
            adapter = SourceAddressAdapter(source_address(user))
            session.mount("http://", adapter)
            self._mine.user, self._mine.session = user, session
            with self._lock:
                self._sessions.append(session)
        return self._mine.user, self._mine.session


def by_sender(exchanges: Iterable[Exchange]) -> dict[str, list[Exchange]]:
    """Each sender's exchanges in the order sent."""
    senders: dict[str, list[Exchange]] = {}
    for exchange in sorted(exchanges, key=lambda e: (e.sender, e.number)):
        senders.setdefault(exchange.sender, []).append(exchange)
    return senders


@dataclass
class SenderCheck:
    """One sender's messages against its stored conversation."""

    problems: list[str] = field(default_factory=list)
    unanswered_stored: int = 0  # refused or unanswered, yet stored with a reply
    unanswered_absent: int = 0


def check_sender(
    sent: Sequence[Exchange], stored: Sequence[Turn], as_stored: Callable[[str], str] = str
) -> SenderCheck:
    """Every answered message stored once (as `as_stored` gives it), in the order sent,
    followed by a bot event; an unanswered one either absent or stored likewise; nothing
    else stored."""
    check = SenderCheck()
    turns = iter(stored)
    turn = next(turns, None)
    for exchange in sent:
        if turn is not None and turn.message == as_stored(exchange.text):
            if not turn.replies:
                check.problems.append(f"stored without a reply: {exchange.text!r}")
            if not exchange.answered:
                check.unanswered_stored += 1
            turn = next(turns, None)
        elif exchange.answered:
            check.problems.append(f"answered but not stored here: {exchange.text!r}")
        else:
            check.unanswered_absent += 1
    while turn is not None:
        check.problems.append(f"stored but not sent here: {turn.message!r}")
        turn = next(turns, None)
    return check


@dataclass
class Delivery:
    """A run's messages against the tracker store, over all its senders."""

    senders: int = 0
    messages: int = 0
    answered: int = 0
    mismatched_senders: int = 0
    unanswered_stored: int = 0
    unanswered_absent: int = 0
    problems: list[str] = field(default_factory=list)  # "<sender>: <problem>"


def check_delivery(
    exchanges: Iterable[Exchange],
    stored: Mapping[str, StoredConversation],
    as_stored: Callable[[str], str] = str,
) -> Delivery:
    delivery = Delivery()
    sent = by_sender(exchanges)
    for sender in sorted(set(sent) | set(stored)):
        mine = sent.get(sender, [])
        check = check_sender(mine, stored[sender].turns if sender in stored else [], as_stored)
        delivery.senders += 1
        delivery.messages += len(mine)
        delivery.answered += sum(exchange.answered for exchange in mine)
        delivery.mismatched_senders += bool(check.problems)
        delivery.unanswered_stored += check.unanswered_stored
        delivery.unanswered_absent += check.unanswered_absent
        delivery.problems += [f"{sender}: {problem}" for problem in check.problems]
    return delivery
