"""Build the spaCy pipeline Rasa loads (see config.yml), from code: nothing is downloaded.

A blank English tokenizer plus an entity ruler whose patterns come from the knowledge
base's vocabulary (data/knowledge/vocabulary.yml).
Usage: python -m bot.nlp.build_pipeline [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.language import Language

from bot.settings import PROJECT_ROOT
from bot.vocabulary import CONCERN_LABEL, Vocabulary, read_vocabulary

DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "spacy" / "mesoguide_en"
PIPELINE_NAME = "mesoguide_en"


def concern_patterns(nlp: Language, vocabulary: Vocabulary) -> list[dict]:
    patterns = []
    for concern, phrases in vocabulary.concerns.items():
        for phrase in phrases:
            tokens = [{"LOWER": token.lower_} for token in nlp.make_doc(phrase)]
            patterns.append({"label": CONCERN_LABEL, "pattern": tokens, "id": concern})
    return patterns


def build_pipeline(vocabulary: Vocabulary) -> Language:
    nlp = spacy.blank("en")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = "MesoGuide: blank English tokenizer + entity ruler from the KB"
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(concern_patterns(nlp, vocabulary))
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
