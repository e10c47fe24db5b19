"""What the sentence embeddings cost: reply time and memory of the Rasa server, with and
without them.

The same REST questions go to MesoGuide's model and to a model trained from the same data
with the SentenceEmbeddings component left out of config.yml (`make bench` trains it). The two
servers run one after the other, alternating over several rounds (this machine is shared
and noisy), and the medians are compared.
Usage:
  python -m bot.tools.bench.embedding_cost WITH_MODEL WITHOUT_MODEL [ROUNDS] [QUESTIONS]
  python -m bot.tools.bench.embedding_cost --config-without CONFIG OUT   (the baseline's config)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.tools.launcher import running_assistant

EMBEDDINGS_COMPONENT = "bot.adapters.nlu.sentence_embeddings.SentenceEmbeddings"

# Patient messages of several kinds: answered, unsure, red flag, follow-up.
QUESTIONS = [
    "what is mesotherapy?",
    "How Is The Procedure Performed?",
    "how much for one session",
    "does it hurt a lot?",
    "is there any downtime after the injections",
    "and how long till i see a difference?",
    "can i combine it with botox",
    "what are fat dissolving injections",
    "my lips are a little puffy after the meso, normal?",
    "is it safe for men with thinning hair",
]


@dataclass
class Measurement:
    replies_ms: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(model: Path, questions: int, into: Measurement) -> None:
    with (
        tempfile.TemporaryDirectory() as workdir,
        running_assistant(Path(workdir), model=model) as assistant,
    ):
        assistant.ask("warm-up", QUESTIONS[0])
        for number in range(questions):
            question = QUESTIONS[number % len(QUESTIONS)]
            started = time.perf_counter()
            assistant.ask(f"bench-{number // len(QUESTIONS)}", question)
            into.replies_ms.append((time.perf_counter() - started) * 1000)
        into.rss_mb.append(resident_mb(assistant.rasa_pid))


def main(with_model: Path, without_model: Path, rounds: int, questions: int) -> None:
    results = {"with embeddings": Measurement(), "without": Measurement()}
    for round_number in range(rounds):
        for name, model in (("with embeddings", with_model), ("without", without_model)):
            print(f"round {round_number + 1}/{rounds}: {name}", flush=True)
            measure(model, questions, results[name])
    medians = {name: statistics.median(m.replies_ms) for name, m in results.items()}
    memory = {name: statistics.median(m.rss_mb) for name, m in results.items()}
    for name, m in results.items():
        print(
            f"{name:16} median reply {medians[name]:6.1f} ms, "
            f"p90 {sorted(m.replies_ms)[int(0.9 * (len(m.replies_ms) - 1))]:6.1f} ms, "
            f"Rasa server resident memory {memory[name]:6.0f} MB"
        )
    print(
        f"added by the embeddings: {medians['with embeddings'] - medians['without']:+.1f} ms "
        f"median per message, {memory['with embeddings'] - memory['without']:+.0f} MB resident "
        "(budget: +15 ms, +150 MB)"
    )


def write_config_without_embeddings(config: Path, out: Path) -> None:
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["pipeline"] = [c for c in settings["pipeline"] if c["name"] != EMBEDDINGS_COMPONENT]
    out.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--config-without":
        write_config_without_embeddings(Path(args[1]), Path(args[2]))
        sys.exit(0)
    main(
        Path(args[0]),
        Path(args[1]),
        int(args[2]) if len(args) > 2 else 3,
        int(args[3]) if len(args) > 3 else 40,
    )
