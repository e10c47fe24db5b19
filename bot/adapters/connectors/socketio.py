"""Rasa's socket.io channel (the website widget) with its conversations scoped as
`socketio:<session id>` (see scoped.py): a page can never address another channel's
conversation, whatever session id it sends."""

from __future__ import annotations

from rasa.core.channels.socketio import SocketIOInput

from bot.adapters.connectors.scoped import ChannelScopedSenders


class ScopedSocketIOInput(ChannelScopedSenders, SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"
