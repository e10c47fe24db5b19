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

    def citation(self) -> str:
        """A readable one-line reference: title, publisher and year, then a link if known;
        a journal article by its DOI when it has one."""
        who = ", ".join(str(part) for part in (self.publisher, self.year) if part)
        text = f"{self.title} ({who})" if who else self.title
        doi_link = f"https://doi.org/{self.doi}" if self.doi else None
        link = (doi_link or self.url) if self.kind == "journal_article" else (self.url or doi_link)
        return f"{text} {link}" if link else text


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
