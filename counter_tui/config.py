"""Settings: env vars `COUNTER_TUI_*`, a TOML file in the platformdirs config dir, CLI flags.

Precedence, highest first: CLI flags (passed as init values), environment variables
(nested with `__`, e.g. `COUNTER_TUI_THRESHOLDS__GREET_WITHIN_MINUTES=3`), the TOML
file, then the defaults below, which are what a small shop would choose.

Settings are strict: a name the models do not know (a misspelt key, an unknown
section, an unknown binding id) or a key that is not a key is refused at start
with the file, the key and the nearest real name (see `config_check`).
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, time
from itertools import pairwise
from typing import Annotated, Any

import pendulum
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from counter_tui.app_paths import default_config_path, default_database_url
from counter_tui.config_check import check_settings_file, keymap_problem
from counter_tui.kiosk_words import ENGLISH, LANGUAGES, WORDS
from counter_tui.text import clean_text, one_line
from counter_tui.themes import DEFAULT_THEME, theme_problem

MINUTES_A_DAY = 1440

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class StrictModel(BaseModel):
    """A settings section: a name it does not have is an error, never ignored."""

    model_config = ConfigDict(extra="forbid")


def _cleaned(value: Any) -> Any:
    """Text cleaned as typed text is; anything else is left for the type check to refuse."""
    return clean_text(value) if isinstance(value, str) else value


SettingText = Annotated[str, BeforeValidator(_cleaned)]
"""A setting's free text, cleaned like all typed text (`text.clean_text`: no control or
bidi characters, one line) however it arrives: typed, inside JSON such as the kiosk
choices, from a settings file or the environment, or stored by an older version. Its
length and form are checked after cleaning."""


class OpeningHours(BaseModel):
    """One weekday's opening hours: one period (`"09:00-17:30"`) or several in order,
    closed in between (`"09:00-12:30,13:30-17:30"`, closed for lunch)."""

    periods: tuple[tuple[time, time], ...]

    @property
    def opens(self) -> time:
        """When the shop first opens that day."""
        return self.periods[0][0]

    @property
    def closes(self) -> time:
        """Close of business: the end of the last period."""
        return self.periods[-1][1]

    @property
    def spec(self) -> str:
        """The hours written the one canonical way, e.g. `"09:00-12:30,13:30-17:30"`."""
        return ",".join(f"{opens:%H:%M}-{closes:%H:%M}" for opens, closes in self.periods)

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Read `"HH:MM-HH:MM[,HH:MM-HH:MM…]"`: each period closes after it opens, and
        each starts after the one before has ended."""
        periods = tuple(_parse_period(part, text) for part in text.split(","))
        for (_, ended), (started, _) in pairwise(periods):
            if ended > started:
                raise ValueError(
                    f"the periods of {text!r} overlap or are out of order: "
                    f"{ended:%H:%M} ends after {started:%H:%M} starts"
                )
        return cls(periods=periods)


def _parse_period(part: str, text: str) -> tuple[time, time]:
    """One `"HH:MM-HH:MM"` of the day's hours `text`."""
    try:
        start, end = (piece.strip() for piece in part.split("-"))
        opens, closes = time.fromisoformat(start), time.fromisoformat(end)
    except ValueError as error:
        raise ValueError(
            f"opening hours must look like 09:00-17:30 (or 09:00-12:30,13:30-17:30), not {text!r}"
        ) from error
    if closes <= opens:
        raise ValueError(f"closing time must be after opening time in {text!r}")
    return opens, closes


def _phone_regions() -> frozenset[str]:
    """The countries (ISO 3166 two-letter codes) the phone number library can read local
    numbers for; imported when a country is given, not at start-up."""
    import phonenumbers

    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def field_range(info: FieldInfo) -> tuple[float, float] | None:
    """A numeric setting's lowest and highest value (its Field's ge/gt and le/lt), or None
    when it lacks either bound."""
    low: float | None = None
    high: float | None = None
    for item in info.metadata:
        if isinstance(item, Ge | Gt):
            low = item.ge if isinstance(item, Ge) else item.gt  # type: ignore[assignment]
        elif isinstance(item, Le | Lt):
            high = item.le if isinstance(item, Le) else item.lt  # type: ignore[assignment]
    if low is None or high is None:
        return None
    return low, high


