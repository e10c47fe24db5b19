"""How much personal data the redactor (bot/privacy) hides, on the blind labelled sets.

Usage: python -m bot.tools.evaluation.redaction_scores [--out results/redaction.json]
                                                        [--show-errors dev|roundN-dev]
Each round of the set was written by someone who never saw the redactor, in two halves:
round 1 is tests/privacy/pii_dev.yml and pii_test.yml (halves "dev" and "test"), round 2
tests/privacy/round2/pii_dev.yml and pii_test.yml ("round2-dev", "round2-test"), and so on to
round 8 in tests/privacy/round8/ ("round8-dev", "round8-test"). A file is
`messages: - text: ..., spans: [{type: NAME, text: "Sarah Collins"}]`, a span's text standing
for every occurrence of it in the message. For each half:

- recall: a labelled span counts as found when the redactor's spans hide every letter and
  digit of it (any placeholder: the type need not match); type accuracy says how many of the
  found ones got the labelled type;
- precision: a span the redactor found is right when it overlaps a labelled span;
- messages left with personal data: messages where some labelled span is not wholly hidden.

Prints a table per half and one for all test halves together ("all-test"), writes the JSON and
fails when all test halves together are under a floor. Only a dev half's errors may be shown
(--show-errors dev, round2-dev ... round7-dev); a test half is only ever measured.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.privacy.redaction import KINDS, Span, find_personal_data
from bot.settings import PROJECT_ROOT
from bot.tools.evaluation.scores import Floor, failed_floors

PII_DIR = PROJECT_ROOT / "tests" / "privacy"
HALVES = ("dev", "test")
# Each round's folder under tests/privacy/; the first round's halves keep their plain names.
ROUNDS = (("round1", ""), *((f"round{n}", f"round{n}") for n in range(2, 9)))
ALL_TEST = "all-test"
# The targets, for the held-out (test) halves of all rounds together.
TARGETS = [Floor("recall", 0.95), Floor("precision", 0.90)]
# What CI enforces: a ratchet a little under the level reached (about six spans of 1,444), as
# for the real-question scores. With the learned model (bot/privacy/span_model.py) both
# targets hold: recall 0.969, precision 0.931 on the eight test halves at the end of the ninth
# session's work (tests/privacy/scores/final.txt). Raise them as the scores rise; never lower
# them to let a change land.
FLOORS = [Floor("recall", 0.965), Floor("precision", 0.925)]

Finder = Callable[[str], list[Span]]


class PiiSetError(ValueError):
    """A labelled file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class LabelledMessage:
    text: str
    # every occurrence of each labelled text, as spans
    spans: tuple[Span, ...]


def pii_file(half: str, directory: Path = PII_DIR) -> Path:
    return directory / f"pii_{half}.yml"


def half_name(round_name: str, half: str) -> str:
    """A half's name: "dev" and "test" in round 1, "round2-dev" and "round2-test" after."""
    return half if round_name == ROUNDS[0][0] else f"{round_name}-{half}"


def round_halves(directory: Path = PII_DIR) -> dict[str, Path]:
    """Every half's name and file, round by round; a later round not written yet is left out
    (round 1 must be there)."""
    found = {}
    for number, (round_name, folder) in enumerate(ROUNDS):
        files = {half: pii_file(half, directory / folder) for half in HALVES}
        if number and not all(path.exists() for path in files.values()):
            continue
        found.update({half_name(round_name, half): path for half, path in files.items()})
    return found


DEV_HALVES = tuple(half_name(round_name, "dev") for round_name, _ in ROUNDS)


def is_test_half(name: str) -> bool:
    return name.endswith("test")


def labelled_messages(path: Path) -> list[LabelledMessage]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as error:
        raise PiiSetError(f"{path}: no such file") from error
    except yaml.YAMLError as error:
        raise PiiSetError(f"{path}: not valid YAML: {error}") from error
    entries = document.get("messages") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise PiiSetError(f"{path}: no 'messages' list")
    messages = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise PiiSetError(f"{path}: messages #{number} has no text")
        text = entry["text"]
        spans: list[Span] = []
        for label in entry.get("spans") or []:
            if not isinstance(label, dict) or label.get("type") not in KINDS:
                raise PiiSetError(
                    f"{path}: messages #{number}: a span's type must be one of {KINDS}"
                )
            part = str(label.get("text") or "")
            found = occurrences(text, part)
            if not part or not found:
                raise PiiSetError(f"{path}: messages #{number}: span {part!r} is not in the text")
            spans += [Span(label["type"], start, end) for start, end in found]
        messages.append(LabelledMessage(text, tuple(sorted(set(spans), key=_order))))
    return messages


def occurrences(text: str, part: str) -> list[tuple[int, int]]:
    found, start = [], text.find(part) if part else -1
    while start >= 0:
        found.append((start, start + len(part)))
        start = text.find(part, start + len(part))
    return found


def _order(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.kind)


def hidden(text: str, label: Span, predicted: Sequence[Span]) -> bool:
    """Whether the predicted spans hide every letter and digit of the labelled one."""
    return all(
        any(p.start <= index < p.end for p in predicted)
        for index in range(label.start, label.end)
        if text[index].isalnum()
    )


def type_of_hider(label: Span, predicted: Sequence[Span]) -> str | None:
    """The kind of the predicted span covering most of the labelled one."""
    best = max(
        predicted,
        key=lambda p: min(p.end, label.end) - max(p.start, label.start),
        default=None,
    )
    if best is None or min(best.end, label.end) <= max(best.start, label.start):
        return None
    return best.kind


def overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def half_scores(messages: Sequence[LabelledMessage], find: Finder | None = None) -> dict:
    find = find or find_personal_data
    labelled = {kind: 0 for kind in KINDS}
    found = {kind: 0 for kind in KINDS}
    typed_right = {kind: 0 for kind in KINDS}
    predicted = {kind: 0 for kind in KINDS}
    correct = {kind: 0 for kind in KINDS}
    leaky = 0
    for message in messages:
        spans = find(message.text)
        left = False
        for label in message.spans:
            labelled[label.kind] += 1
            if hidden(message.text, label, spans):
                found[label.kind] += 1
                typed_right[label.kind] += type_of_hider(label, spans) == label.kind
            else:
                left = True
        leaky += left
        for span in spans:
            predicted[span.kind] += 1
            correct[span.kind] += overlaps(span, message.spans)
    per_type = {
        kind: {
            "labelled": labelled[kind],
            "recall": _rate(found[kind], labelled[kind]),
            "type_accuracy": _rate(typed_right[kind], found[kind]),
            "predicted": predicted[kind],
            "precision": _rate(correct[kind], predicted[kind]),
        }
        for kind in KINDS
    }
    return {
        "messages": len(messages),
        "labelled_spans": sum(labelled.values()),
        "predicted_spans": sum(predicted.values()),
        "recall": _rate(sum(found.values()), sum(labelled.values())),
        "precision": _rate(sum(correct.values()), sum(predicted.values())),
        "type_accuracy": _rate(sum(typed_right.values()), sum(found.values())),
        "messages_left_with_personal_data": leaky,
        "messages_left_rate": _rate(leaky, len(messages)) if messages else 0.0,
        "per_type": per_type,
    }


def half_errors(messages: Sequence[LabelledMessage], find: Finder | None = None) -> list[str]:
    """Missed and false spans, one line each: for the dev half only."""
    find = find or find_personal_data
    lines = []
    for message in messages:
        spans = find(message.text)
        for label in message.spans:
            if not hidden(message.text, label, spans):
                hiders = [f"{s.kind}:{message.text[s.start : s.end]!r}" for s in spans]
                lines.append(
                    f"missed\t{label.kind}\t{message.text[label.start : label.end]!r}\t"
                    f"found {' '.join(hiders) or '-'}\t{message.text!r}"
                )
            elif type_of_hider(label, spans) != label.kind:
                lines.append(
                    f"type\t{label.kind}->{type_of_hider(label, spans)}\t"
                    f"{message.text[label.start : label.end]!r}\t{message.text!r}"
                )
        for span in spans:
            if not overlaps(span, message.spans):
                lines.append(
                    f"false\t{span.kind}\t{message.text[span.start : span.end]!r}\t{message.text!r}"
                )
    return lines


def table(half: str, scores: dict) -> str:
    rows = [
        f"{half} half: {scores['messages']} messages, {scores['labelled_spans']} labelled spans, "
        f"{scores['predicted_spans']} found",
        f"{'type':<14}{'labelled':>9}{'recall':>8}{'typed':>8}{'found':>7}{'precision':>10}",
    ]
    for kind, s in scores["per_type"].items():
        rows.append(
            f"{kind:<14}{s['labelled']:>9}{s['recall']:>8.3f}{s['type_accuracy']:>8.3f}"
            f"{s['predicted']:>7}{s['precision']:>10.3f}"
        )
    rows.append(
        f"{'overall':<14}{scores['labelled_spans']:>9}{scores['recall']:>8.3f}"
        f"{scores['type_accuracy']:>8.3f}{scores['predicted_spans']:>7}{scores['precision']:>10.3f}"
    )
    rows.append(
        f"messages left with personal data: {scores['messages_left_with_personal_data']}"
        f" of {scores['messages']} ({scores['messages_left_rate']:.3f})"
    )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results/redaction.json"))
    parser.add_argument("--dir", type=Path, default=PII_DIR, help=argparse.SUPPRESS)
    parser.add_argument(
        "--show-errors",
        choices=DEV_HALVES,
        help="print a dev half's missed and false spans (never a test half's)",
    )
    args = parser.parse_args(argv)
    halves = round_halves(args.dir)
    messages = {name: labelled_messages(path) for name, path in halves.items()}
    report = {}
    for name, labelled in messages.items():
        report[name] = half_scores(labelled)
        print(table(name, report[name]), end="\n\n")
    tests = [name for name in messages if is_test_half(name)]
    report[ALL_TEST] = half_scores([m for name in tests for m in messages[name]])
    print(table(f"{ALL_TEST} ({' + '.join(tests)})", report[ALL_TEST]), end="\n\n")
    for name in [*tests, ALL_TEST]:
        print(
            f"{name:<12} recall {report[name]['recall']:.3f}"
            f"  precision {report[name]['precision']:.3f}"
        )
    if args.show_errors:
        if args.show_errors not in messages or is_test_half(args.show_errors):
            parser.error(f"no dev half {args.show_errors!r} here")
        print("\n".join(half_errors(messages[args.show_errors])))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    for missed in failed_floors(report[ALL_TEST], TARGETS):
        print(f"target not met yet (all test halves): {missed}")
    failures = failed_floors(report[ALL_TEST], FLOORS)
    for failure in failures:
        print(f"FAIL (all test halves): {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
