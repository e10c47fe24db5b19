"""The action server's replies are judged as Rasa judges them, with the schema checked once and
each event checked against its own type (bot/adapters/action_response.py)."""

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
# Each bad in one way; Rasa refuses every one
REFUSED = [
    BAD,
    {"events": [{"event": "slot", "name": 3}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "topic"}]},
    {"events": [{"event": "user", "parse_data": {"intent": {"name": 7}}}]},
    {"events": [{"event": "bot", "text": "hi", "timestamp": "noon"}]},
    {"events": [{"event": "action", "name": "action_answer"}, {"event": "user", "text": 5}]},
    {"events": "slot"},
    {"responses": [3]},
]
ACCEPTED = [
    GOOD,
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "topic", "value": None, "timestamp": None},
            {"event": "bot", "text": "Hello", "data": {"buttons": []}, "metadata": {}},
            {"event": "followup", "name": "action_listen"},
            {"event": "active_loop", "name": None},
            {"event": "reset_slots"},
        ],
        "responses": [{"text": "Hello", "buttons": [{"title": "a", "payload": "/a"}]}],
    },
]


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
    assert "custom-actions" in our_error.value.message and "custom-actions" in str(rasa_error)


@pytest.mark.parametrize("reply", ACCEPTED)
def test_replies_rasa_accepts_are_accepted(action, reply):
    assert RemoteAction._validate_action_result(action, reply) is True
    assert action_response.validate_action_result(action, reply) is True


@pytest.mark.parametrize("reply", REFUSED)
def test_replies_rasa_refuses_are_refused(action, reply):
    with pytest.raises(jsonschema.ValidationError):
        RemoteAction._validate_action_result(action, reply)
    with pytest.raises(jsonschema.ValidationError):
        action_response.validate_action_result(action, reply)


def test_the_schema_is_checked_once(action, monkeypatch):
    checks = []
    validator_class = jsonschema.validators.validator_for(
        RemoteAction.action_response_format_spec()
    )
    original = validator_class.check_schema
    monkeypatch.setattr(
        validator_class, "check_schema", classmethod(lambda cls, s: checks.append(1) or original(s))
    )
    action_response._validators.cache_clear()
    for _ in range(20):
        assert action_response.validate_action_result(action, GOOD) is True
    assert len(checks) == 1
