"""Rasa's REST channel, scoped and guarded.

- Its conversations are `rest:<sender>` (see scoped.py): a REST caller cannot reach a
  Telegram, WhatsApp or widget conversation.
- Without a token (REST_TOKEN unset) it answers only this machine: a request from another
  address, or one a proxy forwarded, is refused (403). With a token, every request must
  carry `Authorization: Bearer <token>` (401 otherwise).
- The `input_channel` a caller names is ignored: a REST message is always a REST message.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from rasa.core.channels.channel import InputChannel
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.connectors.scoped import ChannelScopedSenders, OnNewMessage
from bot.chat_apps import is_local_address

logger = logging.getLogger(__name__)

FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def bearer_token_matches(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        value.strip().encode(), token.encode()
    )


def is_from_this_machine(request: Request) -> bool:
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False
    return is_local_address(request.ip or "")


def refusal(request: Request, token: str) -> HTTPResponse | None:
    """Why a request may not use the channel, as the response to send; None when it may."""
    if token:
        if bearer_token_matches(request, token):
            return None
        return response.json({"error": "a valid 'Authorization: Bearer' token is required"}, 401)
    if is_from_this_machine(request):
        return None
    return response.json(
        {"error": "this channel answers only this machine; set REST_TOKEN to open it"}, 403
    )


class TokenFromCredentials:
    """A channel whose one credential is an optional `token` (bot.tools.credentials)."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(token=(credentials or {}).get("token") or "")  # type: ignore[return-value]

    def __init__(self, token: str = "") -> None:
        self.token = token


class ScopedRestInput(ChannelScopedSenders, TokenFromCredentials, RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def guard(request: Request) -> HTTPResponse | None:
            refused = refusal(request, self.token)
            if refused is not None:
                logger.warning("REST channel: refused a request (%s)", refused.status)
            return refused

        return blueprint
