"""The servers most end-to-end tests share, started once per session: the action server and
the Rasa server on loopback, with Telegram and WhatsApp on (local fakes stand in for their
APIs). test_make.py and test_shell.py start their own: starting them is what they test."""

from __future__ import annotations

import pytest

from bot.tools.launcher import running_assistant
from tests.e2e.fakes import chat_app_environment, recording_server, telegram_reply, twilio_reply


@pytest.fixture(scope="session")
def fakes():
    """The fake Telegram Bot API and Twilio API, recording what the assistant sends them."""
    with recording_server(telegram_reply) as telegram, recording_server(twilio_reply) as twilio:
        yield telegram, twilio


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, fakes):
    telegram, twilio = fakes
    workdir = tmp_path_factory.mktemp("e2e-servers")
    with running_assistant(workdir, chat_app_environment(telegram.url, twilio.url)) as running:
        yield running
