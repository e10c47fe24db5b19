"""Turn the words SpacyEntityExtractor found into canonical values ("tummy" -> "abdomen")."""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.stateless import StatelessComponent
from bot.vocabulary import project_vocabulary

PROCESSOR = "CanonicalEntityValues"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CanonicalEntityValues(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        vocabulary = project_vocabulary()
        for message in messages:
            for entity in message.get(ENTITIES, []):
                value = vocabulary.canonical(entity.get("entity"), entity.get("value"))
                if value and value != entity.get("value"):
                    entity["value"] = value
                    entity.setdefault("processors", []).append(PROCESSOR)
        return messages
