"""Build the spaCy pipeline Rasa loads (see config.yml), from code: nothing is downloaded.

A blank tokenizer of the project's language (config.yml), an entity ruler whose patterns come
from the knowledge base's vocabulary (knowledge/vocabulary.yml), and the negation filter
with the language's cues (knowledge/language/<code>.yml).
Usage: python -m bot.tools.build_pipeline [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.language import Language

from bot.language import project_language
from bot.nlp import negation
from bot.settings import PROJECT_ROOT
from bot.vocabulary import Vocabulary, read_vocabulary

DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "spacy" / "mesoguide_en"
PIPELINE_NAME = "mesoguide_en"


def entity_patterns(nlp: Language, vocabulary: Vocabulary) -> list[dict]:
    return [
        {
            "label": label,
            "pattern": [{"LOWER": token.lower_} for token in nlp.make_doc(phrase)],
            "id": value,
        }
        for label, values in vocabulary.entities.items()
        for value, phrases in values.items()
        for phrase in phrases
    ]


def build_pipeline(vocabulary: Vocabulary, language: str | None = None) -> Language:
    nlp = spacy.blank(language or project_language())
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = "MesoGuide: tokenizer, entity ruler from the KB vocabulary, negation"
    nlp.add_pipe("entity_ruler").add_patterns(entity_patterns(nlp, vocabulary))
    nlp.add_pipe(negation.COMPONENT_NAME)
    return nlp


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0]) if args else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline(read_vocabulary()).to_disk(output)
    print(f"spaCy pipeline written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
