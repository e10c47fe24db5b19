"""The clinic's erasure endpoint: `POST /webhooks/privacy/forget` with `{"sender": "<id>"}`
and `Authorization: Bearer <PRIVACY_TOKEN>` deletes that sender's conversation and records
in every store (the same as a patient's "delete my data", or `make forget SENDER=<id>`).

Without the token, or when PRIVACY_TOKEN is unset, every request gets 401. The sender is the
stored id (`rest:1234`, `socketio:…`, `whatsapp:<pseudonym>`) or, as the clinic knows the
patient, a chat app's original id (`whatsapp:+15551234567`, `telegram:123456`): that one is
turned into the pseudonym it is stored under (bot/privacy/pseudonyms.py). The answer names
the stored id only, never the phone number.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.connectors.rest import TokenFromCredentials, bearer_token_matches
from bot.adapters.connectors.scoped import OnNewMessage
from bot.privacy.erasure import forget_given_sender

logger = logging.getLogger(__name__)


class ErasureInput(TokenFromCredentials, InputChannel):
    @classmethod
    def name(cls) -> str:
        return "privacy"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        privacy = Blueprint("privacy_erasure", __name__)

        @privacy.route("/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            if not self.token or not bearer_token_matches(request, self.token):
                return response.json(
                    {"error": "a valid 'Authorization: Bearer' token is required"}, 401
                )
            body = request.json if isinstance(request.json, dict) else {}
            sender = body.get("sender")
            if not isinstance(sender, str) or not sender.strip():
                return response.json({"error": 'send {"sender": "<channel>:<id>"}'}, 400)
            stored, erased = await asyncio.to_thread(forget_given_sender, sender.strip())
            logger.info("Erasure endpoint: forgot a sender (%s)", erased)
            return response.json({"sender": stored, "deleted": dataclasses.asdict(erased)})

        return privacy
