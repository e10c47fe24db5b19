"""Chat-app senders stored under a keyed pseudonym, never their phone number or chat id.

A WhatsApp sender's id is `whatsapp:+<phone>` and a Telegram one's a chat number: personal
identifiers. Their conversations and our records are kept under
`<channel>:<first 24 hex digits of HMAC-SHA256(key, "<channel>:<id>")>` instead. The same key
gives the same pseudonym, so a conversation goes on; without the key it cannot be turned
back into the number. REST and socket.io ids are chosen by their callers (random session
ids) and are kept as they are.

The key is SENDER_ID_KEY, or else one generated once and kept in var/sender_id.key (mode
0600). Every process that stores or erases conversations must use the same key: on several
machines, set SENDER_ID_KEY to the same value everywhere. Changing it starts new
conversations for chat-app users (their old ones are no longer found).

No Rasa here: the connectors (bot.chat_apps.scoped_sender_id), `make forget` and the
erasure endpoint all use these functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from bot.settings import SENDER_ID_KEY_FILE, Settings

# The channels whose senders' ids are personal (a chat number, a phone number).
PSEUDONYMOUS_CHANNELS = ("telegram", "whatsapp")
PSEUDONYM_LENGTH = 24
_PSEUDONYM = re.compile(rf"[0-9a-f]{{{PSEUDONYM_LENGTH}}}")


def pseudonym(channel: str, original_id: str, key: str) -> str:
    """`<channel>:<hmac>`: the id a chat-app sender is stored under. original_id is the id
    the channel gave, with or without its channel's prefix (`whatsapp:+1555…` or `+1555…`)."""
    if not key:
        raise ValueError("a pseudonym needs a key")
    prefix = f"{channel}:"
    bare = original_id.removeprefix(prefix)
    digest = hmac.new(key.encode(), f"{prefix}{bare}".encode(), hashlib.sha256).hexdigest()
    return prefix + digest[:PSEUDONYM_LENGTH]


def is_pseudonym(sender_id: str) -> bool:
    channel, separator, rest = sender_id.partition(":")
    return bool(separator) and channel in PSEUDONYMOUS_CHANNELS and bool(_PSEUDONYM.fullmatch(rest))


def sender_id_key(settings: Settings | None = None, key_file: Path = SENDER_ID_KEY_FILE) -> str:
    """SENDER_ID_KEY if set, else the key in key_file, made there the first time."""
    settings = settings or Settings.from_environment()
    return settings.sender_id_key or key_from_file(key_file)


def key_from_file(path: Path) -> str:
    """The key kept in path; the first caller writes a new random one (mode 0600). Made
    atomically: written to a temporary file and linked into place, so that processes starting
    together all end up with the one that was linked first."""
    with contextlib.suppress(FileNotFoundError):
        return _read_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as written:
            written.write(secrets.token_hex(32) + "\n")
            written.flush()
            os.fsync(written.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return _read_key(path)


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise ValueError(f"{path} is empty: delete it to make a new key, or set SENDER_ID_KEY")
    return key


def stored_sender_id(given: str, settings: Settings | None = None) -> str:
    """The id a sender's rows are stored under, from either that id or a chat app's original
    one: `whatsapp:+15551234567` and `telegram:123456` become their pseudonyms; a stored id
    (a pseudonym, `rest:…`, `socketio:…`) is kept as it is."""
    channel, separator, rest = given.partition(":")
    if not separator or channel not in PSEUDONYMOUS_CHANNELS or is_pseudonym(given):
        return given
    return pseudonym(channel, rest, sender_id_key(settings))
