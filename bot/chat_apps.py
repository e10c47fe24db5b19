"""What the chat channels share, free of Rasa: message splitting and numbered menus."""

from __future__ import annotations

import ipaddress
import re
from functools import cache

from bot.language import LanguageCues, language_cues
from bot.privacy.pseudonyms import PSEUDONYMOUS_CHANNELS, pseudonym, sender_id_key

SENTENCE_BREAK = re.compile(r"((?<=[.!?])[ \t]+|\n+)")


def split_message(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut between sentences or lines where possible,
    else between words, else anywhere. Line breaks inside a piece are kept."""
    parts = SENTENCE_BREAK.split(text.strip())
    units = parts[0::2]
    breaks = ["", *parts[1::2]]
    pieces: list[str] = []
    current = ""
    for unit, joiner in zip(units, breaks, strict=True):
        for chunk in _fit(unit, limit):
            candidate = f"{current}{joiner}{chunk}" if current else chunk
            if len(candidate) <= limit:
                current = candidate
            else:
                pieces.append(current)
                current = chunk
            joiner = " "
    if current.strip():
        pieces.append(current)
    return [piece.strip() for piece in pieces if piece.strip()]


def _fit(sentence: str, limit: int) -> list[str]:
    """A sentence longer than the limit, cut between words (or anywhere, if it must)."""
    chunks = []
    while len(sentence) > limit:
        cut = sentence.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit
        chunks.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*chunks, sentence]


def numbered_menu(text: str, titles: list[str]) -> str:
    """ "Did you mean one of these?\\n1. What does it cost?\\n2. ..." """
    lines = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
    return "\n".join([text, *lines]) if text else "\n".join(lines)


@cache
def _option_number(words: tuple[str, ...]) -> re.Pattern:
    prefixes = "|".join([*map(re.escape, words), "#"])
    return re.compile(rf"^\s*(?:{prefixes})?\s*(\d{{1,2}})\s*[.)]?\s*$", re.IGNORECASE)


def option_number(reply: str, language: LanguageCues | None = None) -> int | None:
    """A reply that is only the number of an option: "2", "2.", "#2", or the number after one
    of the language's option words ("option 2")."""
    words = (language or language_cues()).option_words
    found = _option_number(words).match(reply)
    return int(found.group(1)) if found else None


def menu_choice(reply: str, options: list[tuple[str, str]]) -> str | None:
    """The payload a reply picks from (title, payload) options: "2", "2.", or the title."""
    number = option_number(reply)
    if number is not None:
        return options[number - 1][1] if 1 <= number <= len(options) else None
    answer = reply.strip().rstrip(".").strip().lower()
    for title, payload in options:
        if answer == title.strip().rstrip("?").lower() or answer == title.strip().lower():
            return payload
    return None


def scoped_sender_id(channel: str, sender_id: str, key: str | None = None) -> str:
    """The id a channel's sender is stored under: `<channel>:<id>`, so that no two channels
    share a conversation. A chat app's sender (Telegram's chat number, WhatsApp's
    `whatsapp:+<phone>`) is stored under its keyed pseudonym instead, `<channel>:<hmac>`
    (bot/privacy/pseudonyms.py; key: SENDER_ID_KEY or var/sender_id.key). REST and socket.io
    ids, chosen by their callers, are kept (one already starting with its own channel's name
    as it is): `rest:<id>`, also when the id looks like another channel's
    (`rest:whatsapp:+…`), so no other channel can make a chat app's stored id."""
    if channel in PSEUDONYMOUS_CHANNELS:
        return pseudonym(channel, sender_id, key or sender_id_key())
    prefix = f"{channel}:"
    return sender_id if sender_id.startswith(prefix) else prefix + sender_id


def is_local_address(address: str) -> bool:
    """True for a loopback address (127.0.0.0/8, ::1), as a server sees its peer."""
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False
