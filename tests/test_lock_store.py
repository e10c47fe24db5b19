"""The lock store from the settings (bot/adapters/lock_store.py): Redis when REDIS_URL is set,
in memory otherwise; and the Redis one really serialises a conversation across processes."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.adapters.lock_store import LockStoreFromSettings, redis_options
from bot.settings import Settings, SettingsError

OURS = EndpointConfig(type="bot.adapters.lock_store.LockStoreFromSettings")


def test_without_redis_url_rasa_gets_the_in_memory_lock_store(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert type(LockStore.create(OURS)) is InMemoryLockStore


def test_with_redis_url_rasa_gets_the_redis_lock_store(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://:s3cret@cache.internal:6380/2")
    store = LockStore.create(OURS)  # what Rasa does with endpoints.yml's lock_store
    assert type(store) is RedisLockStore
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("cache.internal", 6380, 2)
    assert connection["password"] == "s3cret"


def test_redis_urls_are_read_and_bad_ones_refused():
    assert redis_options("redis://localhost") == {
        "host": "localhost",
        "port": 6379,
        "db": 0,
        "username": None,
        "password": None,
        "use_ssl": False,
    }
    assert redis_options("rediss://user:p%40ss@h:7000/3")["password"] == "p@ss"
    for bad in ("http://localhost:6379", "redis://host/abc"):
        with pytest.raises(SettingsError, match="REDIS_URL"):
            redis_options(bad)


async def hold_the_same_conversation(first: LockStore, second: LockStore) -> list[str]:
    """Two stores (as in two Rasa processes) take the lock of one conversation; the second
    asks while the first holds it. Returns what happened, in order."""
    happened: list[str] = []

    async def handle(name: str, store: LockStore, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock("rest:same", wait_time_in_seconds=0.05):
            happened.append(f"{name} in")
            await asyncio.sleep(0.4)
            happened.append(f"{name} out")

    await asyncio.gather(handle("first", first, 0), handle("second", second, 0.1))
    return happened


async def test_the_redis_lock_store_serialises_a_conversation_across_processes(redis_url):
    settings = Settings(redis_url=redis_url)
    first, second = (
        LockStoreFromSettings(settings=settings),
        LockStoreFromSettings(settings=settings),
    )
    assert isinstance(first, RedisLockStore) and first.red is not second.red
    happened = await hold_the_same_conversation(first, second)
    assert happened == ["first in", "first out", "second in", "second out"]
    assert first.get_lock("rest:same") is None  # cleaned up


async def test_in_memory_locks_do_not_hold_across_processes():
    """Why several Rasa processes need Redis: each in-memory store has its own locks."""
    settings = Settings(redis_url="")
    happened = await hold_the_same_conversation(
        LockStoreFromSettings(settings=settings), LockStoreFromSettings(settings=settings)
    )
    assert happened == ["first in", "second in", "first out", "second out"]
