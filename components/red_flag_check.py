"""Run the red-flag check on every message, after the intent classifier.

When a message describes a red flag the intent becomes `report_red_flag`, whatever the
classifier said, and each group found is added as a `red_flag` entity, most urgent first.
The patterns (bot/safety/red_flags.py) decide when they are certain; otherwise the risk
model (bot/safety/risk_model.py: the sentence embedding and the pattern hits) gives the
probability of a red flag. Above `escalate_above` it is one; above `ask_above`, or for a mild
form ("lips a little puffy"), the groups come as `possible_red_flag` entities and
action_red_flag asks one yes/no question about the danger signs instead of alarming or
reassuring. A classifier guess of `report_red_flag` that neither backs gives way to the
classifier's next intent.
"""

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety.red_flags import (
    GENERAL_RED_FLAG,
    POSSIBLE_RED_FLAG_ENTITY,
    RED_FLAG_ENTITY,
    RED_FLAG_INTENT,
    project_detector,
)
from bot.safety.risk_model import DEFAULT_RISK_MODEL, RiskModel
from components.sentence_embeddings import SENTENCE_EMBEDDING_KEY

PROCESSOR = "RedFlagCheck"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagCheck(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # chosen on the dev half of tests/blind_safety/ (a missed emergency costs more than
        # a question to a calm person)
        return {"risk_model": str(DEFAULT_RISK_MODEL), "escalate_above": 0.9, "ask_above": 0.5}

    def __init__(self, config: Dict[Text, Any]) -> None:
        project_detector()  # fail at start-up, not on the first message, if the file is bad
        self._risk: RiskModel | None = (
            RiskModel.load(Path(config["risk_model"])) if config.get("risk_model") else None
        )
        self._escalate_above = config["escalate_above"]
        self._ask_above = config["ask_above"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls({**cls.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._check(message)
        return messages

    def _check(self, message: Message) -> None:
        flags = project_detector().check(message.get(TEXT) or "")
        certain = [flag.group.id for flag in flags if flag.certain]
        groups = [flag.group.id for flag in flags] or [GENERAL_RED_FLAG]
        risk = self._probability(message, flags)
        classifier_says = (message.get(INTENT) or {}).get("name") == RED_FLAG_INTENT
        if certain:
            _set_red_flag(message, RED_FLAG_ENTITY, certain)
        elif risk is not None and risk >= self._escalate_above:
            _set_red_flag(message, RED_FLAG_ENTITY, groups)
        elif flags or (classifier_says if risk is None else risk >= self._ask_above):
            _set_red_flag(message, POSSIBLE_RED_FLAG_ENTITY, groups)
        elif classifier_says:
            _next_intent(message)

    def _probability(self, message: Message, flags: list) -> float | None:
        embedding = message.get(SENTENCE_EMBEDDING_KEY)
        if self._risk is None or embedding is None:
            return None
        return self._risk.probability(embedding, flags)


def _set_red_flag(message: Message, entity: str, groups: List[str]) -> None:
    text = message.get(TEXT) or ""
    intent = {"name": RED_FLAG_INTENT, "confidence": 1.0}
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *_ranking_without_red_flag(message)], True)
    entities = list(message.get(ENTITIES) or [])
    entities.extend(
        {"entity": entity, "value": group, "start": 0, "end": len(text), "extractor": PROCESSOR}
        for group in groups
    )
    message.set(ENTITIES, entities, add_to_output=True)


def _next_intent(message: Message) -> None:
    """The classifier thought red flag and nothing backs it: take its next guess."""
    ranking = _ranking_without_red_flag(message)
    if ranking:
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _ranking_without_red_flag(message: Message) -> List[Dict[Text, Any]]:
    return [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get("name") != RED_FLAG_INTENT]
