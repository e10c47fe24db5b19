"""Read and validate the curated YAML files under data/knowledge/.

Layout: `sources.yml` holds a `sources:` list; every file in `answers/` holds an
`answers:` list. Every problem found is reported with its file and entry, all at once,
so a curator can fix them in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.model import GENERAL_CONCERN, SOURCE_KINDS, Answer, KnowledgeBase, Source

SOURCES_FILE = "sources.yml"
TOPICS_FILE = "topics.yml"
ANSWERS_DIR = "answers"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

SOURCE_FIELDS = {"id", "title", "name", "kind", "publisher", "url", "doi", "year", "seed"}
# A source's short name fits one line of a phone screen.
MAX_SOURCE_NAME = 45
ANSWER_FIELDS = {"id", "topic", "concern", "short_answer", "details", "sources", "last_reviewed"}


@dataclass(frozen=True)
class Problem:
    file: Path
    entry: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f": entry '{self.entry}'" if self.entry else "")
        return f"{where}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge-base files are invalid; `problems` names each file, entry and problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def read_knowledge_base(directory: Path) -> KnowledgeBase:
    """Parse and validate every knowledge-base file; raise KnowledgeBaseError on any problem."""
    problems: list[Problem] = []
    sources = _read_sources(directory / SOURCES_FILE, problems)
    answer_files = sorted((directory / ANSWERS_DIR).glob("*.yml"))
    if not answer_files:
        problems.append(Problem(directory / ANSWERS_DIR, None, "no answer files (*.yml) found"))
    answers: list[Answer] = []
    seen: dict[str, Path] = {}
    seen_variants: dict[tuple[str, str], str] = {}
    for path in answer_files:
        for answer in _read_answers(path, sources, problems):
            if answer.id in seen:
                problems.append(
                    Problem(path, answer.id, f"duplicate id (already used in {seen[answer.id]})")
                )
                continue
            variant = (answer.topic, answer.concern)
            if variant in seen_variants:
                problems.append(
                    Problem(
                        path,
                        answer.id,
                        f"topic '{answer.topic}' with concern '{answer.concern}' "
                        f"is already answered by '{seen_variants[variant]}'",
                    )
                )
                continue
            seen[answer.id] = path
            seen_variants[variant] = answer.id
            answers.append(answer)
    titles = _read_topic_titles(directory / TOPICS_FILE, problems)
    for topic in sorted({answer.topic for answer in answers} - set(titles)):
        problems.append(Problem(directory / TOPICS_FILE, topic, "topic has answers but no title"))
    if problems:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase(sources=sources, answers=tuple(answers), topic_titles=titles)


def _load_section(path: Path, key: str, kind: type, problems: list[Problem]) -> Any:
    """The document's top-level `key:` section if it is a `kind`, else None (problem noted)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(path, None, "file not found"))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(path, None, f"malformed YAML{where}: {reason}"))
        return None
    if not isinstance(document, dict) or not isinstance(document.get(key), kind):
        shape = "list" if kind is list else "mapping"
        problems.append(Problem(path, None, f"expected a top-level '{key}:' {shape}"))
        return None
    return document[key]


def _load_list(path: Path, key: str, problems: list[Problem]) -> list[Any]:
    return _load_section(path, key, list, problems) or []


def _read_topic_titles(path: Path, problems: list[Problem]) -> dict[str, str]:
    titles = _load_section(path, "topics", dict, problems) or {}
    for topic, title in titles.items():
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(path, str(topic), "title must be a non-empty text"))
    return {str(topic): str(title).strip() for topic, title in titles.items()}


def _entries(path: Path, items: list[Any], fields: set[str], problems: list[Problem]):
    """Yield (entry_name, mapping) for each well-shaped item, recording shape problems."""
    for position, item in enumerate(items, start=1):
        name = item.get("id") if isinstance(item, dict) else None
        label = str(name) if name else f"#{position}"
        if not isinstance(item, dict):
            problems.append(Problem(path, label, "entry must be a mapping of fields"))
            continue
        unknown = sorted(set(item) - fields)
        if unknown:
            problems.append(Problem(path, label, f"unknown field(s): {', '.join(unknown)}"))
            continue
        if not isinstance(name, str) or not ID_PATTERN.match(name):
            problems.append(
                Problem(path, label, "missing or malformed 'id' (use lowercase words and dashes)")
            )
            continue
        yield label, item


