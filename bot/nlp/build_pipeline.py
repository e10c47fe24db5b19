"""Build the spaCy pipeline Rasa loads (see config.yml), from code: nothing is downloaded.

Usage: python -m bot.nlp.build_pipeline [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

from bot.settings import PROJECT_ROOT

DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "spacy" / "mesoguide_en"
PIPELINE_NAME = "mesoguide_en"


def build_pipeline() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = "MesoGuide tokenizer, built from code with spacy.blank('en')"
    return nlp


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0]) if args else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(output)
    print(f"spaCy pipeline written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
