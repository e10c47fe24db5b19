"""The deploying clinic's details: clinic.yml, each value overridable by environment
(read in bot.settings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT, Settings

CLINIC_FILE = PROJECT_ROOT / "clinic.yml"
ENVIRONMENT_PREFIX = {"emergency_numbers": "", "crisis_line": ""}


class ClinicSettingsError(ValueError):
    """clinic.yml is malformed or misses a value; the message names the file and field."""


@dataclass(frozen=True)
class ClinicSettings:
    name: str
    phone: str
    email: str
    booking_url: str
    hours: str
    emergency_numbers: str
    crisis_line: str

    @staticmethod
    def environment_variable(field_name: str) -> str:
        prefix = ENVIRONMENT_PREFIX.get(field_name, "CLINIC_")
        return f"{prefix}{field_name}".upper()

    @classmethod
    def load(
        cls, path: Path = CLINIC_FILE, environ: Mapping[str, str] | None = None
    ) -> ClinicSettings:
        overrides = Settings.from_environment(environ)
        try:
            values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise ClinicSettingsError(f"{path}: cannot read clinic settings: {error}") from error
        if not isinstance(values, dict):
            raise ClinicSettingsError(f"{path}: expected field: value pairs")
        settings = {}
        for field in fields(cls):
            value = overrides.value_of(cls.environment_variable(field.name)) or values.get(
                field.name
            )
            if not value:
                raise ClinicSettingsError(
                    f"{path}: '{field.name}' is missing "
                    f"(set it there or in {cls.environment_variable(field.name)})"
                )
            settings[field.name] = str(value).strip()
        return cls(**settings)

    def as_template_values(self) -> dict[str, str]:
        """The values domain.yml responses use, as {clinic_name}, {emergency_numbers}..."""
        return {
            (name if name in ENVIRONMENT_PREFIX else f"clinic_{name}"): value
            for name, value in self.__dict__.items()
        }