def _typed_day(text: str) -> date:
    """A holiday typed `YYYY-MM-DD`, or a ValueError naming it (one line, cut short)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise ValueError(
        f"{one_line(text, 40)!r} is not a date; write each day as YYYY-MM-DD, separated by commas"
    )


def _default_hours() -> dict[str, str | None]:
    return {
        "mon": "09:00-17:30",
        "tue": "09:00-17:30",
        "wed": "09:00-17:30",
        "thu": "09:00-17:30",
        "fri": "09:00-17:30",
        "sat": "10:00-16:00",
        "sun": None,
    }


class ShopSettings(StrictModel):
    """Who the shop is and when it is open."""

    name: SettingText = Field(
        "Corner Shop", min_length=1, max_length=80, description="Shown in the title bar and on the kiosk."
    )
    timezone: str = Field("Europe/London", description="IANA time zone used for display and due times.")
    hours: dict[str, str | None] = Field(
        default_factory=_default_hours,
        description='Opening hours per weekday (mon..sun) as "HH:MM-HH:MM", several periods '
        'separated by commas ("09:00-12:30,13:30-17:30"), or "closed". Days left out keep these defaults.',
    )
    holidays: list[date] = Field(default_factory=list, description="Dates the shop is closed.")
    country: str = Field(
        "",
        description="Two-letter country code (ISO 3166, e.g. GB) for phone numbers typed without "
        "a +; empty means the country of the time zone.",
    )

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        code = value.strip().upper()
        if code and code not in _phone_regions():
            raise ValueError(
                "use a two-letter ISO 3166 country code that phone numbers know, such as GB, IE "
                "or US (empty: the time zone's country)"
            )
        return code

    @field_validator("holidays", mode="before")
    @classmethod
    def _days_as_written(cls, value: Any) -> Any:
        """A day typed as text must be YYYY-MM-DD; one that is not is named, with how to
        write it (rather than the date parser's words about separators)."""
        if not isinstance(value, list):
            return value
        return [_typed_day(item) if isinstance(item, str) else item for item in value]

    @field_validator("holidays")
    @classmethod
    def _each_day_once(cls, value: list[date]) -> list[date]:
        """Each day once, in date order, however the list arrived (`shop set`, a settings
        file, `shop holiday add`, or stored twice before this rule): a day closed is a
        day closed, and the list reads as a calendar."""
        return sorted(set(value))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            pendulum.timezone(value)
        except Exception as error:
            raise ValueError(f"unknown time zone {value!r}; use a name like Europe/London") from error
        return value

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        """Days left out keep the default hours; "closed" (or an empty string) closes a day."""
        merged = _default_hours()
        for day, spec in value.items():
            key = day.lower()[:3]
            if key not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r}; use mon, tue, wed, thu, fri, sat, sun")
            text = (spec or "").strip()
            if text.lower() in ("", "closed"):
                merged[key] = None
                continue
            merged[key] = OpeningHours.parse(text).spec
        return merged

    def opening_hours(self, weekday: int) -> OpeningHours | None:
        """Hours for a weekday numbered like `date.weekday()` (Monday is 0)."""
        spec = self.hours.get(WEEKDAYS[weekday])
        return OpeningHours.parse(spec) if spec else None


class Thresholds(StrictModel):
    """Minutes after which the floor board and leads are alerted. Each has a range a real
    shop could need (`field_range` reads it; refusals and `shop show`'s help name it)."""

    greet_within_minutes: int = Field(
        5, ge=1, le=120, description="An unowned customer waiting longer stands out."
    )
    browse_check_back_minutes: int = Field(
        15, ge=1, le=240, description="Quiet check-back time for customers who browse privately."
    )
    needs_help_escalate_minutes: int = Field(
        3, ge=1, le=120, description="Unclaimed 'needs help' customers are escalated to leads after this."
    )
    long_visit_minutes: int = Field(
        60, ge=1, le=MINUTES_A_DAY, description="Visits open longer than this are flagged."
    )
    idle_lock_minutes: int = Field(
        5, ge=1, le=240, description="A staff terminal locks after this much idle time."
    )


STATUS_UPDATE_DAYS = (1, 60)
"""Every how many days a status update may repeat: a customer left two months without
news is not being kept up to date. The shop's default and each update's own interval
(typed in the status-update form) share it."""


class FollowUpRules(StrictModel):
    """How due times are computed."""

    callback_cutoff_minutes: int = Field(
        60,
        ge=0,
        le=MINUTES_A_DAY,
        description="Callbacks asked within this many minutes of close are due next business day; "
        "a due time new hours leave shut moves earlier only to a close at least this far ahead.",
    )
    status_update_every_days: int = Field(
        3,
        ge=STATUS_UPDATE_DAYS[0],
        le=STATUS_UPDATE_DAYS[1],
        description="Open status updates repeat this often.",
    )
    contact_cadence_days: int = Field(
        2, ge=0, le=365, description="At most one outreach per customer in this many days (no hounding)."
    )


class Targets(StrictModel):
    """What the lead scorecard measures against; the defaults are what a careful shop aims for.

    "Greeted on time" uses `thresholds.greet_within_minutes`, so the board and the
    scorecard agree on what "too long" means.
    """

    greeted_on_time_pct: float = Field(
        90, ge=0, le=100, description="Share of customers greeted within the greet threshold."
    )
    thank_yous_on_time_pct: float = Field(
        95, ge=0, le=100, description="Share of thank-yous done by their due time."
    )
    calls_returned_same_day_pct: float = Field(
        100, ge=0, le=100, description="Share of callbacks returned by their due time (same day)."
    )
    promises_kept_on_time_pct: float = Field(
        95, ge=0, le=100, description="Share of promises done by the time promised."
    )
    handoffs_per_100_visits_max: float = Field(
        5,
        ge=0,
        le=100,
        description=(
            "At most this many approved hand-offs per 100 visits (a lead's reassignments are not counted)."
        ),
    )


