"""Every shop setting has a range a real shop could need, written once (on its field) and
named in every refusal: a huge threshold typed at `shop set` or in the settings screen
once broke every floor board (OverflowError in `timedelta`). A value stored out of range
before the ranges existed is brought into range, loudly, where the rules are read; and a
country code is one the phone library knows."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from pydantic import BaseModel
from sqlmodel import select

from counter_tui.config import Settings, field_range
from counter_tui.db.models import ShopSetting
from counter_tui.errors import InvalidInput
from counter_tui.services import shop_settings
from counter_tui.services.context import ShopContext
from counter_tui.services.status_updates import MOST_DAYS
from counter_tui.shop_rules import ShopRules, describe, setting_range
from tests.conftest import Team
from tests.unit.conftest import AuditLog


def _numeric_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, type[BaseModel], str]]:
    """Every int or float field under `model`, however deep, as (key, model, name)."""
    found: list[tuple[str, type[BaseModel], str]] = []
    for name, info in model.model_fields.items():
        kind: Any = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            found += _numeric_fields(kind, f"{prefix}{name}.")
        elif kind in (int, float):
            found.append((f"{prefix}{name}", model, name))
    return found


NUMERIC = _numeric_fields(ShopRules) + [
    (key, model, name) for key, model, name in _numeric_fields(Settings) if not key.startswith("keys")
]
NUMERIC_KEYS = sorted({key for key, _, _ in _numeric_fields(ShopRules)})


def test_the_walk_finds_the_settings_that_once_had_no_upper_limit() -> None:
    keys = {key for key, _, _ in NUMERIC}
    assert {
        "thresholds.greet_within_minutes",
        "thresholds.idle_lock_minutes",
        "followups.status_update_every_days",
        "followups.contact_cadence_days",
        "kiosk.lockout_minutes",
        "mail.port",
    } <= keys


@pytest.mark.parametrize(("key", "model", "name"), NUMERIC, ids=[key for key, _, _ in NUMERIC])
def test_every_numeric_setting_has_a_lower_and_an_upper_bound(
    key: str, model: type[BaseModel], name: str
) -> None:
    bounds = field_range(model.model_fields[name])

    assert bounds is not None, f"{key} has no range: give its Field ge= and le="
    low, high = bounds
    assert low <= high, key
    default = model.model_fields[name].default
    assert low <= default <= high, f"{key}'s default {default} is outside {low} to {high}"


@pytest.mark.parametrize("key", NUMERIC_KEYS)
def test_every_numeric_setting_documents_its_range(key: str) -> None:
    found = setting_range(key)

    assert found is not None
    assert f"from {found.shown(found.low)} to {found.shown(found.high)}" in describe(key)


def test_the_status_update_form_and_the_setting_agree_on_the_range() -> None:
    found = setting_range("followups.status_update_every_days")

    assert found is not None
    assert (found.low, found.high) == (1, MOST_DAYS)


HOSTILE = ["99999999999", "-1", "1e309", "-1e309", "nan", "soon", "[/]", "", "5.5"]


@pytest.mark.parametrize("key", NUMERIC_KEYS)
@pytest.mark.parametrize("typed", HOSTILE)
def test_an_out_of_range_value_is_refused_naming_the_range_and_changes_nothing(
    ctx: ShopContext, team: Team, audit_log: AuditLog, key: str, typed: str
) -> None:
    found = setting_range(key)
    assert found is not None
    if typed == "5.5" and not found.whole:
        pytest.skip("a fraction is a fine value for a setting that takes one")
    if typed == "-1" and found.low < 0:
        pytest.skip("not out of range")
    before = shop_settings.current(ctx)

    with pytest.raises(InvalidInput) as refused:
        shop_settings.change(ctx, team.lead, {key: typed})

    sentence = str(refused.value)
    assert refused.value.field == key
    assert f"from {found.shown(found.low)} to {found.shown(found.high)}" in sentence, sentence
    assert sentence.count(".") <= 2 + key.count("."), sentence  # one sentence
    assert shop_settings.current(ctx) == before
    assert audit_log("shop_settings.changed") == []


@pytest.mark.parametrize("key", NUMERIC_KEYS)
def test_both_ends_of_every_range_are_accepted(ctx: ShopContext, team: Team, key: str) -> None:
    found = setting_range(key)
    assert found is not None
    for value in (found.low, found.high):
        rules = shop_settings.change(ctx, team.lead, {key: found.shown(value)}).rules
        section, name = key.rsplit(".", 1)
        node: Any = rules
        for part in section.split("."):
            node = getattr(node, part)
        assert getattr(node, name) == value


def test_the_refusal_of_a_huge_greet_threshold_reads_as_one_sentence(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(InvalidInput) as refused:
        shop_settings.change(ctx, team.lead, {"thresholds.greet_within_minutes": "99999999999"})

    assert str(refused.value) == (
        "thresholds.greet_within_minutes: type a whole number from 1 to 120 (minutes)."
    )


@pytest.mark.parametrize("typed", ["XX", "UK", "ZZ", "001", "G", "[/]"])
def test_a_country_the_phone_library_does_not_know_is_refused(
    ctx: ShopContext, team: Team, typed: str
) -> None:
    with pytest.raises(InvalidInput, match=r"shop.country: .*GB") as refused:
        shop_settings.change(ctx, team.lead, {"shop.country": typed})

    assert refused.value.field == "shop.country"
    assert shop_settings.current(ctx).shop.country == ""


@pytest.mark.parametrize(("typed", "kept"), [("gb", "GB"), (" IE ", "IE"), ("", "")])
def test_a_real_country_is_kept_in_capitals(ctx: ShopContext, team: Team, typed: str, kept: str) -> None:
    assert shop_settings.change(ctx, team.lead, {"shop.country": typed}).rules.shop.country == kept


def _store_behind_the_services_back(ctx: ShopContext, key: str, value: object) -> None:
    with ctx.database.write() as session:
        row = session.exec(select(ShopSetting).where(ShopSetting.key == key)).one()
        row.value = json.dumps(value)
        session.add(row)
    ctx.forget_rules()


@pytest.mark.parametrize(
    ("key", "stored", "read"),
    [
        ("thresholds.greet_within_minutes", 99999999999, 120),
        ("thresholds.idle_lock_minutes", -5, 1),
        ("followups.status_update_every_days", 99999999, 60),
        ("targets.greeted_on_time_pct", 1e300, 100),
        ("thresholds.long_visit_minutes", "soon", 60),
        ("shop.country", "XX", ""),
    ],
)
def test_a_value_stored_out_of_range_is_read_in_range_and_logged(
    ctx: ShopContext, caplog: pytest.LogCaptureFixture, key: str, stored: object, read: object
) -> None:
    _store_behind_the_services_back(ctx, key, stored)

    with caplog.at_level(logging.WARNING, logger="counter_tui"):
        rules = ctx.rules

    section, name = key.split(".")
    assert getattr(getattr(rules, section), name) == read
    (warning,) = [record for record in caplog.records if key in record.getMessage()]
    assert warning.levelno == logging.WARNING
    assert "shop set" in warning.getMessage()
    assert ctx.rules_repaired == (key,)


def test_a_lead_changing_another_setting_writes_the_repaired_value_back(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    _store_behind_the_services_back(ctx, "thresholds.greet_within_minutes", 99999999999)

    rules = shop_settings.change(ctx, team.lead, {"shop.name": "Renamed"}).rules

    assert rules.thresholds.greet_within_minutes == 120
    (event,) = audit_log("shop_settings.changed")
    assert json.loads(event.details)["changes"]["thresholds.greet_within_minutes"] == {
        "from": "99999999999",
        "to": "120",
    }
    assert ctx.rules_repaired == ()


def test_the_listing_marks_a_repaired_setting(ctx: ShopContext) -> None:
    _store_behind_the_services_back(ctx, "thresholds.greet_within_minutes", 99999999999)

    marked = [view for view in shop_settings.listing(ctx) if view.repaired]

    assert [(view.key, view.text) for view in marked] == [("thresholds.greet_within_minutes", "120")]
