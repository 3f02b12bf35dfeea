"""One shop, one set of rules (issue 8, finding 5): the shop-wide settings live in the
database, imported once from the first terminal's settings file, changed only by a shift
lead (checked, audited in the same transaction), and the same on every terminal: a
terminal whose own file says otherwise still computes the shop's due times and does not
close the day before the shop's closing time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.config import Settings, ShopSettings, Thresholds
from counter_tui.db.models import AuditEvent, ShopSetting, Visit
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.services import closing, shop_settings, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.feed import open_feed
from tests.concurrency.inbox import Inbox
from tests.conftest import FRIDAY_11AM, Team, make_settings, set_shop_rules
from tests.unit.conftest import AuditLog


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _terminal(url: str, clock: ManualClock, **shop: object) -> ShopContext:
    """Another terminal on the shop, whose own settings file says `shop`."""
    settings = Settings(
        database_url=url,
        terminal_name="till-2",
        shop=ShopSettings(name="Till Two's Idea", **shop),  # type: ignore[arg-type]
        thresholds=Thresholds(greet_within_minutes=42),  # type: ignore[call-arg]
    )
    return open_shop(settings, clock=clock)


def test_the_first_start_imports_the_settings_file_once(tmp_path: Path, clock: ManualClock) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    first = open_shop(make_settings(url, hours={"fri": "09:00-12:30,13:30-17:30"}), clock=clock, create=True)
    second = _terminal(url, clock, hours={"fri": "09:00-11:00"})
    try:
        for terminal in (first, second):
            assert terminal.rules.shop.name == "Test Shop"
            assert terminal.rules.shop.hours["fri"] == "09:00-12:30,13:30-17:30"
            assert terminal.rules.thresholds.greet_within_minutes == 5
        with first.database.read() as session:
            query = select(AuditEvent).where(AuditEvent.action == "shop_settings.imported")
            imports = session.exec(query).all()
            assert [event.terminal for event in imports] == ["counter"]
            assert len(session.exec(select(ShopSetting)).all()) == len(shop_settings.SETTING_KEYS)
    finally:
        first.database.dispose()
        second.database.dispose()


def test_a_lead_changes_a_setting_audited_with_before_and_after(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    rules = shop_settings.change(
        ctx, team.lead, {"thresholds.greet_within_minutes": "3", "shop.hours.fri": "09:00 - 16:00"}
    ).rules

    assert rules.thresholds.greet_within_minutes == 3
    assert ctx.rules.shop.hours["fri"] == "09:00-16:00"
    (event,) = audit_log("shop_settings.changed")
    assert event.actor_id == team.lead.staff_id
    assert json.loads(event.details)["changes"] == {
        "shop.hours.fri": {"from": "09:00-17:30", "to": "09:00-16:00"},
        "thresholds.greet_within_minutes": {"from": "5", "to": "3"},
    }


def test_only_a_lead_changes_settings(ctx: ShopContext, team: Team, audit_log: AuditLog) -> None:
    with pytest.raises(NotAllowed, match="Only a shift lead can change the shop's settings"):
        shop_settings.change(ctx, team.sam, {"shop.name": "Sam's Shop"})

    assert shop_settings.current(ctx).shop.name == "Test Shop"
    assert audit_log("shop_settings.changed") == []


@pytest.mark.parametrize(
    ("key", "typed", "sentence"),
    [
        ("thresholds.greet_within_minutes", "0", "greet_within_minutes: type a whole number from 1 to 120"),
        ("thresholds.greet_within_minutes", "soon", "greet_within_minutes: type a whole number from 1 to"),
        ("shop.hours.fri", "17:30-09:00", "shop.hours.fri: closing time must be after opening time"),
        ("shop.timezone", "Mars/Olympus", "shop.timezone: unknown time zone 'Mars/Olympus'"),
        ("shop.name", "  ", "shop.name: String should have at least 1 character"),
        ("thresholds.greet_within_minutse", "3", "not a shop setting. Did you mean thresholds.greet_within"),
    ],
)
def test_a_value_the_rules_refuse_changes_nothing(
    ctx: ShopContext, team: Team, audit_log: AuditLog, key: str, typed: str, sentence: str
) -> None:
    with pytest.raises(InvalidInput, match=sentence) as refused:
        shop_settings.change(ctx, team.lead, {key: typed, "thresholds.long_visit_minutes": "99"})

    assert refused.value.field == key
    assert shop_settings.current(ctx).thresholds.long_visit_minutes == 60
    assert audit_log("shop_settings.changed") == []


def test_holidays_are_added_and_removed(ctx: ShopContext, team: Team) -> None:
    shop_settings.add_holiday(ctx, team.lead, date(2026, 12, 25))
    shop_settings.add_holiday(ctx, team.lead, date(2026, 12, 24))
    assert shop_settings.current(ctx).shop.holidays == [date(2026, 12, 24), date(2026, 12, 25)]
    assert not ctx.calendar.is_open_day(date(2026, 12, 25))

    shop_settings.remove_holiday(ctx, team.lead, date(2026, 12, 24))

    assert ctx.rules.shop.holidays == [date(2026, 12, 25)]
    with pytest.raises(InvalidInput, match="2026-12-24 is not a holiday"):
        shop_settings.remove_holiday(ctx, team.lead, date(2026, 12, 24))


CHRISTMAS, BOXING_DAY = date(2026, 12, 25), date(2026, 12, 26)


def _stored_holidays(ctx: ShopContext) -> list[str]:
    with ctx.database.read() as session:
        row = session.get(ShopSetting, "shop.holidays")
        return json.loads(row.value) if row is not None else []


def test_a_day_added_twice_is_one_holiday_and_the_second_add_changes_nothing(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    first = shop_settings.add_holiday(ctx, team.lead, CHRISTMAS)
    again = shop_settings.add_holiday(ctx, team.lead, CHRISTMAS)

    assert (first.changed, again.changed) == (True, False)
    assert again.rules.shop.holidays == [CHRISTMAS]
    assert _stored_holidays(ctx) == ["2026-12-25"]
    assert len(audit_log("shop_settings.changed")) == 1


def test_holidays_typed_twice_or_out_of_order_are_kept_once_in_date_order(
    ctx: ShopContext, team: Team
) -> None:
    shop_settings.change(ctx, team.lead, {"shop.holidays": "2026-12-26, 2026-12-25, 2026-12-26"})

    assert _stored_holidays(ctx) == ["2026-12-25", "2026-12-26"]
    assert ctx.rules.shop.holidays == [CHRISTMAS, BOXING_DAY]


def test_a_settings_file_with_a_holiday_twice_gives_a_new_shop_it_once(
    tmp_path: Path, clock: ManualClock
) -> None:
    settings = make_settings(
        f"sqlite:///{tmp_path / 'new.sqlite3'}", holidays=[BOXING_DAY, CHRISTMAS, BOXING_DAY]
    )
    assert settings.shop.holidays == [CHRISTMAS, BOXING_DAY]

    new_shop = open_shop(settings, clock=clock, create=True)
    try:
        assert _stored_holidays(new_shop) == ["2026-12-25", "2026-12-26"]
    finally:
        new_shop.database.dispose()


def test_a_holiday_stored_twice_before_this_rule_reads_once(ctx: ShopContext, team: Team) -> None:
    set_shop_rules(ctx, {"shop.holidays": ["2026-12-26", "2026-12-25", "2026-12-26"]})

    assert ctx.rules.shop.holidays == [CHRISTMAS, BOXING_DAY]
    assert shop_settings.add_holiday(ctx, team.lead, BOXING_DAY).changed is False
    shop_settings.remove_holiday(ctx, team.lead, BOXING_DAY)
    assert _stored_holidays(ctx) == ["2026-12-25"]


def test_every_terminal_computes_the_shops_due_times_not_its_own_files(
    ctx: ShopContext, database_url: str, clock: ManualClock
) -> None:
    till = _terminal(database_url, clock, hours={"fri": "09:00-12:00"})
    try:
        cutoff = till.rules.followups.callback_cutoff_minutes
        # By the till's own file (close 12:00) a call asked at 11:00 would be due Saturday.
        assert till.calendar.callback_due(FRIDAY_11AM, cutoff) == _utc(2026, 11, 20, 17, 30)
        assert till.rules.thresholds.greet_within_minutes == 5
        assert till.rules.shop.name == ctx.rules.shop.name == "Test Shop"
    finally:
        till.database.dispose()


def test_another_terminal_follows_a_change_reported_by_its_feed(
    ctx: ShopContext, team: Team, database_url: str, clock: ManualClock
) -> None:
    till = _terminal(database_url, clock)
    inbox = Inbox()
    feed = open_feed(till, inbox, poll_seconds=0.01)
    try:
        assert till.calendar.closing(date(2026, 11, 20)) == _utc(2026, 11, 20, 17, 30)

        shop_settings.set_hours(ctx, team.lead, "Friday", "09:00-16:00")
        inbox.until(lambda event: any(c.entity == "shop_settings" for c in event.changes))

        assert till.calendar.closing(date(2026, 11, 20)) == _utc(2026, 11, 20, 16, 0)
    finally:
        feed.stop()
        till.database.dispose()


def test_auto_close_waits_for_the_shops_closing_time_not_a_terminals(
    ctx: ShopContext, team: Team, database_url: str, clock: ManualClock
) -> None:
    early_till = _terminal(database_url, clock, hours={"fri": "09:00-11:00"})
    try:
        walk_in = visits.new_walk_in(ctx, team.sam, description="browsing", claim=True)
        clock.moment = FRIDAY_11AM + timedelta(hours=1)  # after the till's 11:00, before 17:30

        assert closing.close_day_if_due(early_till, grace=timedelta(0)) is None
        with ctx.database.read() as session:
            visit = session.get(Visit, walk_in)
            assert visit is not None and visit.ended_at is None
    finally:
        early_till.database.dispose()


def test_auto_close_reads_a_closing_time_changed_since_it_last_looked(
    ctx: ShopContext, team: Team, database_url: str, clock: ManualClock
) -> None:
    till = _terminal(database_url, clock)
    try:
        assert till.calendar.closing(date(2026, 11, 20)) == _utc(2026, 11, 20, 17, 30)  # kept
        walk_in = visits.new_walk_in(ctx, team.sam, description="browsing", claim=True)
        shop_settings.set_hours(ctx, team.lead, "fri", "09:00-12:00")
        clock.moment = _utc(2026, 11, 20, 12, 30)

        result = closing.close_day_if_due(till, grace=timedelta(0))

        assert result is not None and result.closed_visit_ids == (walk_in,)
    finally:
        till.database.dispose()


def test_a_kiosk_choice_the_rules_refuse_is_named_beside_the_choices(ctx: ShopContext, team: Team) -> None:
    bad = '[{"label": "Help", "need": "a cuddle", "next_step": "Soon."}]'

    with pytest.raises(InvalidInput, match=r"kiosk\.choices: unknown need 'a cuddle'") as refused:
        shop_settings.change(ctx, team.lead, {"shop.name": "Kept", "kiosk.choices": bad})

    assert refused.value.field == "kiosk.choices"
    assert shop_settings.current(ctx).shop.name == "Test Shop"


HIDDEN = "\u202e\u0007\u001b\u0000"
"""A bidi override, BEL, ESC and NUL: what cleaned text never holds."""


def _no_hidden(value: object) -> bool:
    return not any(char in json.dumps(value, ensure_ascii=False) for char in HIDDEN)


def test_text_inside_the_kiosk_choices_is_cleaned_like_any_typed_text(ctx: ShopContext, team: Team) -> None:
    """JSON escapes (`\\u202e`) are read after the typed text is cleaned, so the choices'
    own text is cleaned too: what is stored, audited and shown to customers."""
    typed = json.dumps(
        [{"label": "Help\u202e\u0007\u001b[31m me", "need": "needs_help", "next_step": "ok\u0000"}]
    )

    rules = shop_settings.change(ctx, team.lead, {"kiosk.choices": typed}).rules

    (choice,) = rules.kiosk.choices
    assert (choice.label, choice.next_step) == ("Help[31m me", "ok")
    with ctx.database.read() as session:
        stored = session.get(ShopSetting, "kiosk.choices")
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "shop_settings.changed")).all()
    assert stored is not None
    assert json.loads(stored.value) == [{"label": "Help[31m me", "need": "needs_help", "next_step": "ok"}]
    assert _no_hidden([event.details for event in events])


def test_a_kiosk_choice_with_nothing_left_after_cleaning_is_refused(ctx: ShopContext, team: Team) -> None:
    typed = json.dumps([{"label": "\u202e\u0007", "need": "needs_help", "next_step": "Soon."}])

    with pytest.raises(InvalidInput, match=r"kiosk\.choices") as refused:
        shop_settings.change(ctx, team.lead, {"kiosk.choices": typed})

    assert refused.value.field == "kiosk.choices"


def test_a_settings_files_text_is_cleaned_when_a_new_shop_imports_it(
    tmp_path: Path, clock: ManualClock
) -> None:
    """A settings file (TOML escapes) or an environment variable can hold what typing
    cannot; the shop keeps it cleaned like typed text."""
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    file = {
        "shop": {"name": f"Corner{HIDDEN}Shop"},
        "kiosk": {
            "choices": [{"label": f"Look{HIDDEN} around", "need": "browse_privately", "next_step": "Hi"}]
        },
    }
    shop = open_shop(Settings(database_url=url, **file), clock=clock, create=True)  # type: ignore[arg-type]
    try:
        assert shop.rules.shop.name == "CornerShop"
        assert shop.rules.kiosk.choices[0].label == "Look around"
        with shop.database.read() as session:
            assert _no_hidden([row.value for row in session.exec(select(ShopSetting))])
    finally:
        shop.database.dispose()


def test_text_stored_before_it_was_cleaned_is_read_cleaned(ctx: ShopContext) -> None:
    set_shop_rules(
        ctx,
        {
            "shop.name": f"Corner{HIDDEN}Shop",
            "kiosk.choices": [{"label": f"Help{HIDDEN}", "need": "needs_help", "next_step": f"ok{HIDDEN}"}],
            "mail.templates.thank_you.subject": f"Thanks{HIDDEN}",
            "mail.user": f"counter{HIDDEN}",
        },
    )

    rules = shop_settings.current(ctx)

    assert rules.shop.name == "CornerShop"
    assert (rules.kiosk.choices[0].label, rules.kiosk.choices[0].next_step) == ("Help", "ok")
    assert (rules.mail.templates.thank_you.subject, rules.mail.user) == ("Thanks", "counter")
    assert _no_hidden([setting.text for setting in shop_settings.listing(ctx)])
