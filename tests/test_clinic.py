from __future__ import annotations

import pytest

from bot.clinic import CLINIC_FILE, ClinicSettings, ClinicSettingsError


def test_the_demo_file_has_placeholders_and_both_emergency_numbers():
    settings = ClinicSettings.load(environ={})
    assert "911" in settings.emergency_numbers and "112" in settings.emergency_numbers
    assert settings.booking_url.startswith("https://")


def test_environment_variables_win_over_the_file():
    settings = ClinicSettings.load(
        environ={"CLINIC_PHONE": "+44 20 0000 0000", "EMERGENCY_NUMBERS": "999 (UK)"}
    )
    assert settings.phone == "+44 20 0000 0000"
    assert settings.emergency_numbers == "999 (UK)"
    values = settings.as_template_values()
    assert values["clinic_phone"] == "+44 20 0000 0000"
    assert values["emergency_numbers"] == "999 (UK)"
    assert values["crisis_line"] == settings.crisis_line


def test_a_missing_value_names_the_file_field_and_variable(tmp_path):
    path = tmp_path / "clinic.yml"
    path.write_text(CLINIC_FILE.read_text().replace("email:", "# email:"))
    with pytest.raises(ClinicSettingsError) as error:
        ClinicSettings.load(path, environ={})
    assert str(path) in str(error.value)
    assert "'email'" in str(error.value) and "CLINIC_EMAIL" in str(error.value)


def test_malformed_yaml_names_the_file(tmp_path):
    path = tmp_path / "clinic.yml"
    path.write_text("name: [\n")
    with pytest.raises(ClinicSettingsError, match=str(path)):
        ClinicSettings.load(path, environ={})
