"""The curated knowledge base as the servers see it: its model and the database behind it.
Reading and checking the curated files is a tool (bot.tools.knowledge)."""

from bot.knowledge.model import Answer, KnowledgeBase, Source
from bot.knowledge.repository import KnowledgeBaseUnavailable, KnowledgeRepository, TopicAnswer

__all__ = [
    "Answer",
    "KnowledgeBase",
    "KnowledgeBaseUnavailable",
    "KnowledgeRepository",
    "Source",
    "TopicAnswer",
]
