"""Where MesoGuide finds its files, and every environment variable it reads.

`Settings.from_environment()` is the one place the environment is read: each field is a
variable (its name in lower case), typed, with its default here. `.env.example` lists them
all (a test checks). An empty value counts as unset.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from dataclasses import field as dataclass_field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
# Everything MesoGuide keeps, by default: SQLite files in var/ (ignored by git).
DATA_DIR = PROJECT_ROOT / "var"
DEFAULT_DATABASE_PATH = DATA_DIR / "mesoguide.db"
# The key of chat-app senders' pseudonyms when SENDER_ID_KEY is unset: made once, mode 0600.
SENDER_ID_KEY_FILE = DATA_DIR / "sender_id.key"


class SettingsError(ValueError):
    """A variable's value cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    # storage
    database_url: str = f"sqlite:///{DEFAULT_DATABASE_PATH}"
    tracker_store_url: str = f"sqlite:///{DATA_DIR / 'tracker.db'}"
    # set: the Rasa processes share their conversation locks in this Redis (several processes)
    redis_url: str = ""
    # ports and addresses; an empty URL is derived from the ports
    actions_port: int = 5055
    # the action server's address: loopback, so that only the Rasa server beside it calls it
    actions_host: str = "127.0.0.1"
    rasa_port: int = 5005
    web_port: int = 8000
    action_endpoint_url: str = ""
    rasa_public_url: str = ""
    # who may use the REST channel beyond this machine, and the clinic's erasure endpoint
    rest_token: str = ""
    privacy_token: str = ""
    # the key of chat-app senders' pseudonyms (bot/privacy/pseudonyms.py); unset: the one
    # kept in var/sender_id.key, made the first time it is needed
    sender_id_key: str = dataclass_field(default="", repr=False)
    # chat apps (bot.tools.credentials turns one on when all its required ones are set)
    telegram_access_token: str = ""
    telegram_secret_token: str = ""
    telegram_api_base: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_whatsapp_number: str = ""
    twilio_webhook_url: str = ""
    twilio_api_base: str = ""
    # the clinic: each one set here wins over clinic.yml
    clinic_name: str = ""
    clinic_phone: str = ""
    clinic_email: str = ""
    clinic_hours: str = ""
    clinic_booking_url: str = ""
    emergency_numbers: str = ""
    crisis_line: str = ""

    def __post_init__(self) -> None:
        if not self.action_endpoint_url:
            url = f"http://127.0.0.1:{self.actions_port}/webhook"
            object.__setattr__(self, "action_endpoint_url", url)
        if not self.rasa_public_url:
            object.__setattr__(self, "rasa_public_url", f"http://localhost:{self.rasa_port}")

    @classmethod
    def variable_names(cls) -> list[str]:
        return [field.name.upper() for field in fields(cls)]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        if environ is None:
            environ = os.environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = (environ.get(field.name.upper()) or "").strip()
            if raw:
                values[field.name] = _convert(field.name.upper(), raw, field.default)
        return cls(**values)  # type: ignore[arg-type]

    def value_of(self, variable: str) -> str:
        """A variable's value as text ("" when unset), by its name: `TELEGRAM_API_BASE`."""
        return str(getattr(self, variable.lower()))

    def with_local_action_server(self) -> Settings:
        """These settings with Rasa calling the action server started on actions_port."""
        return replace(self, action_endpoint_url=f"http://127.0.0.1:{self.actions_port}/webhook")

    def as_environment(self) -> dict[str, str]:
        """Every variable that has a value, for the processes started with these settings
        (Rasa fills endpoints.yml's and the credentials' ${...} from its environment)."""
        return {name: self.value_of(name) for name in self.variable_names() if self.value_of(name)}


def _convert(variable: str, raw: str, default: object) -> object:
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, int):  # the ports
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise SettingsError(f"{variable}: expected a port number (1-65535), got {raw!r}")
        return int(raw)
    return raw


def database_url() -> str:
    """The knowledge-base database: `DATABASE_URL` if set, else a SQLite file in build/."""
    return Settings.from_environment().database_url


# Curated files outside Rasa's data/: each language's words (knowledge/language/<code>.yml)
# and the self-check's questions.
LANGUAGE_DIR = KNOWLEDGE_DIR / "language"
SELF_CHECK_FILE = KNOWLEDGE_DIR / "self_check.yml"
# Rasa's configuration; its `language:` names the patients' language.
CONFIG_FILE = PROJECT_ROOT / "config.yml"
