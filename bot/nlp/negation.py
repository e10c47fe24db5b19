"""Negation for rule-based entities: "I'm not pregnant", "no fever" do not count.

A spaCy component, placed after the entity ruler. An entity is negated when a negation
cue stands a few tokens before it in the same clause ("no fever, no pus", "I don't have
diabetes"); a clause break ("but", "just", ".", ";") ends the cue's reach. Negated entities are
removed from doc.ents and kept in doc.spans["negated"].
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

NEGATION_CUES = {
    "no",
    "not",
    "n't",
    "never",
    "without",
    "none",
    "nor",
    "neither",
    "denies",
    "deny",
    "nt",
    "dont",
    "doesnt",
    "didnt",
    "isnt",
    "arent",
    "wasnt",
    "havent",
    "hasnt",
    "cant",
    "aint",
    "nothing",
    "zero",
}
MULTI_WORD_CUES = (("free", "of"), ("negative", "for"), ("no", "signs", "of"))
CLAUSE_BREAKS = {
    "but",
    "however",
    "although",
    "though",
    "except",
    "yet",
    "just",
    "only",
    "still",
    "apart",
    "besides",
    "aside",
    ".",
    ";",
    "!",
    "?",
}
CUE_WINDOW = 5
NEGATED_SPANS = "negated"
COMPONENT_NAME = "mesoguide_negation"


def is_negated(
    doc: Doc, entity: Span, window: int = CUE_WINDOW, breaks: set[str] = CLAUSE_BREAKS
) -> bool:
    start = max(entity.start - window, 0)
    for index in range(entity.start - 1, start - 1, -1):
        word = doc[index].lower_
        if word in breaks:
            return False
        if word in NEGATION_CUES:
            return True
        if any(
            tuple(t.lower_ for t in doc[index : index + len(cue)]) == cue for cue in MULTI_WORD_CUES
        ):
            return True
    return False


@Language.component(COMPONENT_NAME)
def remove_negated_entities(doc: Doc) -> Doc:
    negated = [entity for entity in doc.ents if is_negated(doc, entity)]
    if negated:
        # spaCy types Doc.ents as a one-element tuple; any tuple of spans is what it takes
        doc.ents = tuple(entity for entity in doc.ents if entity not in negated)  # type: ignore[assignment]
    doc.spans[NEGATED_SPANS] = negated
    return doc
