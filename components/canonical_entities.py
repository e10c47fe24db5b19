"""Turn the words SpacyEntityExtractor found into canonical values ("tummy" -> "abdomen")."""

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.vocabulary import project_vocabulary

PROCESSOR = "CanonicalEntityValues"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CanonicalEntityValues(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CanonicalEntityValues":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        vocabulary = project_vocabulary()
        for message in messages:
            for entity in message.get(ENTITIES, []):
                value = vocabulary.canonical(entity.get("entity"), entity.get("value"))
                if value and value != entity.get("value"):
                    entity["value"] = value
                    entity.setdefault("processors", []).append(PROCESSOR)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
