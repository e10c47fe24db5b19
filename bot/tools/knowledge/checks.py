"""Checks that keep the knowledge base honest: readable, sourced, and reachable.

`python -m bot.tools.knowledge check` (make kb-check) runs these after the file validation.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from bot.knowledge.model import GENERAL_CONCERN, KnowledgeBase
from bot.self_check import SelfCheckFileError, read_self_check
from bot.tools.knowledge.files import Problem
from bot.tools.readability import flesch_kincaid_grade, words
from bot.tools.training_data import ProjectFiles
from bot.topics import (
    ADVICE_ENTITY_LABELS,
    ADVICE_TOPIC,
    RED_FLAG_TOPIC,
    intent_for_topic,
    topic_for_intent,
)
from bot.vocabulary import Vocabulary

MAX_GRADE = 8.0
MAX_SHORT_ANSWER_WORDS = 60
ANSWER_ACTION = "action_answer_question"
# Topics no ask_<topic> intent asks for (see bot/topics.py), and the action that gives them.
ACTION_TOPICS = {RED_FLAG_TOPIC: "action_red_flag", ADVICE_TOPIC: ANSWER_ACTION}


def readability_problems(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    for answer in kb.answers:
        where = Path(answer.file or "?")
        grade = flesch_kincaid_grade(answer.short_answer)
        if grade > MAX_GRADE:
            problems.append(
                Problem(where, answer.id, f"short answer reads at grade {grade} (max {MAX_GRADE})")
            )
        count = len(words(answer.short_answer))
        if count > MAX_SHORT_ANSWER_WORDS:
            problems.append(
                Problem(
                    where,
                    answer.id,
                    f"short answer has {count} words (max {MAX_SHORT_ANSWER_WORDS})",
                )
            )
        grade = flesch_kincaid_grade(answer.details) if answer.details else 0.0
        if grade > MAX_GRADE:
            problems.append(
                Problem(where, answer.id, f"details read at grade {grade} (max {MAX_GRADE})")
            )
    return problems


# Hosts that copy other people's papers or pages (file sharing, paper aggregators, mirrors).
# A patient cannot tell whether such a copy is whole, current or the real thing.
COPY_HOSTS = (
    "studyres.com",
    "vdocuments.us",
    "vdocuments.net",
    "ouci.dntb.gov.ua",
    "brightsurf.com",
    "scribd.com",
    "doczz.net",
    "123dok.org",
    "bohrium.dp.tech",
    "wilddata.cn",
    "arxivlens.com",
    "weglot.com",
    "researchgate.net",
    "academia.edu",
    "semanticscholar.org",
)
# Where a journal article may be linked when it has no DOI.
JOURNAL_HOSTS = ("pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov")


def _host_in(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == known or host.endswith("." + known) for known in hosts)


def _is_search(url: str) -> bool:
    parts = urlsplit(url)
    query = {pair.split("=")[0] for pair in parts.query.split("&") if pair}
    return bool(query & {"term", "q", "query", "search"}) or "/search" in parts.path


def citation_problems(kb: KnowledgeBase) -> list[Problem]:
    """Sources a patient can trust to be the real thing: no copies on file-sharing or
    aggregator sites, no search results; a journal article by its DOI or its PubMed/PMC
    record, or by its journal reference alone."""
    problems = []
    for source in kb.sources.values():
        where = Path(source.file or "sources.yml")
        if source.url and _host_in(source.url, COPY_HOSTS):
            problems.append(
                Problem(where, source.id, f"links to a copy on a sharing site: {source.url}")
            )
        elif source.url and _is_search(source.url):
            problems.append(
                Problem(where, source.id, f"links to search results, not a page: {source.url}")
            )
        elif (
            source.kind == "journal_article"
            and source.url
            and not source.doi
            and not _host_in(source.url, JOURNAL_HOSTS)
        ):
            problems.append(
                Problem(
                    where,
                    source.id,
                    "a journal article is linked by its doi or its PubMed/PMC record",
                )
            )
    return problems


def action_topic_variants(vocabulary: Vocabulary, red_flag_groups: set[str]) -> dict[str, set]:
    advice = {
        value for label in ADVICE_ENTITY_LABELS for value in vocabulary.entities.get(label, {})
    }
    return {RED_FLAG_TOPIC: red_flag_groups, ADVICE_TOPIC: advice}


def reachability_problems(
    kb: KnowledgeBase,
    files: ProjectFiles,
    vocabulary: Vocabulary,
    red_flag_groups: set[str] = frozenset(),
) -> list[Problem]:
    domain_intents = files.domain_intents()
    topic_intents = {intent for intent in domain_intents if topic_for_intent(intent)}
    examples = files.nlu_examples()
    routed = files.intents_routed_to(ANSWER_ACTION)
    topics = kb.topics()

    problems = []
    for intent in sorted(topic_intents):
        if topic_for_intent(intent) not in topics:
            problems.append(
                Problem(
                    files.domain,
                    intent,
                    f"intent has no knowledge-base entry (topic '{topic_for_intent(intent)}')",
                )
            )
    variants: dict[str, set[str]] = defaultdict(set)
    files_of: dict[str, Path] = {}
    action_variants = action_topic_variants(vocabulary, set(red_flag_groups))
    for answer in kb.answers:
        variants[answer.topic].add(answer.concern)
        files_of[answer.topic] = Path(answer.file or "?")
        intent = intent_for_topic(answer.topic)
        reason = None
        if answer.topic in ACTION_TOPICS:
            action = ACTION_TOPICS[answer.topic]
            if not files.intents_routed_to(action):
                reason = f"no rule or story runs {action}"
            elif answer.concern not in action_variants[answer.topic] | {GENERAL_CONCERN}:
                reason = f"'{answer.concern}' is not a variant {action} can ask for"
        elif intent not in domain_intents:
            reason = f"no intent '{intent}' in domain.yml"
        elif not examples.get(intent):
            reason = f"intent '{intent}' has no NLU examples"
        elif intent not in routed:
            reason = f"no rule or story sends intent '{intent}' to {ANSWER_ACTION}"
        elif answer.concern != GENERAL_CONCERN and answer.concern not in vocabulary.concerns:
            reason = f"concern '{answer.concern}' is not in knowledge/vocabulary.yml"
        if reason:
            problems.append(
                Problem(Path(answer.file or "?"), answer.id, f"never reachable: {reason}")
            )
    for topic, concerns in sorted(variants.items()):
        if GENERAL_CONCERN not in concerns:
            problems.append(
                Problem(
                    files_of[topic],
                    topic,
                    "topic has no general answer to fall back on",
                )
            )
    return problems


def self_check_problems(kb: KnowledgeBase, path: Path) -> list[Problem]:
    """The self-check's file is well formed, and each "yes" leads to a personal-advice entry."""
    try:
        self_check = read_self_check(path)
    except SelfCheckFileError as error:
        return [Problem(path, entry, message) for entry, message in error.problems]
    advice = {
        answer.concern
        for answer in kb.answers
        if answer.topic == ADVICE_TOPIC and answer.concern != GENERAL_CONCERN
    }
    return [
        Problem(
            path,
            question.id,
            f"concern '{question.concern}' has no {ADVICE_TOPIC} entry in the knowledge base",
        )
        for question in self_check.questions
        if question.concern not in advice
    ]


def grade_summary(kb: KnowledgeBase) -> str:
    grades = [flesch_kincaid_grade(answer.short_answer) for answer in kb.answers]
    return f"short-answer reading grade: highest {max(grades)}, median {statistics.median(grades)}"
