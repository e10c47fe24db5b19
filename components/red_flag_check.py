"""Run the red-flag check on every message, after the intent classifier.

When a message describes a red flag the intent becomes `report_red_flag`, whatever the
classifier said, and each group found is added as a `red_flag` entity, most urgent first.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.red_flags import RED_FLAG_ENTITY, RED_FLAG_INTENT, project_detector
from components.stateless import StatelessComponent

PROCESSOR = "RedFlagCheck"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagCheck(StatelessComponent):
    def __init__(self) -> None:
        project_detector()  # fail at start-up, not on the first message, if the file is bad

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            flags = project_detector().check(text)
            if not flags:
                continue
            intent = {"name": RED_FLAG_INTENT, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get("name") != RED_FLAG_INTENT
            ]
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
            entities = list(message.get(ENTITIES) or [])
            entities.extend(
                {
                    "entity": RED_FLAG_ENTITY,
                    "value": flag.group.id,
                    "start": 0,
                    "end": len(text),
                    "extractor": PROCESSOR,
                }
                for flag in flags
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
