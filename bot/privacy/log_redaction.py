"""Personal data out of every log line: each record, from any logger, is redacted as it is made.

`install_log_redaction()` wraps the logging module's record factory once per process (a second
call does nothing). A record's message is formatted with its arguments first, then redacted,
and its arguments dropped, so that no handler or formatter sees the original words.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from bot.privacy.redaction import redact

_INSTALLED = "_mesoguide_redacts_personal_data"
_lock = threading.Lock()


def install_log_redaction() -> None:
    """Redact every log record made from now on; idempotent."""
    with _lock:
        current = logging.getLogRecordFactory()
        if getattr(current, _INSTALLED, False):
            return

        def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = current(*args, **kwargs)
            redact_record(record)
            return record

        setattr(redacting_factory, _INSTALLED, True)
        logging.setLogRecordFactory(redacting_factory)


def redact_record(record: logging.LogRecord) -> None:
    """The record's message formatted with its arguments, redacted; arguments dropped. Never
    raises: a message that cannot be formatted is kept with its arguments written after it."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - bad arguments for the message
        message = _unformatted(record)
    try:
        record.msg = redact(message)
    except Exception:  # noqa: BLE001 - redact does not raise; if it ever did, say nothing
        record.msg = "[REDACTED]"
    record.args = None


def _unformatted(record: logging.LogRecord) -> str:
    try:
        return f"{record.msg} {record.args!r}" if record.args else str(record.msg)
    except Exception:  # noqa: BLE001 - an argument whose repr fails
        return "[unprintable log message]"
