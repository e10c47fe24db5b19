"""Command line: `python -m bot.tools.knowledge check|load|generate`.

check     validate the YAML files, then check every answer is readable (grade <= 8, at
          most 60 words) and reachable (intent, NLU examples, rule, concern), every language
          file (knowledge/language/), the self-check's questions (knowledge/self_check.yml),
          and that the generated Rasa parts are up to date - make kb-check
load      validate the YAML files, then replace the knowledge base and each topic's example
          questions (data/nlu.yml) in the database (DATABASE_URL) in one transaction - make kb
generate  write the Rasa parts that only repeat the knowledge base (domain.yml's topic
          intents and the self-check's slots, form and questions; data/topic_rules.yml)
          - make generate
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.knowledge.database import engine_for
from bot.language import LanguageFileError, language_cues
from bot.safety.red_flags import RedFlagDetector
from bot.settings import PROJECT_ROOT, database_url
from bot.tools.knowledge.checks import (
    citation_problems,
    grade_summary,
    reachability_problems,
    readability_problems,
    self_check_problems,
)
from bot.tools.knowledge.files import KnowledgeBaseError, Problem, read_knowledge_base
from bot.tools.knowledge.generate import GenerateError, drift, write
from bot.tools.knowledge.loader import load_into_database
from bot.tools.training_data import ProjectFiles
from bot.vocabulary import read_vocabulary


def report(problems: list[Problem]) -> int:
    print(f"Knowledge base is invalid ({len(problems)} problem(s)):", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def language_problems(directory: Path) -> list[Problem]:
    """Every language file (knowledge/language/<code>.yml) read and checked, not only the
    project's language."""
    problems = []
    for path in sorted(directory.glob("*.yml")):
        try:
            language_cues(path.stem, directory)
        except LanguageFileError as error:
            problems.append(Problem(path, None, str(error).removeprefix(f"{path}: ")))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.tools.knowledge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=("check", "load", "generate"))
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project folder")
    parser.add_argument(
        "--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL)"
    )
    args = parser.parse_args(argv)
    knowledge_dir = args.root / "knowledge"

    try:
        knowledge_base = read_knowledge_base(knowledge_dir)
    except KnowledgeBaseError as error:
        return report(error.problems)
    summary = f"{len(knowledge_base.answers)} answers, {len(knowledge_base.sources)} sources"

    if args.command == "generate":
        try:
            changed = write(knowledge_base, args.root)
        except GenerateError as error:
            return report([Problem(args.root, None, str(error))])
        names = ", ".join(str(path.relative_to(args.root)) for path in changed)
        print(f"Generated: {names}" if changed else "Generated parts already up to date")
        return 0

    if args.command == "check":
        vocabulary = read_vocabulary(knowledge_dir / "vocabulary.yml")
        red_flags_file = knowledge_dir / "red_flags.yml"
        red_flag_groups = (
            set(RedFlagDetector.from_file(red_flags_file).groups)
            if red_flags_file.exists()
            else set()
        )
        self_check_file = knowledge_dir / "self_check.yml"
        problems = (
            drift(knowledge_base, args.root)
            + language_problems(knowledge_dir / "language")
            + (
                self_check_problems(knowledge_base, self_check_file)
                if self_check_file.exists()
                else []
            )
            + readability_problems(knowledge_base)
            + citation_problems(knowledge_base)
            + reachability_problems(
                knowledge_base, ProjectFiles(args.root), vocabulary, red_flag_groups
            )
        )
        if problems:
            return report(problems)
        topics = len(knowledge_base.topics())
        print(f"Knowledge base OK: {summary}, {topics} topics; {grade_summary(knowledge_base)}")
        return 0

    url = args.database_url or database_url()
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    engine = engine_for(url)
    load_into_database(knowledge_base, engine, ProjectFiles(args.root).topic_examples())
    print(f"Knowledge base loaded: {summary} into {engine.url!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
