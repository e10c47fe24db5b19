"""Telegram, with what Rasa 3.6's connector lacks: the webhook's secret token is checked,
nothing calls the Bot API at start-up, buttons are an inline keyboard one per row, and long
answers are split between sentences under Telegram's limit.

Set the webhook yourself, with the same secret (see README, "Telegram").
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import split_message

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MESSAGE_LIMIT = 4096


class PagedTelegramOutput(TelegramOutput):
    def __init__(self, access_token: str, api_base: str | None = None) -> None:
        server = TelegramAPIServer.from_base(api_base) if api_base else None
        if server:
            Bot.__init__(self, access_token, server=server)
        else:
            Bot.__init__(self, access_token)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_message(text, MESSAGE_LIMIT):
            await self.send_message(recipient_id, piece)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        button_type: str | None = "vertical",
        **kwargs: Any,
    ) -> None:
        *first, last = split_message(text, MESSAGE_LIMIT) or [""]
        for piece in first:
            await self.send_message(recipient_id, piece)
        await super().send_text_with_buttons(
            recipient_id, last, buttons, button_type="vertical", **kwargs
        )


class SecureTelegramInput(TelegramInput):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials or not credentials.get("secret_token"):
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["access_token"], credentials["secret_token"], credentials.get("api_base")
        )

    def __init__(self, access_token: str, secret_token: str, api_base: str | None = None) -> None:
        super().__init__(access_token, verify=None, webhook_url=None, debug_mode=False)
        self.secret_token = secret_token
        self.api_base = api_base

    def get_output_channel(self) -> PagedTelegramOutput:
        return PagedTelegramOutput(self.access_token, self.api_base)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("secure_telegram_webhook", __name__)
        out_channel = self.get_output_channel()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                logger.warning("Telegram webhook: refused a request without the secret token")
                return response.text("forbidden", status=403)
            update = Update(**(request.json or {}))
            if update.callback_query:
                chat, text = update.callback_query.message.chat, update.callback_query.data
            else:
                found = update.message or update.edited_message
                chat, text = (found.chat, found.text) if found else (None, None)
            if chat is None or not text:
                return response.text("success")
            await on_new_message(
                UserMessage(
                    text,
                    out_channel,
                    str(chat.id),
                    input_channel=self.name(),
                    metadata=self.get_metadata(request),
                )
            )
            return response.text("success")

        return telegram_webhook
