"""Keep every question MesoGuide could not answer, so the team can add it to the knowledge base.

One JSON object per line in UNANSWERED_LOG (default var/unanswered.jsonl).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path

from bot.settings import Settings

logger = logging.getLogger(__name__)


def unanswered_log_path() -> Path:
    return Settings.from_environment().unanswered_log


def record_unanswered(text: str, suggested_topics: list[str]) -> None:
    entry = {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "text": text,
        "suggested_topics": suggested_topics,
    }
    logger.info("Unanswered question (suggested %s): %r", suggested_topics or "nothing", text)
    path = unanswered_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        logger.exception("Could not write the unanswered-question log %s", path)
