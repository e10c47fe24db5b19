"""Rasa's lookup of an event class by its type name, with the classes listed once.

Rasa 3.6 rebuilds a conversation from stored event dictionaries, and finds each one's class
with `Event.resolve_by_type`, which walks every subclass of Event again for every event (about
6 ms a message under load: `python -m bot.tools.bench.where_time_goes`). This gives the same
class from a table built on first use, and rebuilt when a name is not in it (a subclass
defined later).
"""

from __future__ import annotations

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_original = Event.resolve_by_type
_classes: dict[str, type[Event]] = {}


def _table() -> dict[str, type[Event]]:
    table: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # the first one, as Rasa's walk finds it
    return table


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    if type_name not in _classes:
        _classes.clear()
        _classes.update(_table())
    if type_name in _classes:
        return _classes[type_name]
    return _original(type_name, default)


def install_fast_event_types() -> None:
    """Replace Rasa's lookup in this process (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
