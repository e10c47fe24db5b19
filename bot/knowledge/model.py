"""Plain records for the knowledge base, shared by the file reader and the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SOURCE_KINDS = (
    "clinic_page",
    "health_site",
    "company_page",
    "journal_article",
    "professional_society",
    "regulator",
    "news_report",
)
GENERAL_CONCERN = "general"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    publisher: str | None = None
    url: str | None = None
    doi: str | None = None
    year: int | None = None

    name: str | None = None
    # the YAML file it is defined in, for error messages
    file: str | None = field(default=None, compare=False)

    @property
    def short_name(self) -> str:
        """What a patient sees under an answer ("NHS"); the title if it has no name."""
        return self.name or self.title

    @property
    def link(self) -> str | None:
        """The one address to open: a journal article's DOI when it has one, else its page."""
        doi_link = f"https://doi.org/{self.doi}" if self.doi else None
        if self.kind == "journal_article":
            return doi_link or self.url
        return self.url or doi_link


@dataclass(frozen=True)
class Answer:
    id: str
    topic: str
    short_answer: str
    source_ids: tuple[str, ...]
    last_reviewed: date
    concern: str = GENERAL_CONCERN
    details: str | None = None
    file: str | None = None  # the YAML file it came from, for error messages


@dataclass(frozen=True)
class KnowledgeBase:
    sources: dict[str, Source] = field(default_factory=dict)
    answers: tuple[Answer, ...] = ()
    topic_titles: dict[str, str] = field(default_factory=dict)

    def topics(self) -> set[str]:
        return {answer.topic for answer in self.answers}
