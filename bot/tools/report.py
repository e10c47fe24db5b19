"""What patients asked that MesoGuide could not answer, how helpful its answers were, and how
many conversations it had: `make report` (python -m bot.tools.report [--out results]).

Prints the tables, and saves them as <out>/report.md with a chart, <out>/report.png.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.conversation_stats import DailyConversations, conversations_per_day
from bot.records import TopicVotes, most_frequent_unanswered, votes_per_topic
from bot.settings import Settings

NOTHING_YET = "Nothing recorded yet."


@dataclass(frozen=True)
class Report:
    unanswered: list[tuple[str, int]]
    votes: list[TopicVotes]
    conversations: list[DailyConversations]

    @classmethod
    def read(cls, settings: Settings, limit: int = 20) -> Report:
        return cls(
            most_frequent_unanswered(limit, url=settings.database_url),
            votes_per_topic(url=settings.database_url),
            conversations_per_day(settings.tracker_store_url),
        )

    @property
    def empty(self) -> bool:
        return not (self.unanswered or self.votes or self.conversations)

    def markdown(self) -> str:
        lines = ["# MesoGuide report", ""]
        if self.empty:
            return "\n".join([*lines, NOTHING_YET, ""])
        lines += ["## Most frequent unanswered questions", ""]
        lines += _table(["question", "times"], [[_cell(t), str(n)] for t, n in self.unanswered])
        lines += ["## Helpfulness per topic", ""]
        lines += _table(
            ["topic", "yes", "no", "share helpful"],
            [[v.topic, str(v.helpful), str(v.not_helpful), f"{share(v):.0%}"] for v in self.votes],
        )
        lines += ["## Conversations per day and channel (UTC)", ""]
        lines += _table(
            ["day", "channel", "conversations"],
            [[c.day.isoformat(), c.channel, str(c.conversations)] for c in self.conversations],
        )
        return "\n".join(lines)


def share(votes: TopicVotes) -> float:
    total = votes.helpful + votes.not_helpful
    return votes.helpful / total if total else 0.0


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["Nothing recorded yet.", ""]
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def save_chart(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (per_day, helpful) = plt.subplots(1, 2, figsize=(12, 4.5))
    if report.empty:
        for axes in (per_day, helpful):
            axes.axis("off")
        per_day.text(0.5, 0.5, NOTHING_YET, ha="center", va="center", fontsize=14)
    else:
        _plot_conversations(per_day, report.conversations)
        _plot_helpfulness(helpful, report.votes)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _plot_conversations(axes: Any, conversations: list[DailyConversations]) -> None:
    axes.set_title("Conversations per day (UTC)")
    days = sorted({c.day for c in conversations})
    by_channel: dict[str, dict[date, int]] = defaultdict(dict)
    for c in conversations:
        by_channel[c.channel][c.day] = c.conversations
    bottom = [0] * len(days)
    labels = [d.isoformat() for d in days]
    for channel, counts in sorted(by_channel.items()):
        heights = [counts.get(d, 0) for d in days]
        axes.bar(labels, heights, bottom=bottom, label=channel)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    if days:
        axes.legend()
        axes.tick_params(axis="x", labelrotation=45)


def _plot_helpfulness(axes: Any, votes: list[TopicVotes]) -> None:
    axes.set_title('"Did this help?": share of yes per topic')
    if not votes:
        axes.text(0.5, 0.5, "No votes yet.", ha="center", va="center")
        axes.axis("off")
        return
    axes.barh([v.topic for v in votes], [share(v) * 100 for v in votes])
    axes.set_xlim(0, 100)
    axes.set_xlabel("% yes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results"))
    args = parser.parse_args(argv)
    report = Report.read(Settings.from_environment())
    text = report.markdown()
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    save_chart(report, args.out / "report.png")
    print(f"Saved {args.out / 'report.md'} and {args.out / 'report.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
