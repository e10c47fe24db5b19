"""Every channel's conversations are its own: a sender id is stored as `<channel>:<id>`, so a
caller of the REST or socket.io channel can never address a Telegram or WhatsApp
conversation (their ids, a chat number or `whatsapp:+<phone>`, are easy to guess). A chat
app's sender is stored under a keyed pseudonym, `<channel>:<hmac>`, never the number itself
(bot/privacy/pseudonyms.py).

The channel's replies still go to the id it received: the output channel is wrapped so that
the stored id is turned back into the original one (the original is kept only in memory).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint

from bot.chat_apps import scoped_sender_id

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class ReplyToOriginalSender(OutputChannel):
    """An output channel that sends to the sender's id as its channel gave it."""

    def __init__(self, inner: OutputChannel, scoped_id: str, original_id: str) -> None:
        self.inner = inner
        self.scoped_id = scoped_id
        self.original_id = original_id

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if recipient_id == self.scoped_id:
            recipient_id = self.original_id
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)


def scoped_on_new_message(channel: str, on_new_message: OnNewMessage) -> OnNewMessage:
    async def handle(message: UserMessage) -> Any:
        original = str(message.sender_id)
        message.sender_id = scoped_sender_id(channel, original)
        message.input_channel = channel
        message.output_channel = ReplyToOriginalSender(
            message.output_channel, message.sender_id, original
        )
        return await on_new_message(message)

    return handle


class ChannelScopedSenders:
    """Mixin for an InputChannel (put it first among the bases)."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        channel = self.name()  # type: ignore[attr-defined]
        return super().blueprint(scoped_on_new_message(channel, on_new_message))  # type: ignore[misc]
