"""One knowledge-base answer's sources, written the way each channel can show them.

The answer text and the labels ("Sources:") come from the knowledge base and domain.yml; this
only lays out the source names and links: plain names (REST, `rasa shell`), HTML links
(Telegram), names then one link each (WhatsApp), and the structured payload a front end
renders itself (the website widget, any REST or socket.io client).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.knowledge.model import Source

# What a front end finds in the payload: {"type": ANSWER_PAYLOAD_TYPE, "topic", "answer",
# "sources": [{"name", "url", "kind"}]}.
ANSWER_PAYLOAD_TYPE = "answer"


def source_names(sources: Sequence[Source]) -> str:
    """ "Healthline; Sivagnanam 2010, J Pharmacol Pharmacother" """
    return "; ".join(source.short_name for source in sources)


def source_html_links(sources: Sequence[Source]) -> str:
    """The names as links, for Telegram's HTML mode (a name without a link stays text)."""
    return ", ".join(
        f'<a href="{escape(source.link)}">{escape(source.short_name)}</a>'
        if source.link
        else escape(source.short_name)
        for source in sources
    )


def source_lines(sources: Sequence[Source]) -> str:
    """One line per source: its name, then its one link (WhatsApp shows plain text)."""
    return "\n".join(
        f"- {source.short_name}: {source.link}" if source.link else f"- {source.short_name}"
        for source in sources
    )


def answer_payload(topic: str, text: str, sources: Sequence[Source]) -> dict:
    return {
        "type": ANSWER_PAYLOAD_TYPE,
        "topic": topic,
        "answer": text,
        "sources": [
            {"name": source.short_name, "url": source.link, "kind": source.kind}
            for source in sources
        ],
    }
