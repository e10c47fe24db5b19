"""An answer's sources, laid out for each kind of channel."""

from bot.answer_formats import answer_payload, source_html_links, source_lines, source_names
from bot.knowledge.model import Source

PAPER = Source("p", "A paper", "journal_article", doi="10.1/x", name="Someone 2010, J Things")
CLINIC = Source("c", "A page", "clinic_page", url="https://clinic.example/a?b=1&c=2", name="A & B")
BOOK = Source("b", "A report", "journal_article", publisher="Someone", year=2005, name="Report")


def test_names_only_for_plain_text_channels():
    assert source_names([PAPER, CLINIC, BOOK]) == "Someone 2010, J Things; A & B; Report"


def test_html_links_are_escaped_and_a_source_without_a_link_stays_text():
    assert source_html_links([CLINIC, BOOK]) == (
        '<a href="https://clinic.example/a?b=1&amp;c=2">A &amp; B</a>, Report'
    )


def test_one_line_per_source_with_its_one_link():
    assert (
        source_lines([PAPER, BOOK]) == "- Someone 2010, J Things: https://doi.org/10.1/x\n- Report"
    )


def test_the_payload_carries_the_answer_and_every_source():
    assert answer_payload("cost", "About USD 250.", [PAPER, BOOK]) == {
        "type": "answer",
        "topic": "cost",
        "answer": "About USD 250.",
        "sources": [
            {
                "name": "Someone 2010, J Things",
                "url": "https://doi.org/10.1/x",
                "kind": "journal_article",
            },
            {"name": "Report", "url": None, "kind": "journal_article"},
        ],
    }
