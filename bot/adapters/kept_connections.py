"""One kept HTTP client per endpoint, so the action server's connection is reused.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp client session, and with it a new
connection, for every call to the action server, and closes it after the reply: on every
message. This gives each endpoint one client session per event loop, with its connections
kept open; the requests and replies themselves are Rasa's, unchanged.

A connection idle for KEEPALIVE_SECONDS is not reused. The action server (Sanic) closes idle
connections after 5 s; reusing one just as it closes would fail the call.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

KEEPALIVE_SECONDS = 2.0

_rasa_session = EndpointConfig.session
# A session belongs to its event loop: a server has one; the sessions of loops that have
# closed since (tests, tools) are dropped when another loop comes.
_kept: dict[asyncio.AbstractEventLoop, dict[tuple, aiohttp.ClientSession]] = {}


class _Borrowed:
    """`async with` a kept session without closing it at the end."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_: object) -> None:
        return None


def kept_session(endpoint: EndpointConfig) -> Any:
    """The endpoint's kept session for this event loop (outside one: Rasa's own)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no running loop: a session that closes as Rasa's does
        return _rasa_session(endpoint)
    sessions = _kept.get(loop)
    if sessions is None:
        for closed in [other for other in _kept if other.is_closed()]:
            del _kept[closed]
        sessions = _kept[loop] = {}
    key = (
        endpoint.url,
        tuple(sorted(endpoint.headers.items())),
        tuple(sorted(endpoint.basic_auth.items())),
    )
    session = sessions.get(key)
    if session is None or session.closed:
        session = sessions[key] = _new_session(endpoint)
    return _Borrowed(session)


def _new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's session (rasa/utils/endpoints.py) with idle connections dropped sooner."""
    auth = endpoint.basic_auth
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=aiohttp.BasicAuth(auth["username"], auth["password"]) if auth else None,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
    )


async def close_kept_sessions() -> None:
    """Close this loop's kept sessions (a server's are closed with its process)."""
    for session in _kept.pop(asyncio.get_running_loop(), {}).values():
        await session.close()


def install_kept_connections() -> None:
    """Make Rasa's endpoints keep their connections in this process (idempotent)."""
    EndpointConfig.session = kept_session  # type: ignore[method-assign]
