"""Chat-app senders are stored under a keyed pseudonym (bot/privacy/pseudonyms.py), and the
clinic can still erase them by their number."""

from __future__ import annotations

import re
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.privacy.pseudonyms import (
    is_pseudonym,
    key_from_file,
    pseudonym,
    sender_id_key,
    stored_sender_id,
)
from bot.settings import Settings

PHONE = "whatsapp:+15551234567"
KEY = "a-test-key-" + "0" * 40


def test_a_pseudonym_is_its_channel_and_24_hex_digits_stable_for_one_key():
    first = pseudonym("whatsapp", PHONE, KEY)
    assert re.fullmatch(r"whatsapp:[0-9a-f]{24}", first)
    assert pseudonym("whatsapp", PHONE, KEY) == first
    assert is_pseudonym(first)


def test_the_channel_prefix_of_the_original_id_makes_no_difference():
    assert pseudonym("whatsapp", PHONE, KEY) == pseudonym("whatsapp", "+15551234567", KEY)
    assert pseudonym("telegram", "123456", KEY) == pseudonym("telegram", "telegram:123456", KEY)


def test_a_pseudonym_differs_across_keys_senders_and_channels():
    assert pseudonym("whatsapp", PHONE, KEY) != pseudonym("whatsapp", PHONE, KEY + "x")
    assert pseudonym("whatsapp", PHONE, KEY) != pseudonym("whatsapp", PHONE[:-1] + "8", KEY)
    ids = {pseudonym(channel, "123456", KEY).split(":")[1] for channel in ("telegram", "whatsapp")}
    assert len(ids) == 2


def test_no_digits_of_the_number_are_in_the_pseudonym():
    stored = pseudonym("whatsapp", PHONE, KEY)
    assert "15551234567" not in stored and "1234567" not in stored and "+" not in stored
    assert pseudonym("telegram", "123456", KEY).find("123456") == -1


def test_a_pseudonym_needs_a_key():
    with pytest.raises(ValueError):
        pseudonym("whatsapp", PHONE, "")


def test_the_key_file_is_made_once_private_and_then_reused(tmp_path):
    path = tmp_path / "var" / "sender_id.key"
    key = key_from_file(path)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = path.stat().st_mtime_ns
    assert key_from_file(path) == key
    assert sender_id_key(Settings(), path) == key
    assert path.stat().st_mtime_ns == made
    assert [p.name for p in path.parent.iterdir()] == ["sender_id.key"]  # no temporary left


def test_processes_making_the_key_together_all_get_the_same_one(tmp_path):
    path = tmp_path / "sender_id.key"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: key_from_file(path), range(16)))
    assert len(keys) == 1 and [p.name for p in tmp_path.iterdir()] == ["sender_id.key"]


def test_sender_id_key_wins_over_the_file(tmp_path, monkeypatch):
    path = tmp_path / "sender_id.key"
    monkeypatch.setenv("SENDER_ID_KEY", "from-the-environment")
    assert sender_id_key(key_file=path) == "from-the-environment"
    assert not path.exists(), "the file is made only when it is needed"
    assert sender_id_key(Settings(sender_id_key="set"), path) == "set"
    monkeypatch.delenv("SENDER_ID_KEY")
    assert sender_id_key(Settings(), path) == path.read_text().strip()


def test_the_key_is_not_in_the_settings_repr():
    assert "s3cret" not in repr(Settings(sender_id_key="s3cret"))


@pytest.mark.parametrize("original", [PHONE, "telegram:123456", "telegram:-100123456"])
def test_an_original_chat_app_id_is_erased_under_its_pseudonym(original):
    settings = Settings(sender_id_key=KEY)
    channel, _, bare = original.partition(":")
    stored = stored_sender_id(original, settings)
    assert stored == pseudonym(channel, bare, KEY)
    assert stored_sender_id(stored, settings) == stored  # a stored id stays as it is


@pytest.mark.parametrize(
    "given", ["rest:1234", "socketio:abc", "rest:whatsapp:+15551234567", "whatever"]
)
def test_other_ids_are_their_stored_ids(given):
    assert stored_sender_id(given, Settings(sender_id_key=KEY)) == given
