"""Read and validate the curated YAML files under knowledge/.

Layout: one file per topic, `topics/<topic>.yml`, holds the topic's `title` (shown on
buttons), its `answers:` list and, under `sources:`, the sources only this topic cites;
`sources.yml` holds the sources several topics cite (a source is defined once). Every
problem found is reported with its file and entry, all at once, so a curator can fix them
in one pass.
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
TOPICS_DIR = "topics"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
# A topic's name is its file's name and part of its intent's name (ask_<topic>).
TOPIC_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

TOPIC_FILE_FIELDS = {"title", "answers", "sources"}
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


@dataclass(frozen=True)
class _TopicFile:
    path: Path
    topic: str
    title: str | None
    answers: list[Any]
    sources: dict[str, Source]


def topic_file(directory: Path, topic: str) -> Path:
    """Where a topic's title, answers and own sources live."""
    return directory / TOPICS_DIR / f"{topic}.yml"


def read_knowledge_base(directory: Path) -> KnowledgeBase:
    """Parse and validate every knowledge-base file; raise KnowledgeBaseError on any problem."""
    problems: list[Problem] = []
    shared_file = directory / SOURCES_FILE
    shared = _read_sources(shared_file, _load_list(shared_file, "sources", problems), problems)
    paths = sorted((directory / TOPICS_DIR).glob("*.yml"))
    if not paths:
        problems.append(Problem(directory / TOPICS_DIR, None, "no topic files (*.yml) found"))
    topic_files = [topic for path in paths if (topic := _read_topic_file(path, problems))]

    sources = dict(shared)
    defined_in = {source_id: shared_file for source_id in shared}
    for topic in topic_files:
        for source_id, source in topic.sources.items():
            if source_id in defined_in:
                problems.append(
                    Problem(
                        topic.path, source_id, f"duplicate id (already in {defined_in[source_id]})"
                    )
                )
                continue
            defined_in[source_id] = topic.path
            sources[source_id] = source

    answers: list[Answer] = []
    seen: dict[str, Path] = {}
    seen_variants: dict[tuple[str, str], str] = {}
    for topic in topic_files:
        citable = {**shared, **topic.sources}
        for answer in _read_answers(topic, citable, defined_in, problems):
            if answer.id in seen:
                problems.append(
                    Problem(
                        topic.path, answer.id, f"duplicate id (already used in {seen[answer.id]})"
                    )
                )
                continue
            variant = (answer.topic, answer.concern)
            if variant in seen_variants:
                problems.append(
                    Problem(
                        topic.path,
                        answer.id,
                        f"topic '{answer.topic}' with concern '{answer.concern}' "
                        f"is already answered by '{seen_variants[variant]}'",
                    )
                )
                continue
            seen[answer.id] = topic.path
            seen_variants[variant] = answer.id
            answers.append(answer)
    if problems:
        raise KnowledgeBaseError(problems)
    titles = {topic.topic: topic.title for topic in topic_files if topic.title}
    return KnowledgeBase(sources=sources, answers=tuple(answers), topic_titles=titles)


def _load_document(path: Path, problems: list[Problem]) -> Any:
    """The parsed YAML document, or None when the file is missing or malformed (problem noted)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(path, None, "file not found"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(path, None, f"malformed YAML{where}: {reason}"))
    return None


def _load_list(path: Path, key: str, problems: list[Problem]) -> list[Any]:
    """The document's top-level `key:` list; empty (problem noted) when it has none."""
    count = len(problems)
    document = _load_document(path, problems)
    if len(problems) > count:
        return []
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        problems.append(Problem(path, None, f"expected a top-level '{key}:' list"))
        return []
    return document[key]


def _read_topic_file(path: Path, problems: list[Problem]) -> _TopicFile | None:
    topic = path.stem
    if not TOPIC_PATTERN.match(topic):
        problems.append(
            Problem(
                path,
                None,
                "a topic file is named after its topic: lowercase words joined by '_'"
                " (it becomes the intent ask_<topic>)",
            )
        )
        return None
    count = len(problems)
    document = _load_document(path, problems)
    if len(problems) > count:
        return None
    if not isinstance(document, dict):
        problems.append(Problem(path, None, "expected a mapping with 'title:' and 'answers:'"))
        return None
    unknown = sorted(set(document) - TOPIC_FILE_FIELDS)
    if unknown:
        problems.append(Problem(path, None, f"unknown top-level field(s): {', '.join(unknown)}"))
    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(path, topic, "missing title: give the topic a short 'title:'"))
        title = None
    answers = document.get("answers")
    if not isinstance(answers, list) or not answers:
        problems.append(Problem(path, None, "expected a top-level 'answers:' list"))
        answers = []
    sources = document.get("sources", [])
    if not isinstance(sources, list):
        problems.append(Problem(path, None, "'sources:' must be a list"))
        sources = []
    return _TopicFile(
        path=path,
        topic=topic,
        title=title.strip() if title else None,
        answers=answers,
        sources=_read_sources(path, sources, problems),
    )


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


def _read_sources(path: Path, items: list[Any], problems: list[Problem]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for label, item in _entries(path, items, SOURCE_FIELDS, problems):
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
            file=str(path),
        )
    return sources


def _read_answers(
    topic_file: _TopicFile,
    citable: dict[str, Source],
    defined_in: dict[str, Path],
    problems: list[Problem],
):
    """The topic file's answers; they cite shared sources or the topic's own."""
    path = topic_file.path
    for label, item in _entries(path, topic_file.answers, ANSWER_FIELDS, problems):
        topic = _text(item, "topic") or topic_file.topic
        if topic != topic_file.topic:
            problems.append(
                Problem(
                    path,
                    label,
                    f"an answer about topic '{topic}' belongs in its topic's file,"
                    f" {path.parent / (topic + '.yml')}",
                )
            )
            continue
        missing = [key for key in ("short_answer",) if not _text(item, key)]
        if missing:
            problems.append(
                Problem(path, label, f"missing required field(s): {', '.join(missing)}")
            )
            continue
        source_ids = item.get("sources")
        if not isinstance(source_ids, list) or not source_ids:
            problems.append(Problem(path, label, "missing source: list at least one source id"))
            continue
        other_topics = [s for s in source_ids if s not in citable and s in defined_in]
        if other_topics:
            problems.append(
                Problem(
                    path,
                    label,
                    f"source(s) {', '.join(other_topics)} belong to another topic's file"
                    f" ({defined_in[other_topics[0]]}): a source several topics cite is"
                    " defined in sources.yml",
                )
            )
            continue
        unknown = [str(source_id) for source_id in source_ids if source_id not in citable]
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
                topic=topic,
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
