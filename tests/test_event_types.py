"""Event classes are found by type name as Rasa finds them, with the classes listed once
(bot/adapters/event_types.py)."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from bot.adapters import event_types


def test_every_event_type_resolves_to_rasas_class():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "slot", "action", "bot", "session_started"} <= names
    for name in names:
        assert event_types.resolve_by_type(name) is event_types._original(name)


def test_unknown_names_default_and_old_topics_as_in_rasa():
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        event_types.resolve_by_type("no_such_event")
    assert event_types.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert event_types.resolve_by_type("topic") is None


def test_the_classes_are_listed_once_and_again_for_a_new_name(monkeypatch):
    walks = []
    real = event_types.all_subclasses
    monkeypatch.setattr(event_types, "all_subclasses", lambda cls: walks.append(cls) or real(cls))
    event_types._classes.clear()
    for _ in range(50):
        assert event_types.resolve_by_type("user") is UserUttered
    assert len(walks) == 1

    class LateEvent(SlotSet):
        type_name = "late_event_for_test"

    assert event_types.resolve_by_type("late_event_for_test") is LateEvent
    assert len(walks) == 2


def test_installed_rasa_rebuilds_events_with_it(monkeypatch):
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    event_types.install_fast_event_types()
    assert Event.resolve_by_type is event_types.resolve_by_type
    event = Event.from_parameters({"event": "slot", "name": "topic", "value": "cost"})
    assert event == SlotSet("topic", "cost", timestamp=event.timestamp)
