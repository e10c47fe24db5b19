"""Our tracker store: Rasa's SQL tracker store that keeps no one's personal data.

endpoints.yml:

    tracker_store:
      type: bot.adapters.tracker_store.PrivateSQLTrackerStore
      url: ${TRACKER_STORE_URL}

Rasa constructs it as `cls(host=url, domain=..., event_broker=..., **other_keys)`. It
- builds its engine from the URL (a SQLite file under var/ by default, kept open in a pool
  with a write-ahead log: bot.knowledge.database.sqlite_file_engine; PostgreSQL with a
  postgresql:// URL),
  creates Rasa's tables and runs our migration step: an index on events.sender_id, also for
  an events table created before Rasa declared one;
- redacts every new event (bot.privacy.redaction.redact_event) before it is stored, so no
  personal data reaches the table in clear; the columns Rasa fills from the event
  (type_name, timestamp, intent_name, action_name) are filled the same way;
- erases instead of saving when the new events include the "delete my data" action
  (bot.privacy.erasure.ERASE_ACTION): every event of that sender and our records go;
- reads a conversation in a window of bounded size (bot.conversation_window): its latest
  checkpoint and the events after it, so a reply costs the same at the 200th message as at
  the 10th; `retrieve_full_tracker` (Rasa's tracker endpoint) still reads every event;
- redacts the Rasa process's logs too (bot.privacy.log_redaction), and makes its check of
  the action server's replies and its lookup of event classes cheap
  (bot/adapters/action_response.py, event_types.py): this store is built once, at start, in
  every Rasa process.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from bot import conversation_window as window
from bot.adapters.action_response import install_fast_action_response_check
from bot.adapters.event_types import install_fast_event_types
from bot.adapters.kept_connections import install_kept_connections
from bot.knowledge.database import make_sqlite_folder, sqlite_file_engine
from bot.privacy import redaction
from bot.privacy.erasure import ERASE_ACTION, ensure_sender_index, forget_sender
from bot.privacy.log_redaction import install_log_redaction
from bot.settings import Settings

logger = logging.getLogger(__name__)


class StoredTracker(DialogueStateTracker):
    """A tracker as read from the store: its first `prefix_length` events come from a
    checkpoint, `stored_count` of its events are stored, and `stored_ids` are the table ids of
    its stored events after the prefix (None when they could not be lined up)."""

    prefix_length = 0
    stored_count = 0
    stored_ids: list[int] | None = None


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
        install_fast_event_types()
        install_kept_connections()
        self.settings = settings or Settings.from_environment()
        url = host or self.settings.tracker_store_url
        make_sqlite_folder(url)  # else Rasa's store retries forever
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        pooled = sqlite_file_engine(self.engine.url)
        if pooled is not None:  # Rasa's engine opens the file anew for every session
            self.engine.dispose()
            self.engine, self.sessionmaker = pooled, sessionmaker(bind=pooled)
        ensure_sender_index(self.engine)
        window.ensure_table(self.engine)
        logger.info("Tracker store: %r", self.engine.url)  # repr masks the password

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session, from its checkpoint on (see above)."""
        with self.session_scope() as session:
            checkpoint = window.latest_checkpoint(session.connection(), sender_id)
            if checkpoint is None:
                rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
                prefix, stored = [], rows.all()
            else:
                prefix, stored = (
                    checkpoint.events,
                    self._events_after(session, sender_id, checkpoint),
                )
            events = [json.loads(row.data) for row in stored]
            ids = [row.id for row in stored]
        if not self.domain or not events:
            return None
        tracker = StoredTracker.from_dict(sender_id, prefix + events, self.domain.slots)
        tracker.prefix_length = len(prefix)
        tracker.stored_count = len(tracker.events)
        tracker.stored_ids = ids if len(tracker.events) == len(prefix) + len(ids) else None
        return tracker

    def _events_after(self, session: Any, sender_id: str, checkpoint: window.Checkpoint) -> list:
        """The rows after the checkpoint; from the latest session start among them, if any
        (then the checkpoint belongs to an earlier session)."""
        rows = (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > checkpoint.event_id)
            .order_by(self.SQLEvent.id)
            .all()
        )
        starts = [i for i, row in enumerate(rows) if row.type_name == SessionStarted.type_name]
        return rows[starts[-1] :] if starts else rows

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events not stored yet, redacted; or forget the sender (see above)."""
        with self.session_scope() as session:
            if isinstance(tracker, StoredTracker):
                new_events = list(tracker.events)[tracker.stored_count :]
            else:
                new_events = list(self._additional_events(session, tracker))
            if any(_is_erasure(event) for event in new_events):
                session.close()
                self._forget(tracker.sender_id)
                return
            await self.stream_events(tracker)
            rows = [self._row(tracker.sender_id, event) for event in new_events]
            session.add_all(rows)
            session.flush()
            if isinstance(tracker, StoredTracker):
                self._move_checkpoint(session, tracker, [row.id for row in rows])
            session.commit()
        logger.debug("Tracker stored to the database")

    def _move_checkpoint(self, session: Any, tracker: StoredTracker, new_ids: list[int]) -> None:
        """Note what is stored now; when the window is full, a checkpoint some turns back."""
        tracker.stored_count = len(tracker.events)
        if tracker.stored_ids is None or self.domain is None:
            return
        tracker.stored_ids = ids = tracker.stored_ids + new_ids
        events = list(tracker.events)
        cut = window.cut_point([_kind(event) for event in events], tracker.prefix_length)
        if cut is None:
            return
        state = DialogueStateTracker.from_events(tracker.sender_id, events[:cut], self.domain.slots)
        if state.active_loop_name:
            return  # a form in progress: its state is more than slots; try at a later turn
        listen = events[cut - 1]
        window.save_checkpoint(
            session.connection(),
            tracker.sender_id,
            event_id=ids[cut - 1 - tracker.prefix_length],
            timestamp=listen.timestamp,
            events=[
                redaction.redact_event(event.as_dict())
                for event in _state_events(state, events[:cut], listen)
            ],
        )

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


def _kind(event: Event) -> str:
    if isinstance(event, UserUttered):
        return window.USER
    if isinstance(event, SessionStarted):
        return window.SESSION
    if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
        return window.LISTEN
    return window.OTHER


def _state_events(state: DialogueStateTracker, before: list[Event], listen: Event) -> list[Event]:
    """Events that recreate `state`: its session's start, its slots that are set, and the
    action_listen that ends it."""
    starts = [event for event in before if isinstance(event, SessionStarted)]
    slots = [
        SlotSet(slot.name, slot.value, timestamp=listen.timestamp)
        for slot in state.slots.values()
        if slot.value != slot.initial_value
    ]
    return [*starts[-1:], *slots, listen]


def _is_erasure(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION
