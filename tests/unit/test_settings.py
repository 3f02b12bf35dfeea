"""Settings: the TOML file named by COUNTER_TUI_CONFIG, COUNTER_TUI_* environment variables
(nested with `__`), their precedence, defaults, and clear errors for bad opening hours or
an unknown time zone."""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path

import pytest
from pydantic import ValidationError

from counter_tui.config import OpeningHours, Settings, ShopSettings, load_settings


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TOML file that COUNTER_TUI_CONFIG points at; tests write into it."""
    path = tmp_path / "counter-tui.toml"
    for name in list(os.environ):
        if name.upper().startswith("COUNTER_TUI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COUNTER_TUI_CONFIG", str(path))
    return path


def test_defaults_without_a_file(config_file: Path) -> None:
    settings = load_settings()
    assert settings.shop.name == "Corner Shop"
    assert settings.shop.timezone == "Europe/London"
    assert settings.shop.hours["sun"] is None
    assert settings.shop.hours["sat"] == "10:00-16:00"
    assert settings.thresholds.greet_within_minutes == 5
    assert settings.thresholds.browse_check_back_minutes == 15
    assert settings.thresholds.idle_lock_minutes == 5
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("counter.sqlite3")


def test_toml_file_is_read(config_file: Path) -> None:
    config_file.write_text(
        """
database_url = "sqlite:////tmp/elsewhere.sqlite3"
terminal_name = "till-2"

[shop]
name = "Harbour Books"
timezone = "America/New_York"
holidays = [2026-12-25, 2027-01-01]

[shop.hours]
mon = "08:30-18:00"
sun = "11:00-15:00"

[thresholds]
greet_within_minutes = 2
browse_check_back_minutes = 20
idle_lock_minutes = 10

[followups]
callback_cutoff_minutes = 30

[keys]
"floor.claim" = "c,f5"
""",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.database_url == "sqlite:////tmp/elsewhere.sqlite3"
    assert settings.terminal_name == "till-2"
    assert settings.shop.name == "Harbour Books"
    assert settings.shop.timezone == "America/New_York"
    assert settings.shop.holidays == [date(2026, 12, 25), date(2027, 1, 1)]
    assert settings.shop.hours["mon"] == "08:30-18:00"
    assert settings.shop.hours["sun"] == "11:00-15:00"
    assert settings.shop.hours["tue"] == "09:00-17:30"  # weekdays a file leaves out keep the defaults
    assert (settings.thresholds.greet_within_minutes, settings.thresholds.idle_lock_minutes) == (2, 10)
    assert settings.thresholds.browse_check_back_minutes == 20
    assert settings.followups.callback_cutoff_minutes == 30
    assert settings.keys == {"floor.claim": "c,f5"}


def test_environment_variables_are_read(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_TUI_SHOP__NAME", "Env Shop")
    monkeypatch.setenv("COUNTER_TUI_THRESHOLDS__GREET_WITHIN_MINUTES", "3")
    monkeypatch.setenv("COUNTER_TUI_DATABASE_URL", "postgresql://counter@db/counter")
    settings = load_settings()
    assert settings.shop.name == "Env Shop"
    assert settings.thresholds.greet_within_minutes == 3
    assert settings.database_url == "postgresql://counter@db/counter"


def test_environment_beats_the_file_and_flags_beat_both(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text(
        '[shop]\nname = "File Shop"\n\n[thresholds]\ngreet_within_minutes = 9\n', encoding="utf-8"
    )
    assert load_settings().shop.name == "File Shop"
    monkeypatch.setenv("COUNTER_TUI_THRESHOLDS__GREET_WITHIN_MINUTES", "4")
    settings = load_settings()
    assert settings.shop.name == "File Shop"
    assert settings.thresholds.greet_within_minutes == 4
    flagged = load_settings(database_url="sqlite:////tmp/flag.sqlite3", terminal_name=None)
    assert flagged.database_url == "sqlite:////tmp/flag.sqlite3"
    assert flagged.terminal_name == "counter"  # a None flag is ignored


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("17:30-09:00", "closing time must be after opening time"),
        ("09:00-09:00", "closing time must be after opening time"),
        ("nine to five", "opening hours must look like 09:00-17:30"),
        ("25:00-26:00", "opening hours must look like 09:00-17:30"),
    ],
)
def test_bad_opening_hours_give_a_clear_error(spec: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ShopSettings(hours={"mon": spec})


def test_unknown_weekday_gives_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="unknown weekday 'funday'"):
        ShopSettings(hours={"funday": "09:00-17:00"})


def test_unknown_time_zone_gives_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'; use a name like"):
        ShopSettings(timezone="Mars/Olympus")


def test_bad_values_in_the_toml_file_give_a_clear_error(config_file: Path) -> None:
    config_file.write_text('[shop]\ntimezone = "Europe/Atlantis"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="unknown time zone 'Europe/Atlantis'"):
        load_settings()
    config_file.write_text('[shop.hours]\nfri = "18:00-09:00"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="closing time must be after opening time"):
        load_settings()


def test_bad_values_in_the_environment_give_a_clear_error(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_TUI_THRESHOLDS__GREET_WITHIN_MINUTES", "0")
    with pytest.raises(ValidationError, match="greet_within_minutes"):
        load_settings()


def test_weekday_names_are_normalised_and_hours_parsed() -> None:
    shop = ShopSettings(hours={"Monday": "08:00-12:00", "SAT": None, "wed": "closed"})
    assert shop.hours["mon"] == "08:00-12:00"
    assert shop.opening_hours(0) == OpeningHours(periods=((time(8, 0), time(12, 0)),))
    assert shop.opening_hours(1) == OpeningHours(periods=((time(9, 0), time(17, 30)),))
    assert shop.opening_hours(2) is None
    assert shop.opening_hours(5) is None
    assert shop.opening_hours(6) is None


def test_settings_can_be_built_directly(config_file: Path) -> None:
    settings = Settings(database_url="sqlite:///:memory:", shop=ShopSettings(name="Direct"))
    assert (settings.database_url, settings.shop.name) == ("sqlite:///:memory:", "Direct")
