"""Rasa's calls to an endpoint reuse one connection (bot/adapters/kept_connections.py)."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot.adapters import kept_connections


async def _client_ports(calls: int, pause: float = 0.0, close: bool = True) -> list[int]:
    """The client ports of `calls` POSTs made through Rasa's EndpointConfig.request."""
    ports: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "seen": await request.json()})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    try:
        for i in range(calls):
            reply = await endpoint.request(json={"call": i}, method="post")
            assert reply == {"events": [], "seen": {"call": i}}
            await asyncio.sleep(pause)
    finally:
        if close:
            await kept_connections.close_kept_sessions()
        await runner.cleanup()
    return ports


@pytest.fixture
def kept(monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)
    kept_connections.install_kept_connections()


def test_rasa_alone_opens_a_connection_per_call(monkeypatch):
    # (other tests' tracker stores may have installed the kept connections in this process)
    monkeypatch.setattr(EndpointConfig, "session", kept_connections._rasa_session)
    assert len(set(asyncio.run(_client_ports(3)))) == 3


def test_calls_share_one_kept_connection(kept):
    ports = asyncio.run(_client_ports(5))
    assert len(ports) == 5 and len(set(ports)) == 1


def test_an_idle_connection_is_not_reused(kept, monkeypatch):
    # the action server closes idle connections itself; reusing one as it does would fail
    monkeypatch.setattr(kept_connections, "KEEPALIVE_SECONDS", 0.05)
    assert len(set(asyncio.run(_client_ports(3, pause=0.2)))) == 3


def test_each_event_loop_has_its_own_session(kept):
    # a session belongs to the loop it was made in: a second loop must not reuse it
    first = asyncio.run(_client_ports(2))
    second = asyncio.run(_client_ports(2))
    assert len(set(first)) == 1 and len(set(second)) == 1


def test_a_finished_loops_sessions_are_never_handed_to_another(kept):
    # a server has one loop; tests and tools may run many, one after another, without closing
    for _ in range(3):
        assert len(set(asyncio.run(_client_ports(2, close=False)))) == 1
    assert len(kept_connections._kept) == 1  # the last loop's; the others' were dropped


def test_outside_an_event_loop_rasas_own_session_is_given(kept, monkeypatch):
    made = object()
    monkeypatch.setattr(kept_connections, "_rasa_session", lambda endpoint: made)
    assert EndpointConfig("http://127.0.0.1:9/").session() is made
