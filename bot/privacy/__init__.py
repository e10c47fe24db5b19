"""Personal data kept out of what we store and log: typed placeholders in its place."""

from bot.privacy.redaction import Span, find_personal_data, redact, redact_event

__all__ = ["Span", "find_personal_data", "redact", "redact_event"]
