"""The check of the action server's replies, with its validator built once.

Rasa 3.6 checks every reply of the action server against a JSON schema
(`RemoteAction._validate_action_result`) with `jsonschema.validate`, which first checks the
schema itself against JSON Schema's metaschema, on every call. Under load that was a third of
the Rasa server's time per message (`python -m bot.tools.bench.where_time_goes`). This is the
same check, the schema checked once per process.

The schema lets each event be any one of 23 event types ("oneOf"), so jsonschema tried every
type for every event of every reply (about 1.3 ms a message). The types differ in their
`event` name, so an event is valid exactly when it is valid as the type it names: each event
is checked against that one type.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _validators() -> tuple[Any, dict[str, Any]]:
    """The reply's validator with the events' oneOf left out, and one validator per event type."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    event_types = schema["properties"]["events"]["items"].pop("oneOf")
    by_name = {
        event_type["properties"]["event"]["const"]: validator_class(event_type)
        for event_type in event_types
    }
    return validator_class(schema), by_name


def _errors(result: Any) -> list[ValidationError]:
    reply, by_name = _validators()
    errors = list(reply.iter_errors(result))
    if errors:
        return errors
    for event in result.get("events") or []:
        validator = by_name.get(event["event"])
        if validator is None:
            return [ValidationError(f"{event['event']!r} is not a known event type")]
        errors.extend(validator.iter_errors(event))
    return errors


def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    # the original's words: rasa/core/actions/action.py, _validate_action_result
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        "the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install_fast_action_response_check() -> None:
    """Replace Rasa's check in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
