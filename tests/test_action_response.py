"""The action server's replies are checked as Rasa checks them, with the schema checked once
(bot/adapters/action_response.py)."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.adapters import action_response

GOOD = {
    "events": [{"event": "slot", "name": "topic", "value": "cost"}],
    "responses": [{"response": "utter_answer"}],
}
BAD = {"events": [{"event": "slot", "name": 3}], "responses": "not a list"}


@pytest.fixture
def action():
    return RemoteAction("action_answer", None)


def test_good_and_bad_replies_are_judged_as_rasa_judges_them(action, monkeypatch):
    original = RemoteAction._validate_action_result
    assert original(action, GOOD) is True
    with pytest.raises(jsonschema.ValidationError) as rasa_error:
        original(action, BAD)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    action_response.install_fast_action_response_check()
    assert action._validate_action_result(GOOD) is True
    with pytest.raises(jsonschema.ValidationError) as our_error:
        action._validate_action_result(BAD)
    assert our_error.value.message == rasa_error.value.message
    assert "custom-actions" in our_error.value.message


def test_the_schema_is_checked_once(action, monkeypatch):
    checks = []
    validator_class = jsonschema.validators.validator_for(
        RemoteAction.action_response_format_spec()
    )
    original = validator_class.check_schema
    monkeypatch.setattr(
        validator_class, "check_schema", classmethod(lambda cls, s: checks.append(1) or original(s))
    )
    action_response._validator.cache_clear()
    for _ in range(20):
        assert action_response.validate_action_result(action, GOOD) is True
    assert len(checks) == 1
