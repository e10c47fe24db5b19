"""A message that is only an option's number ("2", "option 2") picks from the options last
shown: the intent becomes `choose_option`, whatever the classifier guessed, and
action_choose_option (actions/menu.py) looks the options up in the conversation. Where options
are a numbered list instead of buttons (`rasa shell`), this is how a person picks one.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.stateless import StatelessComponent
from bot.chat_apps import option_number

CHOOSE_OPTION_INTENT = "choose_option"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OptionChoice(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if option_number(message.get(TEXT) or "") is not None:
                intent = {"name": CHOOSE_OPTION_INTENT, "confidence": 1.0}
                others = [
                    entry
                    for entry in message.get(INTENT_RANKING_KEY) or []
                    if entry.get("name") != CHOOSE_OPTION_INTENT
                ]
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent, *others], add_to_output=True)
        return messages
