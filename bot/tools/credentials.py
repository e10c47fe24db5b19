"""Which channels Rasa listens on: credentials.yml, plus each chat app whose environment
variables are all set. Secrets stay in the environment: the file written names them as
${VARIABLE}, which Rasa fills in when it reads the file.

Usage: python -m bot.tools.credentials OUTPUT_FILE
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT, Settings

BASE_CREDENTIALS = PROJECT_ROOT / "credentials.yml"

# channel class (module path) -> required variables, optional variables, by credential key
CHANNELS = {
    "bot.adapters.connectors.telegram.SecureTelegramInput": (
        {
            "access_token": "TELEGRAM_ACCESS_TOKEN",
            "secret_token": "TELEGRAM_SECRET_TOKEN",
        },
        {"api_base": "TELEGRAM_API_BASE"},
    ),
    "bot.adapters.connectors.whatsapp.SignedTwilioInput": (
        {
            "account_sid": "TWILIO_ACCOUNT_SID",
            "auth_token": "TWILIO_AUTH_TOKEN",
            "twilio_number": "TWILIO_WHATSAPP_NUMBER",
        },
        {"webhook_url": "TWILIO_WEBHOOK_URL", "api_base": "TWILIO_API_BASE"},
    ),
}

# always-on channel (module path) -> its optional secrets, by credential key
SECRETS = {
    "bot.adapters.connectors.rest.ScopedRestInput": {"token": "REST_TOKEN"},
    "bot.adapters.connectors.privacy.ErasureInput": {"token": "PRIVACY_TOKEN"},
}


def channel_credentials(environ: Mapping[str, str] | None = None) -> tuple[dict, list[str]]:
    """The credentials to use, and a line for each channel about whether it is on."""
    given = Settings.from_environment(environ)
    credentials = yaml.safe_load(BASE_CREDENTIALS.read_text(encoding="utf-8")) or {}
    report = []
    for channel, secrets in SECRETS.items():
        given_secrets = {k: f"${{{v}}}" for k, v in secrets.items() if given.value_of(v)}
        if given_secrets:
            credentials[channel] = {**(credentials.get(channel) or {}), **given_secrets}
    for channel, (required, optional) in CHANNELS.items():
        missing = [variable for variable in required.values() if not given.value_of(variable)]
        if len(missing) == len(required):
            report.append(f"{channel}: off (set {', '.join(required.values())})")
            continue
        if missing:
            report.append(f"{channel}: off, missing {', '.join(missing)}")
            continue
        settings = {**required, **{k: v for k, v in optional.items() if given.value_of(v)}}
        credentials[channel] = {key: f"${{{variable}}}" for key, variable in settings.items()}
        report.append(f"{channel}: on")
    return credentials, report


def write_credentials(path: Path, environ: Mapping[str, str] | None = None) -> list[str]:
    credentials, report = channel_credentials(environ)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(credentials, sort_keys=False), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for line in write_credentials(Path(args[0])):
        print(f"channels: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
