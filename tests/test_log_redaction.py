"""Every log record is redacted as it is made (bot/privacy/log_redaction.py)."""

from __future__ import annotations

import io
import logging

import pytest

from bot.privacy import log_redaction
from bot.privacy.log_redaction import install_log_redaction


@pytest.fixture
def captured():
    """A real logger writing through a formatter to a buffer, with the redaction installed;
    the process's record factory is put back afterwards."""
    factory = logging.getLogRecordFactory()
    install_log_redaction()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("mesoguide.test.privacy")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)
    logging.setLogRecordFactory(factory)


def test_an_email_a_phone_and_a_name_never_reach_the_log(captured):
    logger, buffer = captured
    logger.info("user said: %s", "my name is Hedda Lunde, hedda.lunde@ex.no, +47 412 34 567")
    logger.warning("message from %s", "Thanks, Bram")
    logger.error("slot %(slot)s = %(value)s", {"slot": "email", "value": "bram@ex.be"})
    output = buffer.getvalue()
    for secret in ("Hedda", "Lunde", "hedda.lunde@ex.no", "412 34 567", "Bram", "bram@ex.be"):
        assert secret not in output
    assert "user said: my name is [NAME], [EMAIL], [PHONE]" in output
    assert "message from Thanks, [NAME]" in output
    assert "slot email = [EMAIL]" in output


def test_the_record_carries_the_redacted_message_and_no_arguments(captured):
    logger, _ = captured
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 1, "call %s", ("07700 900461",), None
    )
    assert record.msg == "call [PHONE]" and record.args is None
    assert record.getMessage() == "call [PHONE]"


def test_a_record_with_bad_arguments_does_not_raise(captured):
    logger, buffer = captured

    class Unprintable:
        def __str__(self):
            raise RuntimeError("no")

        __repr__ = __str__

    logger.info("two %s %s", "only one, kim@ex.com")
    logger.info("%d apples", "not a number")
    logger.info("odd %s", Unprintable())
    logger.info(Unprintable())
    output = buffer.getvalue()
    assert "kim@ex.com" not in output and "[EMAIL]" in output
    assert "apples" in output


def test_installing_twice_wraps_once(captured):
    first = logging.getLogRecordFactory()
    install_log_redaction()
    assert logging.getLogRecordFactory() is first
    assert getattr(first, log_redaction._INSTALLED)


def test_other_loggers_are_redacted_too(captured):
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    other = logging.getLogger("rasa.core.processor.test")
    other.addHandler(handler)
    other.setLevel(logging.DEBUG)
    other.propagate = False
    try:
        other.debug("Received user message '%s'", "I'm Saoirse, born 4/9/1987")
    finally:
        other.removeHandler(handler)
    assert buffer.getvalue().strip() == "Received user message 'I'm [NAME], born [DATE_OF_BIRTH]'"
