"""Reading the assistant's replies (REST and socket.io messages)."""

from __future__ import annotations


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text") or "" for reply in replies]


def text(replies: list[dict]) -> str:
    """Every reply's text, one after the other."""
    return "\n".join(texts(replies))
