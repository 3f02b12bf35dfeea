"""`counter-tui shop …`: the shop-wide settings from the command line. Anyone at the
terminal can look; changing them asks for a shift lead's name and PIN, is audited as that
lead, and a refused value is one red line that changes nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from counter_tui.services import customers, followups
from counter_tui.services.context import Actor
from counter_tui.shop_rules import SETTING_KEYS
from tests.unit.test_cli import assert_one_line_failure, shop, staff_id
from tests.unit.test_cli_staff import LEAD_ENV, events, invoke


def test_show_lists_every_shop_setting_as_it_would_be_typed(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "show")

    assert result.exit_code == 0, result.output
    lines = [line.split(maxsplit=1) for line in result.stdout.splitlines()]
    assert len(lines) == len(SETTING_KEYS)
    assert ["shop.hours.fri", "09:00-17:30"] in lines
    assert ["shop.hours.sun", "closed"] in lines
    assert ["thresholds.greet_within_minutes", "5"] in lines


def test_a_lead_sets_hours_and_every_terminal_reads_them(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "hours", "fri", "09:00-12:30,13:30-16:00", env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "shop.hours.fri is now 09:00-12:30,13:30-16:00."
    assert shop(shop_with_lead).rules.shop.hours["fri"] == "09:00-12:30,13:30-16:00"
    (event,) = events(shop_with_lead, "shop_settings.changed")
    assert json.loads(event.details)["changes"]["shop.hours.fri"]["to"] == "09:00-12:30,13:30-16:00"


def test_set_changes_a_threshold_with_the_leads_pin_asked_for(shop_with_lead: str) -> None:
    result = invoke(
        shop_with_lead, "shop", "set", "thresholds.greet_within_minutes", "3", input="Dana\n1111\n"
    )

    assert result.exit_code == 0, result.output
    assert shop(shop_with_lead).rules.thresholds.greet_within_minutes == 3


def test_holidays_are_added_and_removed(shop_with_lead: str) -> None:
    assert invoke(shop_with_lead, "shop", "holiday", "add", "2026-12-25", env=LEAD_ENV).exit_code == 0
    assert shop(shop_with_lead).rules.shop.holidays == [date(2026, 12, 25)]

    removed = invoke(shop_with_lead, "shop", "holiday", "remove", "2026-12-25", env=LEAD_ENV)

    assert removed.exit_code == 0, removed.output
    assert shop(shop_with_lead).rules.shop.holidays == []


def test_a_refused_value_is_one_red_line_and_changes_nothing(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "hours", "fri", "17:30-09:00", env=LEAD_ENV)

    assert_one_line_failure(
        result, "shop.hours.fri: closing time must be after opening time in '17:30-09:00'."
    )
    assert shop(shop_with_lead).rules.shop.hours["fri"] == "09:00-17:30"


def test_a_misspelt_key_is_refused_with_the_nearest(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "set", "thresholds.greet_within_minutse", "3", env=LEAD_ENV)

    assert_one_line_failure(
        result,
        "thresholds.greet_within_minutse is not a shop setting. "
        "Did you mean thresholds.greet_within_minutes?",
    )


def test_a_wrong_pin_changes_nothing(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "set", "shop.name", "Mallory's", input="Dana\n9999\n")

    assert result.exit_code == 1
    assert shop(shop_with_lead).rules.shop.name == "Corner Shop"
    assert events(shop_with_lead, "shop_settings.changed") == []


def test_an_associate_cannot_change_settings(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "set", "shop.name", "Sam's", input="Sam\n2222\n")

    assert result.exit_code == 1
    assert shop(shop_with_lead).rules.shop.name == "Corner Shop"


def test_a_terminals_file_that_differs_from_the_shop_is_pointed_out(
    shop_with_lead: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "till-2.toml"
    config.write_text("[thresholds]\ngreet_within_minutes = 3\nlong_visit_minutes = 60\n", encoding="utf-8")
    monkeypatch.setenv("COUNTER_TUI_CONFIG", str(config))

    result = invoke(shop_with_lead, "staff", "list")

    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        f"Note: {config} sets thresholds.greet_within_minutes, but this shop's own setting is "
        "used (the same on every terminal). See them with: counter-tui shop show"
    )
    assert shop(shop_with_lead).rules.thresholds.greet_within_minutes == 5


@pytest.mark.parametrize("typed", ["99999999999", "-5", "1e309", "[/]"])
def test_a_value_out_of_range_is_one_red_line_naming_the_range(shop_with_lead: str, typed: str) -> None:
    # `--` lets a value start with a minus sign, as for any command
    result = invoke(
        shop_with_lead, "shop", "set", "--", "thresholds.greet_within_minutes", typed, env=LEAD_ENV
    )

    assert_one_line_failure(
        result, "thresholds.greet_within_minutes: type a whole number from 1 to 120 (minutes)."
    )
    assert shop(shop_with_lead).rules.thresholds.greet_within_minutes == 5
    assert events(shop_with_lead, "shop_settings.changed") == []


@pytest.mark.parametrize("typed", ["-5", "-1.5", "-x"])
def test_a_value_with_a_minus_sign_reaches_the_settings_check_without_dashes(
    shop_with_lead: str, typed: str
) -> None:
    result = invoke(shop_with_lead, "shop", "set", "thresholds.idle_lock_minutes", typed, env=LEAD_ENV)

    assert_one_line_failure(
        result, "thresholds.idle_lock_minutes: type a whole number from 1 to 240 (minutes)."
    )
    assert events(shop_with_lead, "shop_settings.changed") == []


def test_a_country_the_phone_library_does_not_know_is_refused(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "set", "shop.country", "XX", env=LEAD_ENV)

    assert result.exit_code == 1
    assert "shop.country" in result.output and "GB" in result.output
    assert shop(shop_with_lead).rules.shop.country == ""


def test_show_says_which_value_was_stored_out_of_range(shop_with_lead: str) -> None:
    """A value stored out of range (by an older version, or by hand) is read as the nearest
    allowed one; `shop show` says so beside it instead of printing it as if set."""
    with sqlite3.connect(shop_with_lead.removeprefix("sqlite:///")) as connection:
        connection.execute(
            "UPDATE shopsetting SET value = '99999999999' WHERE key = 'thresholds.greet_within_minutes'"
        )

    result = invoke(shop_with_lead, "shop", "show")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    [shown] = [line for line in lines if line.startswith("thresholds.greet_within_minutes")]
    assert shown.split()[1] == "120"
    assert "stored out of range" in shown
    assert [line for line in lines if "out of range" in line] == [shown]


def test_kiosk_choices_are_stored_and_printed_without_control_or_bidi_characters(shop_with_lead: str) -> None:
    """`shop set` and `shop show` print to the lead's own terminal: a bidi override or an
    escape sequence typed as a JSON escape must neither be kept nor reach it."""
    typed = '[{"label": "Help\\u202e\\u0007\\u001b[31m me", "need": "needs_help", "next_step": "ok\\u0000"}]'

    changed = invoke(shop_with_lead, "shop", "set", "kiosk.choices", typed, env=LEAD_ENV)
    shown = invoke(shop_with_lead, "shop", "show")

    assert changed.exit_code == 0, changed.output
    assert shown.exit_code == 0, shown.output
    kept = '[{"label": "Help[31m me", "need": "needs_help", "next_step": "ok"}]'
    assert changed.stdout == f"kiosk.choices is now {kept}.\n"
    [listed] = [line for line in shown.stdout.splitlines() if line.startswith("kiosk.choices ")]
    assert listed.split(maxsplit=1)[1] == kept
    hidden = [char for char in changed.stdout + shown.stdout if char in "\u202e\x07\x1b\x00"]
    assert hidden == []
    with sqlite3.connect(shop_with_lead.removeprefix("sqlite:///")) as connection:
        (stored,) = connection.execute("SELECT value FROM shopsetting WHERE key = 'kiosk.choices'").fetchone()
    assert json.loads(stored) == json.loads(kept)


def test_adding_a_day_that_is_a_holiday_already_says_so_and_changes_nothing(shop_with_lead: str) -> None:
    assert invoke(shop_with_lead, "shop", "holiday", "add", "2026-12-25", env=LEAD_ENV).exit_code == 0

    again = invoke(shop_with_lead, "shop", "holiday", "add", "2026-12-25", env=LEAD_ENV)

    assert again.exit_code == 0, again.output
    assert again.stdout == "2026-12-25 was already a holiday; nothing changed. Holidays: 2026-12-25.\n"
    assert shop(shop_with_lead).rules.shop.holidays == [date(2026, 12, 25)]
    assert len(events(shop_with_lead, "shop_settings.changed")) == 1


def test_set_keeps_each_holiday_once_in_date_order(shop_with_lead: str) -> None:
    result = invoke(
        shop_with_lead, "shop", "set", "shop.holidays", "2026-12-26, 2026-12-25,2026-12-26", env=LEAD_ENV
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == "shop.holidays is now 2026-12-25, 2026-12-26.\n"
    assert shop(shop_with_lead).rules.shop.holidays == [date(2026, 12, 25), date(2026, 12, 26)]


@pytest.mark.parametrize(
    "typed",
    ["[/]", "2026-12-25\x1b]0;owned\x07", "9" * 5000, "🎄", "2026-12-25\n2026-12-26"],
    ids=["markup", "terminal-escape", "5000-characters", "emoji", "line-break"],
)
def test_a_holiday_typed_wrong_is_one_red_line_that_changes_nothing(shop_with_lead: str, typed: str) -> None:
    for command in (["holiday", "add", typed], ["set", "shop.holidays", typed]):
        result = invoke(shop_with_lead, "shop", *command, env=LEAD_ENV)

        assert result.exit_code == 1, result.output
        assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < 300, result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert shop(shop_with_lead).rules.shop.holidays == []


def test_a_holiday_list_with_a_word_in_it_says_which_and_how_to_write_it(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "set", "shop.holidays", "2026-12-25, Boxing Day", env=LEAD_ENV)

    assert_one_line_failure(
        result,
        "shop.holidays: 'Boxing Day' is not a date; write each day as YYYY-MM-DD, separated by commas.",
    )


def test_a_setting_emptied_is_said_to_be_empty(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "shop", "set", "shop.holidays", "", env=LEAD_ENV)

    assert (result.exit_code, result.stdout) == (0, "shop.holidays is now empty.\n")


def _promise_due_on_a_wednesday_ahead(database_url: str) -> date:
    """A promise by Dana due at the close of a Wednesday at least a week from now (the
    command line runs on the real clock); that Wednesday."""
    here = shop(database_url)
    dana = Actor(staff_id=staff_id(database_url, "Dana"), name="Dana", role="lead")
    today = here.calendar.local_date(here.now())
    wednesday = today + timedelta(days=7 + (2 - today.weekday()) % 7)
    closing = here.calendar.closing(wednesday)
    assert closing is not None
    ann = customers.create_customer(here, dana, name="Ann Lee")
    followups.add_promise(here, dana, ann, promise="Order the blue kettle", due_at=closing)
    return wednesday


MOVED_ONE = "Moved 1 follow-up due when the shop is now closed to when it is open; each owner is told.\n"


def test_a_holiday_on_a_day_follow_ups_are_due_says_how_many_moved(shop_with_lead: str) -> None:
    wednesday = _promise_due_on_a_wednesday_ahead(shop_with_lead)

    result = invoke(shop_with_lead, "shop", "holiday", "add", wednesday.isoformat(), env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{wednesday.isoformat()} is now a holiday. Holidays: {wednesday.isoformat()}.\n{MOVED_ONE}"
    )
    assert len(events(shop_with_lead, "followup.due_moved")) == 1


def test_hours_that_close_a_day_follow_ups_are_due_say_how_many_moved(shop_with_lead: str) -> None:
    _promise_due_on_a_wednesday_ahead(shop_with_lead)

    result = invoke(shop_with_lead, "shop", "hours", "wed", "closed", env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"shop.hours.wed is now closed.\n{MOVED_ONE}"
