"""The curated knowledge base: YAML files, their validation, and the database behind them."""

from bot.knowledge.files import KnowledgeBaseError, Problem, read_knowledge_base
from bot.knowledge.model import Answer, KnowledgeBase, Source
from bot.knowledge.repository import KnowledgeBaseUnavailable, KnowledgeRepository, TopicAnswer

__all__ = [
    "Answer",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnowledgeBaseUnavailable",
    "KnowledgeRepository",
    "Problem",
    "Source",
    "TopicAnswer",
    "read_knowledge_base",
]
