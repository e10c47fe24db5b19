"""The benchmark's workloads and report (bot/tools/bench/load.py, versus_stock.py), driven
with a fake assistant: who sends what, how replies are timed, and the ratios in the table."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict

import pytest

from bot.tools.bench import load, versus_stock, where_time_goes
from bot.tools.bench.versus_stock import MESOGUIDE, STOCK, Assistant, Measures


class FakeAssistant:
    def __init__(self, delay: float = 0.0, fail_every: int = 0):
        self.delay = delay
        self.fail_every = fail_every
        self.received: dict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()
        self.count = 0

    def __call__(self, sender: str, text: str) -> object:
        with self._lock:
            self.count += 1
            self.received[sender].append(text.lower())  # patients type the case as they go
            failing = self.fail_every and self.count % self.fail_every == 0
        time.sleep(self.delay)
        if failing:
            raise ConnectionError("refused")
        return [{"text": "ok"}]


def test_percentiles_by_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert load.percentile(values, 0.5) == 50.0
    assert load.percentile(values, 0.95) == 95.0
    assert load.percentile(values, 0.99) == 99.0
    assert load.percentile([3.0], 0.99) == 3.0
    assert load.percentile([], 0.5) != load.percentile([], 0.5)  # NaN


def test_single_user_sends_each_patient_its_ten_messages_in_order():
    fake = FakeAssistant()
    timings = load.single_user(fake, patients=3)
    assert len(timings.latencies) == 30 and timings.errors == 0
    assert sorted(map(tuple, fake.received.values())) == sorted(
        tuple(text.lower() for text in load.patient_messages(n)) for n in range(3)
    )


def test_closed_loop_keeps_the_users_busy_and_counts_failures():
    fake = FakeAssistant(delay=0.01, fail_every=5)
    timings = load.closed_loop(fake, users=4, seconds=0.5)
    assert timings.errors > 0 and len(timings.latencies) > 4 * 10
    assert timings.errors + len(timings.latencies) == fake.count
    # every sender's messages are a patient's script, in order, and no more than ten
    scripts = [[text.lower() for text in script] for script in load.PATIENTS]
    assert all(
        any(texts == script[: len(texts)] for script in scripts) for texts in fake.received.values()
    )
    assert 0 < timings.throughput < 4 / 0.01 * 1.1


def test_open_loop_times_a_reply_from_when_it_was_due():
    slow = FakeAssistant(delay=0.05)
    timings = load.open_loop(slow, patients=20, seconds=2.0, mean_gap=0.5)
    assert len(timings.latencies) == slow.count > 20
    assert min(timings.latencies) >= 0.05


def test_the_ladder_stops_at_the_first_step_over_the_limit():
    def send(sender: str, text: str) -> object:
        # slower the more patients the step has (the sender's prefix names the step)
        patients = int(sender.split("-")[0].removeprefix("open"))
        time.sleep(0.001 if patients <= 10 else 0.05)
        return []

    served, steps = load.patients_served(
        send, [5, 10, 20, 40], seconds=1.0, limit=0.02, mean_gap=0.2
    )
    assert served == 10 and sorted(steps) == [5, 10, 20]


def test_a_long_lived_sender_is_one_sender():
    fake = FakeAssistant()
    times = load.long_lived_sender(fake, 25)
    assert len(times) == 25 and len(fake.received) == 1


def _timings(latencies: list[float], seconds: float = 1.0) -> load.Timings:
    timings = load.Timings(latencies=list(latencies))
    timings.duration = seconds
    return timings


def _measures(scale: float) -> Measures:
    measures = Measures()
    measures.single = [_timings([0.1 * scale] * 10), _timings([0.3 * scale] * 10)]
    measures.closed = {users: [_timings([0.2 * scale] * 20, 2.0)] for users in versus_stock.LOADS}
    measures.cpu_per_message = [0.01 * scale]
    measures.long_lived = [0.1 * scale] * versus_stock.LONG_MESSAGES
    measures.served = 40
    measures.peak_memory_mb = {"rasa": 500.0 * scale}
    return measures


def test_the_table_gives_medians_over_rounds_and_their_ratios():
    assistants = {
        name: Assistant(name, lambda s, t: None, [1], ready_seconds=10.0, train_seconds=60.0)
        for name in (STOCK, MESOGUIDE)
    }
    table = versus_stock.rows(assistants, {STOCK: _measures(1.0), MESOGUIDE: _measures(2.0)})
    by_label = {label: (a, b, ratio) for label, a, b, ratio, _ in table}
    assert by_label["single user, reply p50"] == pytest.approx((200.0, 400.0, 2.0))
    assert by_label["10 users, replies per second"] == pytest.approx((10.0, 10.0, 1.0))
    assert by_label["peak memory, Rasa server"] == pytest.approx((500.0, 1000.0, 2.0))
    assert by_label["training from scratch"] == pytest.approx((60.0, 60.0, 1.0))
    report = versus_stock.markdown(table, rounds=2, seconds=15)
    assert "| single user, reply p50 | 200.0 ms | 400.0 ms | 2.00 |" in report


class FakeStats:
    """What where_time_goes reads of pstats.Stats: (file, line, function) -> timings."""

    def __init__(self, entries):
        self.stats = {key: (calls, calls, 0.0, inside, {}) for key, calls, inside in entries}


def test_the_profile_summary_counts_a_wrapped_function_once_and_per_message():
    stats = FakeStats(
        [
            (("/x/rasa/core/processor.py", 152, "handle_message"), 40, 10.0),
            # a wrapper and the store it wraps: the same work, counted once
            (("/x/rasa/core/tracker_store.py", 1437, "retrieve"), 10, 4.0),
            (("/x/rasa/core/tracker_store.py", 1252, "retrieve"), 10, 3.9),
            (("/x/rasa/core/actions/action.py", 699, "_validate_action_result"), 10, 2.0),
        ]
    )
    assert where_time_goes.cumulative(stats, "rasa/core/tracker_store.py", "retrieve") == (4.0, 10)
    text = where_time_goes.summary(stats, messages=10)
    assert "   10.00      1000.0  handling messages, in all" in text
    assert "    4.00       400.0    reading the conversation" in text
    assert "    2.00       200.0        checking the action server's reply" in text


def test_each_patient_types_a_script_message_afresh_with_the_same_words():
    rng = random.Random(3)
    message = "how many sessions would i need"
    typed = {load.as_typed(message, rng) for _ in range(20)}
    assert len(typed) > 15
    assert {text.lower() for text in typed} == {message}
