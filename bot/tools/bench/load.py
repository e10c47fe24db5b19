"""Workloads for the REST benchmark (bot/tools/bench/versus_stock.py), for any assistant.

Every workload sends simulated patients' messages through a `send(sender, text)` callable and
times each reply; a patient is a sender of its own who sends the ten messages of one of the
PATIENTS scripts in order. Nothing here knows which assistant answers.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

Send = Callable[[str, str], object]

# Ten messages each, as patients write them: questions, follow-ups, worries, thanks.
PATIENTS = [
    [
        "hi",
        "what is mesotherapy exactly?",
        "does it hurt?",
        "how many sessions would i need",
        "how much is one session",
        "is there any downtime",
        "can i wear makeup after",
        "how long do results last",
        "ok thanks",
        "bye",
    ],
    [
        "Hello, I'm thinking about meso for my hair",
        "Does it work for hair loss?",
        "What goes in the injections?",
        "Is it safe if I'm on blood thinners?",
        "What are the side effects?",
        "How soon will I see a difference?",
        "Is there research behind it?",
        "and the price?",
        "great, thank you",
        "goodbye",
    ],
    [
        "hey",
        "can meso get rid of my double chin",
        "how does it work on fat",
        "will i bruise a lot",
        "how do i prepare for the first session",
        "can i go to the gym after",
        "my friend had swelling for a week, is that normal",
        "who should not have it",
        "thanks a lot",
        "see you",
    ],
    [
        "good morning",
        "is mesotherapy the same as microneedling?",
        "what does it treat",
        "i'm pregnant, can i have it",
        "what happens during a session",
        "how long does a session take",
        "do results last long",
        "how much does it cost in total",
        "thank you!",
        "bye bye",
    ],
]


def patient_messages(number: int) -> list[str]:
    return PATIENTS[number % len(PATIENTS)]


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass
class Timings:
    """Reply times in seconds, and how many requests failed, over a wall-clock duration."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    duration: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, seconds: float | None) -> None:
        with self._lock:
            if seconds is None:
                self.errors += 1
            else:
                self.latencies.append(seconds)

    @property
    def throughput(self) -> float:
        """Replies per second."""
        return len(self.latencies) / self.duration if self.duration else 0.0

    def percentile(self, share: float) -> float:
        return percentile(self.latencies, share)


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def as_typed(text: str, rng: random.Random | None = None) -> str:
    """The message as one more patient types it: the same words, some letters' case as typed.
    Real patients seldom send the same text twice; a script replayed verbatim would let any
    cache keyed by the text (MesoGuide's sentence encoder keeps one) answer for free. Both
    assistants read the words in lower case, so the meaning does not change."""
    rng = rng or random
    return "".join(c.swapcase() if c.isalpha() and rng.random() < 0.1 else c for c in text)


def timed(send: Send, sender: str, text: str) -> float | None:
    text = as_typed(text)
    started = time.perf_counter()
    try:
        send(sender, text)
    except Exception:  # noqa: BLE001 - a failed request is counted, not raised
        return None
    return time.perf_counter() - started


def single_user(send: Send, patients: int, prefix: str = "single") -> Timings:
    """One patient after another, each message after the reply to the one before."""
    timings = Timings()
    started = time.perf_counter()
    for number in range(patients):
        sender = new_sender(prefix)
        for text in patient_messages(number):
            timings.add(timed(send, sender, text))
    timings.duration = time.perf_counter() - started
    return timings


def closed_loop(send: Send, users: int, seconds: float, prefix: str = "closed") -> Timings:
    """`users` patients at once, each sending its next message as soon as it has the reply,
    a new patient after every ten messages, until `seconds` have passed."""
    timings = Timings()
    deadline = time.perf_counter() + seconds
    counter = itertools.count()

    def user() -> None:
        while time.perf_counter() < deadline:
            number = next(counter)
            sender = new_sender(prefix)
            for text in patient_messages(number):
                if time.perf_counter() >= deadline:
                    return
                timings.add(timed(send, sender, text))

    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        for _ in range(users):
            pool.submit(user)
    timings.duration = time.perf_counter() - started
    return timings


def open_loop(
    send: Send,
    patients: int,
    seconds: float,
    mean_gap: float = 20.0,
    seed: int = 0,
    prefix: str = "open",
) -> Timings:
    """`patients` patients, each sending a message every `mean_gap` seconds on average
    (exponential gaps, whatever the replies' speed), for `seconds`."""
    rng = random.Random(seed)
    timings = Timings()
    sends: list[tuple[float, str, str]] = []
    for number in range(patients):
        sender = new_sender(prefix)
        moment = rng.uniform(0, mean_gap)
        for text in itertools.cycle(patient_messages(number)):
            if moment >= seconds:
                break
            sends.append((moment, sender, text))
            moment += rng.expovariate(1 / mean_gap)
    sends.sort()
    started = time.perf_counter()

    def due(moment: float, sender: str, text: str) -> None:
        # timed from when the message was due, so that waiting for a free thread counts
        seconds = timed(send, sender, text)
        timings.add(None if seconds is None else time.perf_counter() - (started + moment))

    with ThreadPoolExecutor(max(4, min(64, patients))) as pool:
        for moment, sender, text in sends:
            delay = started + moment - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(due, moment, sender, text)
    timings.duration = time.perf_counter() - started
    return timings


def patients_served(
    send: Send,
    ladder: Sequence[int],
    seconds: float,
    limit: float = 0.5,
    mean_gap: float = 20.0,
    prefix: str = "open",
) -> tuple[int, dict[int, Timings]]:
    """The most patients of the ladder served with a p95 reply under `limit` seconds (0 if
    none), climbing until one step fails; each step's timings."""
    served, steps = 0, {}
    for patients in ladder:
        timings = open_loop(send, patients, seconds, mean_gap, prefix=f"{prefix}{patients}")
        steps[patients] = timings
        if timings.errors or not timings.latencies or timings.percentile(0.95) >= limit:
            break
        served = patients
    return served, steps


def long_lived_sender(send: Send, messages: int, prefix: str = "long") -> list[float]:
    """One sender's reply times for `messages` messages in a row (the patients' messages over
    and over), as a Telegram or WhatsApp user's conversation grows."""
    sender = new_sender(prefix)
    texts = itertools.cycle([text for script in PATIENTS for text in script])
    times = []
    for _ in range(messages):
        seconds = timed(send, sender, next(texts))
        times.append(float("nan") if seconds is None else seconds)
    return times


def median_of(values: Sequence[float]) -> float:
    kept = [value for value in values if value == value]
    return statistics.median(kept) if kept else float("nan")
