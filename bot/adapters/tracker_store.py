"""Our tracker store: Rasa's SQL tracker store that keeps no one's personal data.

endpoints.yml:

    tracker_store:
      type: bot.adapters.tracker_store.PrivateSQLTrackerStore
      url: ${TRACKER_STORE_URL}

Rasa constructs it as `cls(host=url, domain=..., event_broker=..., **other_keys)`. It
- builds its engine from the URL (a SQLite file under var/ by default, PostgreSQL with a
  postgresql:// URL), creates Rasa's tables and runs our migration step: an index on
  events.sender_id, also for an events table created before Rasa declared one;
- redacts every new event (bot.privacy.redaction.redact_event) before it is stored, so no
  personal data reaches the table in clear; the columns Rasa fills from the event
  (type_name, timestamp, intent_name, action_name) are filled the same way;
- erases instead of saving when the new events include the "delete my data" action
  (bot.privacy.erasure.ERASE_ACTION): every event of that sender and our records go;
- redacts the Rasa process's logs too (bot.privacy.log_redaction), and makes its check of
  the action server's replies cheap (bot/adapters/action_response.py): this store is built
  once, at start, in every Rasa process.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.adapters.action_response import install_fast_action_response_check
from bot.knowledge.database import make_sqlite_folder
from bot.privacy import redaction
from bot.privacy.erasure import ERASE_ACTION, ensure_sender_index, forget_sender
from bot.privacy.log_redaction import install_log_redaction
from bot.settings import Settings

logger = logging.getLogger(__name__)


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        settings: Settings | None = None,
        **kwargs: Any,
    ) -> None:
        install_log_redaction()
        install_fast_action_response_check()
        self.settings = settings or Settings.from_environment()
        url = host or self.settings.tracker_store_url
        make_sqlite_folder(url)  # else Rasa's store retries forever
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        ensure_sender_index(self.engine)
        logger.info("Tracker store: %r", self.engine.url)  # repr masks the password

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events not stored yet, redacted; or forget the sender (see above)."""
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if any(_is_erasure(event) for event in new_events):
                session.close()
                self._forget(tracker.sender_id)
                return
            await self.stream_events(tracker)
            for event in new_events:
                session.add(self._row(tracker.sender_id, event))
            session.commit()
        logger.debug("Tracker stored to the database")

    def _row(self, sender_id: str, event: Event) -> Any:
        """Rasa's row for the event, its data redacted (the other columns as Rasa fills them)."""
        data = event.as_dict()
        intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=intent,
            action_name=data.get("name"),
            data=json.dumps(redaction.redact_event(data)),
        )

    def _forget(self, sender_id: str) -> None:
        """Nothing of this tracker is stored: its sender's events and records go (the
        counts are logged, never the sender id)."""
        forget_sender(sender_id, self.settings, tracker_engine=self.engine)


def _is_erasure(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION
