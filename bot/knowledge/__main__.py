"""Command line: `python -m bot.knowledge check|load`.

check  validate the YAML files only
load   validate, then replace the knowledge base in the database (DATABASE_URL)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.knowledge.database import engine_for
from bot.knowledge.files import KnowledgeBaseError, read_knowledge_base
from bot.knowledge.loader import load_into_database
from bot.settings import KNOWLEDGE_DIR, database_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.knowledge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=("check", "load"))
    parser.add_argument("--dir", type=Path, default=KNOWLEDGE_DIR, help="knowledge-base folder")
    parser.add_argument(
        "--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL)"
    )
    args = parser.parse_args(argv)

    try:
        knowledge_base = read_knowledge_base(args.dir)
    except KnowledgeBaseError as error:
        print(f"Knowledge base is invalid ({len(error.problems)} problem(s)):", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1

    summary = f"{len(knowledge_base.answers)} answers, {len(knowledge_base.sources)} sources"
    if args.command == "check":
        print(f"Knowledge base OK: {summary}")
        return 0
    url = args.database_url or database_url()
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    engine = engine_for(url)
    load_into_database(knowledge_base, engine)
    print(f"Knowledge base loaded: {summary} into {engine.url!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