def _text(item: dict, key: str) -> str | None:
    value = item.get(key)
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _read_sources(path: Path, problems: list[Problem]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for label, item in _entries(
        path, _load_list(path, "sources", problems), SOURCE_FIELDS, problems
    ):
        missing = [key for key in ("title", "name", "kind") if not _text(item, key)]
        if missing:
            problems.append(
                Problem(path, label, f"missing required field(s): {', '.join(missing)}")
            )
            continue
        if len(_text(item, "name")) > MAX_SOURCE_NAME:
            problems.append(
                Problem(path, label, f"name is longer than {MAX_SOURCE_NAME} characters")
            )
            continue
        if item["kind"] not in SOURCE_KINDS:
            problems.append(
                Problem(
                    path, label, f"kind '{item['kind']}' is not one of {', '.join(SOURCE_KINDS)}"
                )
            )
            continue
        # A paper whose DOI or PubMed record we do not know is cited by its journal reference
        # (authors and journal in `publisher`, and the year), never by a copy elsewhere.
        cited_by_reference = (
            item["kind"] == "journal_article" and _text(item, "publisher") and item.get("year")
        )
        if not cited_by_reference and not any(_text(item, k) for k in ("url", "doi", "seed")):
            problems.append(
                Problem(
                    path,
                    label,
                    "needs a url or doi (or the seed page it came from; a journal article may"
                    " give its authors, journal and year instead)",
                )
            )
            continue
        if label in sources:
            problems.append(Problem(path, label, "duplicate id"))
            continue
        year = item.get("year")
        sources[label] = Source(
            id=label,
            title=_text(item, "title"),
            name=_text(item, "name"),
            kind=item["kind"],
            publisher=_text(item, "publisher"),
            url=_text(item, "url"),
            doi=_text(item, "doi"),
            year=int(year) if isinstance(year, int) else None,
        )
    return sources


def _read_answers(path: Path, sources: dict[str, Source], problems: list[Problem]):
    for label, item in _entries(
        path, _load_list(path, "answers", problems), ANSWER_FIELDS, problems
    ):
        missing = [key for key in ("topic", "short_answer") if not _text(item, key)]
        if missing:
            problems.append(
                Problem(path, label, f"missing required field(s): {', '.join(missing)}")
            )
            continue
        source_ids = item.get("sources")
        if not isinstance(source_ids, list) or not source_ids:
            problems.append(Problem(path, label, "missing source: list at least one source id"))
            continue
        unknown = [str(source_id) for source_id in source_ids if source_id not in sources]
        if unknown:
            problems.append(Problem(path, label, f"unknown source id(s): {', '.join(unknown)}"))
            continue
        reviewed = item.get("last_reviewed")
        if not isinstance(reviewed, date):
            problems.append(
                Problem(path, label, "missing or malformed 'last_reviewed' (YYYY-MM-DD)")
            )
            continue
        concerns = _concerns(item.get("concern"))
        if concerns is None:
            problems.append(Problem(path, label, "'concern' must be a name or a list of names"))
            continue
        for number, concern in enumerate(concerns):
            yield Answer(
                # one entry written for several concerns is stored once per concern
                id=label if number == 0 else f"{label}--{concern.replace('_', '-')}",
                topic=_text(item, "topic"),
                concern=concern,
                short_answer=_text(item, "short_answer"),
                details=_text(item, "details"),
                source_ids=tuple(dict.fromkeys(source_ids)),
                last_reviewed=reviewed,
                file=str(path),
            )


def _concerns(value: Any) -> list[str] | None:
    """`concern: face` or `concern: [aspirin, nsaids]`; none given means the general answer."""
    if value is None:
        return [GENERAL_CONCERN]
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(name, str) and name.strip() for name in names):
        return None
    return [name.strip() for name in names]
