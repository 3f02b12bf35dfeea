"""The shop-wide rules as one model, and as the flat `key -> value` pairs the database
keeps (`shop.hours.fri`, `thresholds.greet_within_minutes`, …).

What belongs to the whole shop (its name, time zone, hours, holidays, thresholds,
due-time rules, scorecard targets, kiosk choices, retention, the mail server) lives in
the database so that every terminal computes the same due times and closes at the same
time; what belongs to one terminal (its name, database URL and keys) stays in its
settings file. A settings file's shop-wide sections are imported once, into a new shop.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from pydantic.fields import FieldInfo

from counter_tui.config import (
    FollowUpRules,
    KioskSettings,
    Settings,
    ShopSettings,
    StrictModel,
    Targets,
    Thresholds,
    field_range,
)
from counter_tui.errors import InvalidInput
from counter_tui.mail_settings import MailRules
from counter_tui.mail_templates import PLACEHOLDERS

LONGEST_RETENTION_DAYS = 36_500


class RetentionRules(StrictModel):
    """How long the shop keeps personal data it no longer needs (`retention run` applies it)."""

    customers_unseen_days: int = Field(
        0,
        ge=0,
        le=LONGEST_RETENTION_DAYS,
        description="Erase customers who have not visited for this many days (0: keep them).",
    )
    visit_text_days: int = Field(
        0,
        ge=0,
        le=LONGEST_RETENTION_DAYS,
        description="Blank what was typed about visits (descriptions, need details, visit notes) "
        "older than this many days (0: keep it).",
    )


class ShopRules(StrictModel):
    """Every shop-wide setting; the defaults are a small shop's."""

    shop: ShopSettings = Field(default_factory=ShopSettings)  # type: ignore[arg-type]
    thresholds: Thresholds = Field(default_factory=Thresholds)  # type: ignore[arg-type]
    followups: FollowUpRules = Field(default_factory=FollowUpRules)  # type: ignore[arg-type]
    targets: Targets = Field(default_factory=Targets)  # type: ignore[arg-type]
    kiosk: KioskSettings = Field(default_factory=KioskSettings)  # type: ignore[arg-type]
    retention: RetentionRules = Field(default_factory=RetentionRules)  # type: ignore[arg-type]
    mail: MailRules = Field(default_factory=MailRules)  # type: ignore[arg-type]

    @classmethod
    def of(cls, settings: Settings) -> ShopRules:
        """The shop-wide sections of a terminal's settings (what a new shop imports)."""
        return cls(
            shop=settings.shop,
            thresholds=settings.thresholds,
            followups=settings.followups,
            targets=settings.targets,
            kiosk=settings.kiosk,
        )


def flatten(rules: ShopRules) -> dict[str, Any]:
    """`{"shop.hours.fri": "09:00-17:30", "thresholds.greet_within_minutes": 5, …}`,
    values as JSON would hold them (lists stay whole: holidays, kiosk choices)."""
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(f"{prefix}.{name}" if prefix else name, inner)
        else:
            flat[prefix] = value

    walk("", rules.model_dump(mode="json"))
    return flat


SETTING_KEYS: tuple[str, ...] = tuple(flatten(ShopRules()))
"""Every shop-wide setting's key, in the order `shop show` lists them."""


def rules_from(values: Mapping[str, Any]) -> ShopRules:
    """The rules from flat pairs; keys left out keep their defaults, unknown keys are
    ignored (a newer version's settings read by an older one). Raises ValidationError."""
    nested: dict[str, Any] = {}
    for key, value in values.items():
        if key not in SETTING_KEYS:
            continue
        *path, leaf = key.split(".")
        node = nested
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = value
    return ShopRules.model_validate(nested)


def rules_kept(values: Mapping[str, Any]) -> tuple[ShopRules, dict[str, str]]:
    """The rules from flat pairs as kept in the database, each value the rules refuse
    (stored before its range existed, or by hand) replaced: a number by the nearer end
    of its range, anything else by its default. Returns the rules and, by key, a sentence
    for each replacement (to log loudly: the screens go on working meanwhile)."""
    kept = {key: value for key, value in values.items() if key in SETTING_KEYS}
    defaults = flatten(ShopRules())
    repaired: dict[str, str] = {}
    for _ in SETTING_KEYS:
        try:
            return rules_from(kept), repaired
        except ValidationError as error:
            location = ".".join(str(part) for part in error.errors()[0]["loc"])
            key = next(
                (k for k in SETTING_KEYS if location == k or location.startswith(f"{k}.")),
                next((k for k in SETTING_KEYS if k.startswith(f"{location}.") and k in kept), None),
            )
            if key is None or key not in kept:
                raise
            found = setting_range(key)
            nearest = found.nearest(kept[key]) if found is not None else None
            value = nearest if nearest is not None else defaults[key]
            repaired[key] = (
                f"The shop setting {key} held {show_value(key, kept[key])!r}, which the rules refuse; "
                f"{show_value(key, value) or 'the default (empty)'} is used instead. A shift lead "
                f"can set it with: "
                f"counter-tui shop set {key} VALUE"
            )
            kept[key] = value
    return rules_from(kept), repaired


def check_key(key: str) -> str:
    """`key` if it names a shop-wide setting; otherwise a refusal naming the nearest."""
    if key in SETTING_KEYS:
        return key
    close = difflib.get_close_matches(key, SETTING_KEYS, n=1)
    hint = f" Did you mean {close[0]}?" if close else " `counter-tui shop show` lists them."
    raise InvalidInput(f"{key} is not a shop setting.{hint}", field=key)


def parse_text(key: str, text: str) -> Any:
    """A value typed for `key` (on the command line or in the settings screen) as the JSON
    value it is kept as: holidays as a comma-separated list of dates, kiosk languages as
    a comma-separated list of codes, kiosk choices as
    JSON, "closed" (or nothing) for a closed day; anything else as typed, for the model
    to check and convert."""
    text = text.strip()
    if key in ("shop.holidays", "kiosk.languages"):
        return [part.strip() for part in text.split(",") if part.strip()]
    if key == "kiosk.choices":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                'Write the kiosk choices as JSON: [{"label": …, "need": …, "next_step": …}, …].',
                field=key,
            ) from error
    if key.startswith("shop.hours.") and text.lower() in ("", "closed"):
        return None
    return text


def show_value(key: str, value: Any) -> str:
    """A kept value as a person would type it back (`parse_text` reads it again)."""
    if value is None and key.startswith("shop.hours."):
        return "closed"
    if key == "shop.holidays":
        return ", ".join(value)
    if key == "kiosk.languages":
        return ",".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


UNITS = {"_minutes": "minutes", "_days": "days", "_seconds": "seconds", "_pct": "percent"}


@dataclass(frozen=True)
class SettingRange:
    """The values a numeric setting takes, as its Field says (`config.field_range`)."""

    low: float
    high: float
    whole: bool
    unit: str

    def shown(self, value: float) -> str:
        """`5`, `0.5`: a bound or value as a person types it."""
        return str(int(value)) if float(value).is_integer() else str(value)

    @property
    def words(self) -> str:
        """`a whole number from 1 to 120 (minutes)`."""
        kind = "a whole number" if self.whole else "a number"
        unit = f" ({self.unit})" if self.unit else ""
        return f"{kind} from {self.shown(self.low)} to {self.shown(self.high)}{unit}"

    def nearest(self, value: Any) -> float | None:
        """`value` brought into range (the nearer bound), or None when it is not a number."""
        if isinstance(value, bool):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        if math.isnan(number):
            return None
        kept = min(max(number, self.low), self.high)
        return round(kept) if self.whole else kept


def _field_of(key: str) -> FieldInfo | None:
    """The settings model's field behind `key`, or None (hours, or not a setting)."""
    model: type[BaseModel] = ShopRules
    *path, name = key.split(".")
    for part in path:
        info = model.model_fields.get(part)
        kind = info.annotation if info else None
        if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
            return None
        model = kind
    return model.model_fields.get(name)


def setting_range(key: str) -> SettingRange | None:
    """The range of a numeric setting (`thresholds.greet_within_minutes`: 1 to 120
    minutes), or None for a setting that is not a number."""
    info = _field_of(key)
    if info is None or info.annotation not in (int, float):
        return None
    bounds = field_range(info)
    if bounds is None:
        return None
    unit = next((words for ending, words in UNITS.items() if key.endswith(ending)), "")
    return SettingRange(bounds[0], bounds[1], info.annotation is int, unit)


def refusal_of(error: ValidationError, key: str) -> InvalidInput:
    """A settings model's complaint about `key`, as one sentence beside its field; for a
    number, the range it takes (whatever was wrong: too big, too small, not a number)."""
    found = setting_range(key)
    if found is not None:
        return InvalidInput(f"{key}: type {found.words}.", field=key)
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    return InvalidInput(f"{key}: {message}.", field=key)


def describe(key: str) -> str:
    """What a setting means and how to write it, from the settings models' own docs."""
    if key.startswith("shop.hours."):
        return (
            f"Opening hours on {key.rsplit('.', 1)[1]}: e.g. 09:00-17:30; with a break for "
            "lunch 09:00-12:30,13:30-17:30; or closed."
        )
    if key == "shop.holidays":
        return "Dates the shop is closed, YYYY-MM-DD, separated by commas."
    *path, name = key.split(".")
    node: Any = ShopRules()
    for part in path:
        node = getattr(node, part)
    meaning = type(node).model_fields[name].description or ""
    found = setting_range(key)
    if found is not None:
        meaning = f"{meaning} Takes {found.words}."
    if key.startswith("mail.templates."):
        kind = type(ShopRules().mail.templates).model_fields[path[-1]].description or ""
        known = ", ".join(f"{{{placeholder}}}" for placeholder in PLACEHOLDERS)
        meaning = f"{kind} {meaning} Placeholders: {known}."
    return meaning


def ignored_file_keys(settings: Settings, file_data: Mapping[str, Any], rules: ShopRules) -> list[str]:
    """The shop-wide settings a terminal's settings file sets to something other than the
    shop's own: once a shop has its rules, the file's values for them are not used, and
    whoever edits the file should be told so rather than left wondering."""
    own, shops = flatten(ShopRules.of(settings)), flatten(rules)
    return [key for key in SETTING_KEYS if _written(file_data, key) and own[key] != shops[key]]


def _written(data: Mapping[str, Any], key: str) -> bool:
    """Whether the settings file's tables hold `key` (e.g. `[shop.hours]` `fri = …`)."""
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True
