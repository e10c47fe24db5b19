"""Where MesoGuide finds its files and database, overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "build" / "knowledge.db"


def database_url() -> str:
    """The knowledge-base database: `DATABASE_URL` if set, else a SQLite file in build/."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_PATH}"


# Curated files outside Rasa's data/: each language's words (knowledge/language/<code>.yml)
# and the self-check's questions.
LANGUAGE_DIR = PROJECT_ROOT / "knowledge" / "language"
SELF_CHECK_FILE = PROJECT_ROOT / "knowledge" / "self_check.yml"
# Rasa's configuration; its `language:` names the patients' language.
CONFIG_FILE = PROJECT_ROOT / "config.yml"
