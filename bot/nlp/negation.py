"""Negation for rule-based entities: "I'm not pregnant", "no fever" do not count.

A spaCy component, placed after the entity ruler. An entity is negated when a negation
cue stands a few tokens before it in the same clause ("no fever, no pus", "I don't have
diabetes"); a clause break ("but", "just", ".", ";") ends the cue's reach. The cues and breaks
are the pipeline language's (knowledge/language/<code>.yml, bot/language.py). Negated
entities are removed from doc.ents and kept in doc.spans["negated"].
"""

# No `from __future__ import annotations`: spaCy reads the factory's signature at run time.
from collections.abc import Set

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.language import Negation, language_cues

CUE_WINDOW = 5
NEGATED_SPANS = "negated"
COMPONENT_NAME = "mesoguide_negation"


def is_negated(
    doc: Doc,
    entity: Span,
    negation: Negation,
    window: int = CUE_WINDOW,
    breaks: Set[str] | None = None,
) -> bool:
    """breaks: the words that end a cue's reach, the language's clause breaks by default."""
    breaks = negation.clause_breaks if breaks is None else breaks
    start = max(entity.start - window, 0)
    for index in range(entity.start - 1, start - 1, -1):
        word = doc[index].lower_
        if word in breaks:
            return False
        if word in negation.cues:
            return True
        if any(
            tuple(t.lower_ for t in doc[index : index + len(cue)]) == cue
            for cue in negation.phrases
        ):
            return True
    return False


class NegatedEntityFilter:
    def __init__(self, negation: Negation):
        self._negation = negation

    def __call__(self, doc: Doc) -> Doc:
        negated = [entity for entity in doc.ents if is_negated(doc, entity, self._negation)]
        if negated:
            # spaCy types Doc.ents as a one-element tuple; any tuple of spans is what it takes
            doc.ents = tuple(entity for entity in doc.ents if entity not in negated)  # type: ignore[assignment]
        doc.spans[NEGATED_SPANS] = negated
        return doc


@Language.factory(COMPONENT_NAME)
def remove_negated_entities(nlp: Language, name: str) -> NegatedEntityFilter:
    """The cues of the pipeline's language, read when the pipeline is built or loaded."""
    return NegatedEntityFilter(language_cues(nlp.lang).negation)
