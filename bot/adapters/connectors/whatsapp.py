"""WhatsApp through Twilio, with what Rasa 3.6's connector lacks: every request's
X-Twilio-Signature is checked with the twilio library's RequestValidator, options are sent
as a numbered list ("2" or the option's text picks one), and long answers are split
between sentences under the channel's limit. The options last sent are kept in the database
(bot/records.py) under the sender's pseudonym, so that any Rasa process can read the reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.adapters.connectors.scoped import scoped_on_new_message
from bot.chat_apps import menu_choice, numbered_menu, scoped_sender_id, split_message
from bot.records import last_menu, save_menu

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
MESSAGE_LIMIT = 1600
TWILIO_API = "https://api.twilio.com"
CHANNEL = "whatsapp"


class WhatsAppOutput(TwilioOutput):
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        api_base: str | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.api_base = api_base

    def request(self, method: str, uri: str, *args: Any, **kwargs: Any) -> Any:
        if self.api_base:
            uri = uri.replace(TWILIO_API, self.api_base.rstrip("/"), 1)
        return super().request(method, uri, *args, **kwargs)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_message(text, MESSAGE_LIMIT):
            await self._send_message(
                {"to": recipient_id, "from_": self.twilio_number, "body": piece}
            )

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        options = [(b["title"], b["payload"]) for b in buttons]
        stored_id = scoped_sender_id(CHANNEL, recipient_id)
        await asyncio.to_thread(save_menu, stored_id, options)
        await self.send_text_message(recipient_id, numbered_menu(text, [t for t, _ in options]))


class SignedTwilioInput(TwilioInput):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["account_sid"],
            credentials["auth_token"],
            credentials["twilio_number"],
            webhook_url=credentials.get("webhook_url"),
            api_base=credentials.get("api_base"),
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        webhook_url: str | None = None,
        api_base: str | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        self.validator = RequestValidator(auth_token)
        self.webhook_url = webhook_url
        self.api_base = api_base

    def get_output_channel(self) -> WhatsAppOutput:
        return WhatsAppOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_base)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = scoped_on_new_message(self.name(), on_new_message)
        whatsapp_webhook = Blueprint("signed_twilio_webhook", __name__)

        @whatsapp_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @whatsapp_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            form = {key: values[0] for key, values in request.form.items()}
            # Behind a proxy Rasa sees its own address; Twilio signed the public one.
            url = self.webhook_url or request.url
            signature = request.headers.get(SIGNATURE_HEADER, "")
            if not signature or not self.validator.validate(url, form, signature):
                logger.warning("WhatsApp webhook: refused a request with no valid signature")
                return response.text("forbidden", status=403)
            sender, text = form.get("From"), form.get("Body")
            if not sender or text is None:
                return response.text("", status=204)
            options = await asyncio.to_thread(last_menu, scoped_sender_id(CHANNEL, sender))
            text = menu_choice(text, options) or text
            await on_new_message(
                UserMessage(
                    text,
                    self.get_output_channel(),
                    sender,
                    input_channel=self.name(),
                    metadata=self.get_metadata(request),
                )
            )
            return response.text("", status=204)

        return whatsapp_webhook
