"""Telegram, with what Rasa 3.6's connector lacks: the webhook's secret token is checked,
nothing calls the Bot API at start-up, buttons are an inline keyboard one per row, long
answers are split between sentences under Telegram's limit, and knowledge-base answers go
in Telegram's HTML mode, their source names as links (domain.yml's `telegram` variation).

Set the webhook yourself, with the same secret (see README, "Telegram").
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.connectors.scoped import scoped_on_new_message
from bot.chat_apps import split_message

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MESSAGE_LIMIT = 4096
# Responses whose `telegram` variation is HTML (the answer escaped, the sources as links);
# every other text goes as plain text, so a "<" in it can never break a message.
HTML_RESPONSES = frozenset({"utter_kb_answer", "utter_sourced_fact"})


def parse_mode_of(message_metadata: dict[str, Any]) -> str | None:
    return "HTML" if message_metadata.get("utter_action") in HTML_RESPONSES else None


class PagedTelegramOutput(TelegramOutput):
    def __init__(self, access_token: str, api_base: str | None = None) -> None:
        server = TelegramAPIServer.from_base(api_base) if api_base else None
        if server:
            Bot.__init__(self, access_token, server=server)
        else:
            Bot.__init__(self, access_token)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_message(text, MESSAGE_LIMIT):
            await self.send_message(recipient_id, piece, parse_mode=parse_mode_of(kwargs))

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        *first, last = split_message(text, MESSAGE_LIMIT) or [""]
        mode = parse_mode_of(kwargs)
        for piece in first:
            await self.send_message(recipient_id, piece, parse_mode=mode)
        keyboard = InlineKeyboardMarkup()
        for button in buttons:
            keyboard.row(InlineKeyboardButton(button["title"], callback_data=button["payload"]))
        await self.send_message(recipient_id, last, reply_markup=keyboard, parse_mode=mode)


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
        on_new_message = scoped_on_new_message(self.name(), on_new_message)
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
