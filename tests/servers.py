"""Real PostgreSQL and Redis servers on loopback for the tests (fixtures in tests/conftest.py;
the end-to-end tests use them too). They live in bot/tools/local_services.py, which the
scale-out benchmark shares; a missing program raises its ServiceError, naming
`make prerequisites`."""

from __future__ import annotations

from bot.tools.local_services import postgres_server, redis_server

__all__ = ["postgres_server", "redis_server"]
