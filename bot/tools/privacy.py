"""Erase one person's data, or everything older than some days (make forget, make purge).

    python -m bot.tools.privacy forget SENDER     every event of SENDER and their records
    python -m bot.tools.privacy purge --days N    every event and record older than N days

SENDER is the stored id (`rest:1234`, `socketio:…`, `whatsapp:<pseudonym>`) or a chat app's
original one, as the clinic knows the patient: `whatsapp:+15551234567`, `telegram:123456`.
An original is turned into the pseudonym it is stored under with the same key as the Rasa
server's (SENDER_ID_KEY, else var/sender_id.key): run this with the same settings (.env).

The conversations are in TRACKER_STORE_URL's database, the records in DATABASE_URL's.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone

from bot.privacy.erasure import forget_given_sender, purge_before
from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    forget = commands.add_parser("forget", help="delete everything kept about one sender")
    forget.add_argument(
        "sender", help="the stored sender id, or a chat app's original one (whatsapp:+15551234567)"
    )
    purge = commands.add_parser("purge", help="delete everything older than some days")
    purge.add_argument("--days", type=int, required=True, help="keep this many days (>= 1)")
    args = parser.parse_args(argv)

    settings = Settings.from_environment()
    if args.command == "forget":
        if not args.sender.strip():
            print("forget: give the sender id to erase", file=sys.stderr)
            return 2
        stored, erased = forget_given_sender(args.sender.strip(), settings)
        print(f"Deleted {erased} of sender {stored!r}.")
        return 0
    if args.days < 1:
        print(
            f"purge: --days must be a positive number of days to keep, got {args.days} "
            "(0 would delete everything)",
            file=sys.stderr,
        )
        return 2
    cutoff = datetime.now(timezone.utc) - timedelta(days=args.days)
    erased = purge_before(cutoff, settings)
    print(f"Deleted {erased} older than {args.days} days (before {cutoff:%Y-%m-%d %H:%M} UTC).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
