"""Run the red-flag check on every message, after the intent classifier.

When a message describes a red flag the intent becomes `report_red_flag`, whatever the
classifier said, and each group found is added as a `red_flag` entity, most urgent first.
The patterns (bot/safety/red_flags.py) escalate when they are certain, and so does the
crisis model above `crisis_above`: self-harm said in words no pattern foresaw gets the crisis
reply, since a kind crisis reply to a sad person costs little and a miss may cost a life.
The risk model (bot/safety/risk_model.py, over the sentence embedding) catches other
phrasings no pattern foresaw. Above `escalate_above` it escalates too; between `ask_above`
and that, or for a mild form ("lips a little puffy"), the groups come as `possible_red_flag`
entities and action_red_flag asks one yes/no question about the danger signs instead of
alarming or reassuring. Where the words say the symptom is past, reported, asked about in
general or a figure of speech, neither model escalates, nor does the risk model where a
pattern found a symptom denied; the risk model may still ask. A classifier guess of
`report_red_flag` that neither backs gives way to the classifier's next intent.
"""

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.sentence_embeddings import SENTENCE_EMBEDDING_KEY
from bot.adapters.nlu.stateless import StatelessComponent
from bot.safety.red_flags import (
    GENERAL_RED_FLAG,
    POSSIBLE_RED_FLAG_ENTITY,
    RED_FLAG_ENTITY,
    RED_FLAG_INTENT,
    project_detector,
)
from bot.safety.risk_model import (
    CRISIS_GROUP,
    DEFAULT_CRISIS_MODEL,
    DEFAULT_RISK_MODEL,
    RiskModel,
)

PROCESSOR = "RedFlagCheck"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagCheck(StatelessComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # ask_above: chosen on the dev half of tests/blind_safety/ (a missed emergency costs
        # more than a question to a calm person); crisis_above: on the crisis model's
        # out-of-fold scores, where it found 46 of the 87 self-harm messages the patterns
        # missed, for 20 of 1,307 calm look-alikes (before the context cues it defers to).
        return {
            "risk_model": str(DEFAULT_RISK_MODEL),
            "ask_above": 0.7,
            # out of fold: 83 of the 261 red flags the patterns missed, for 5 of 1,307 calm
            "escalate_above": 0.99,
            "crisis_model": str(DEFAULT_CRISIS_MODEL),
            "crisis_above": 0.9,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        project_detector()  # fail at start-up, not on the first message, if the file is bad
        self._risk = _load(config.get("risk_model"))
        self._crisis = _load(config.get("crisis_model"))
        self._ask_above = config["ask_above"]
        self._escalate_above = config["escalate_above"]
        self._crisis_above = config["crisis_above"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._check(message)
        return messages

    def _check(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        flags = project_detector().check(text)
        certain = [flag.group.id for flag in flags if flag.certain]
        groups = [flag.group.id for flag in flags] or [GENERAL_RED_FLAG]
        risk = _probability(self._risk, message)
        crisis = _probability(self._crisis, message)
        crisis_sure = (
            CRISIS_GROUP not in certain and crisis is not None and crisis >= self._crisis_above
        )
        nearly_sure = not certain and risk is not None and risk >= self._escalate_above
        # The words are read again only when a model is that sure, not for every message.
        if (crisis_sure or nearly_sure) and not project_detector().explains_away(text):
            if crisis_sure:
                certain.append(CRISIS_GROUP)
            elif not project_detector().dismisses_a_symptom(text):
                certain = groups
        classifier_says = (message.get(INTENT) or {}).get("name") == RED_FLAG_INTENT
        if certain:
            _set_red_flag(message, RED_FLAG_ENTITY, certain)
        elif flags or (classifier_says if risk is None else risk >= self._ask_above):
            _set_red_flag(message, POSSIBLE_RED_FLAG_ENTITY, groups)
        elif classifier_says:
            _next_intent(message)


def _load(path: str | None) -> RiskModel | None:
    return RiskModel.load(Path(path)) if path else None


def _probability(model: RiskModel | None, message: Message) -> float | None:
    embedding = message.get(SENTENCE_EMBEDDING_KEY)
    if model is None or embedding is None:
        return None
    return model.probability(embedding)


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