KIOSK_NEEDS = (
    "browse_privately",
    "needs_help",
    "callback_wanted",
    "accessibility",
    "language",
    "pickup",
    "order_question",
)


class KioskChoice(StrictModel):
    """One answer to the kiosk's "What would you like?", numbered in the order listed."""

    label: SettingText = Field(
        min_length=1, max_length=40, description="What the customer reads, e.g. 'I'd like help'."
    )
    need: SettingText = Field(description="The need recorded on the visit: one of KIOSK_NEEDS.")
    next_step: SettingText = Field(
        min_length=1,
        max_length=120,
        description="The thank-you screen's 'what happens next', e.g. 'Someone will be with you'.",
    )

    @field_validator("need")
    @classmethod
    def _known_need(cls, value: str) -> str:
        if value not in KIOSK_NEEDS:
            raise ValueError(f"unknown need {value!r}; use one of {', '.join(KIOSK_NEEDS)}")
        return value


_SPOKEN = ", ".join(f"{code} {WORDS[code]['language_name']}" for code in LANGUAGES)


def _default_kiosk_choices() -> list[KioskChoice]:
    words = WORDS[ENGLISH]
    someone = words["next_someone"]
    return [
        KioskChoice(label=words["choice_browse"], need="browse_privately", next_step=words["next_browse"]),
        KioskChoice(label=words["choice_help"], need="needs_help", next_step=someone),
        KioskChoice(label=words["choice_pickup"], need="pickup", next_step=someone),
        KioskChoice(label=words["choice_order"], need="order_question", next_step=someone),
    ]


class KioskSettings(StrictModel):
    """The self check-in kiosk (`counter-tui kiosk`) by the door."""

    choices: list[KioskChoice] = Field(
        default_factory=_default_kiosk_choices,
        min_length=1,
        max_length=9,
        description="The answers offered, 1 to 9 of them (customers press their number).",
    )
    reset_seconds: float = Field(
        8, ge=1, le=300, description="The thank-you screen returns to welcome after this."
    )
    idle_seconds: float = Field(
        45,
        ge=1,
        le=3600,
        description="Any kiosk screen left untouched this long goes back to welcome.",
    )
    unlock_attempts: int = Field(
        5, ge=1, le=50, description="Wrong staff PINs at one kiosk before it locks out unlocking."
    )
    lockout_minutes: int = Field(
        5, ge=1, le=1440, description="How long wrong PINs count, and how long the lockout lasts."
    )
    languages: list[str] = Field(
        default_factory=lambda: ["en"],
        description=f"The languages the kiosk offers, by commas, the first shown at rest ({_SPOKEN}).",
    )

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        codes = [code.strip().lower() for code in value if code.strip()]
        unknown = [code for code in codes if code not in WORDS]
        if unknown or not codes or len(set(codes)) != len(codes):
            raise ValueError(
                f"the kiosk speaks {', '.join(LANGUAGES)}; list one or more of them once each, "
                "the first shown at rest (for example en,es)"
            )
        return codes


class Settings(BaseSettings):
    """All settings of one counter-tui terminal. The shop-wide sections (shop,
    thresholds, followups, targets, kiosk) are imported into a new shop's database once
    (`counter_tui.shop_rules`); after that the database's values count, the same on
    every terminal."""

    model_config = SettingsConfigDict(
        env_prefix="COUNTER_TUI_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    database_url: str = Field(default_factory=default_database_url, description="SQLAlchemy URL.")
    shop: ShopSettings = Field(default_factory=ShopSettings)  # type: ignore[arg-type]
    thresholds: Thresholds = Field(default_factory=Thresholds)  # type: ignore[arg-type]
    followups: FollowUpRules = Field(default_factory=FollowUpRules)  # type: ignore[arg-type]
    targets: Targets = Field(default_factory=Targets)  # type: ignore[arg-type]
    kiosk: KioskSettings = Field(default_factory=KioskSettings)  # type: ignore[arg-type]
    keys: dict[str, str] = Field(
        default_factory=dict,
        description="Key remapping: binding id -> keys, e.g. {'floor.claim' = 'c,f5'}.",
    )
    terminal_name: str = Field("counter", description="Name of this terminal, shown in audit events.")
    theme: str = Field(
        DEFAULT_THEME,
        description="This terminal's colours: high-contrast, or any Textual theme (textual-dark, nord, …).",
    )

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        problem = theme_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("keys")
    @classmethod
    def _usable_keymap(cls, value: dict[str, str]) -> dict[str, str]:
        """Every binding id exists and every key can be pressed (Textual ignores the rest)."""
        problem = keymap_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """CLI (init) beats env beats the TOML file beats defaults."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=default_config_path())
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Settings from every source, with `overrides` (CLI flags) on top; `None` values ignored.

    Raises ConfigError for a name in the settings file that means nothing."""
    path = default_config_path()
    if path.is_file():
        with path.open("rb") as file:
            check_settings_file(path, tomllib.load(file), Settings)
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
