"""The check of the action server's replies, with its validator built once.

Rasa 3.6 checks every reply of the action server against a JSON schema
(`RemoteAction._validate_action_result`) with `jsonschema.validate`, which first checks the
schema itself against JSON Schema's metaschema, on every call. Under load that was a third of
the Rasa server's time per message (`python -m bot.tools.bench.where_time_goes`). This is the
same check, with the same errors, the schema checked once per process.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(_validator().iter_errors(result))
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
