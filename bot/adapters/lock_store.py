"""The lock store, chosen from the settings: Redis when REDIS_URL is set, else in memory.

endpoints.yml:

    lock_store:
      type: bot.adapters.lock_store.LockStoreFromSettings

Rasa serialises the messages of one conversation with a lock from its lock store. In memory
that lock only holds inside one process; with several Rasa processes behind one address,
the lock must live in Redis, shared by all of them.

Rasa accepts only a class for a custom lock store (it checks `inspect.isclass`) and calls it
as `cls(endpoint_config=endpoint_config)`. So `LockStoreFromSettings` is a class used like a
function: its `__new__` returns one of Rasa's own lock stores, `RedisLockStore` or
`InMemoryLockStore`, and no instance of itself is ever made (Python then skips its __init__).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.settings import Settings, SettingsError


def redis_options(url: str) -> dict[str, Any]:
    """RedisLockStore's arguments from redis://[[user]:password@]host[:port][/db]
    (rediss:// for TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise SettingsError(f"REDIS_URL: expected redis://[:password@]host:port/db, got {url!r}")
    db = parts.path.strip("/") or "0"
    if not db.isdigit():
        raise SettingsError(f"REDIS_URL: the database must be a number, got {db!r}")
    return {
        "host": parts.hostname,
        "port": parts.port or 6379,
        "db": int(db),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss",
    }


class LockStoreFromSettings:
    """Called like a class, returns RedisLockStore (REDIS_URL set) or InMemoryLockStore."""

    def __new__(  # type: ignore[misc]
        cls, endpoint_config: EndpointConfig | None = None, settings: Settings | None = None
    ) -> LockStore:
        settings = settings or Settings.from_environment()
        if not settings.redis_url:
            return InMemoryLockStore()
        return RedisLockStore(**redis_options(settings.redis_url))
