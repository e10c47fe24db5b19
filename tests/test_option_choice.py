"""Only a number ("2") becomes choose_option, whatever the classifier guessed."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.option_choice import CHOOSE_OPTION_INTENT, OptionChoice


def classified(text: str) -> Message:
    guess = {"name": "ask_sessions", "confidence": 0.6}
    message = Message(data={"text": text, "intent": guess, "intent_ranking": [guess]})
    OptionChoice(OptionChoice.get_default_config()).process([message])
    return message


@pytest.mark.parametrize("text", ["2", " 3. ", "option 4", "#1", "number 5"])
def test_a_bare_number_picks_an_option(text):
    message = classified(text)
    assert message.get("intent") == {"name": CHOOSE_OPTION_INTENT, "confidence": 1.0}
    assert [e["name"] for e in message.get("intent_ranking")] == [
        CHOOSE_OPTION_INTENT,
        "ask_sessions",
    ]


@pytest.mark.parametrize("text", ["2 sessions enough?", "is 3 too many", "", "🙂"])
def test_a_message_with_more_than_a_number_keeps_its_intent(text):
    assert classified(text).get("intent")["name"] == "ask_sessions"
