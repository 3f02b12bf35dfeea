"""The kiosk's services: checking in, a lead unlocking it (with a per-terminal lockout),
its settings, and the launcher's environment scrubbing and restart loop."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError
from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.config import KIOSK_NEEDS, KioskChoice, KioskSettings
from counter_tui.db.models import AuditEvent, Customer, NeedKind, Visit, VisitNeed
from counter_tui.errors import InvalidInput, NotAllowed, SignInFailed
from counter_tui.services import kiosk, staff, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.ui.kiosk.launch import (
    KioskExit,
    keep_kiosk_running,
    scrub_textual_environment,
    textual_imported,
)
from tests.conftest import Team, set_shop_rules


def kiosk_actions(ctx: ShopContext) -> list[tuple[str, str, int | None]]:
    """Kiosk audit events as (action, terminal, actor id)."""
    with ctx.database.read() as session:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("kiosk.")).order_by(col(AuditEvent.id))
        ).all()
        return [(row.action, row.terminal, row.actor_id) for row in rows]


def fail_times(ctx: ShopContext, terminal: str, pin: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(SignInFailed):
            kiosk.unlock(ctx, terminal, pin)


# --- checking in ---------------------------------------------------------------------


def test_check_in_creates_an_unowned_visit_with_the_need_and_kiosk_source(
    ctx: ShopContext,
) -> None:
    visit_id = kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name=" Ann ", need="pickup")).visit_id
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        needs = list(session.exec(select(VisitNeed.kind).where(VisitNeed.visit_id == visit_id)))
    assert visit is not None
    assert (visit.description, visit.source, visit.owner_id, visit.customer_id) == (
        "Ann",
        "kiosk door",
        None,
        None,
    )
    assert needs == ["pickup"]


def test_first_names_are_cleaned_and_refused_over_the_limit() -> None:
    assert kiosk.clean_first_name("An\x1b]0;pwned\x07n") == "An]0;pwnedn"
    assert kiosk.clean_first_name("\tZoë\n") == "Zoë"
    assert kiosk.clean_first_name("x" * 30) == "x" * kiosk.FIRST_NAME_MAX
    with pytest.raises(InvalidInput, match=r"^A first name can be at most 30 characters; this one has 100"):
        kiosk.clean_first_name("x" * 100)
    assert kiosk.clean_first_name("") == ""
    assert kiosk.clean_first_name("   ") == ""


@pytest.mark.parametrize("odd", ["!!!", "1234", "[/]", "😀"])
def test_a_first_name_without_letters_is_refused_kindly(odd: str) -> None:
    with pytest.raises(InvalidInput, match="doesn't look like a first name"):
        kiosk.clean_first_name(odd)


def test_check_in_never_links_a_known_customer(ctx: ShopContext) -> None:
    with ctx.database.write() as session:
        session.add(Customer(name="Ann", name_key="ann", created_at=ctx.now()))
    visit_id = kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name="Ann", need="needs_help")).visit_id
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
    assert visit is not None and visit.customer_id is None


def test_a_kiosk_actor_cannot_claim_or_name_a_customer(ctx: ShopContext) -> None:
    with pytest.raises(NotAllowed):
        visits.new_walk_in(ctx, Actor.kiosk("door"), description="Ann", claim=True)


# --- unlocking -----------------------------------------------------------------------


def test_a_lead_pin_unlocks_and_is_logged_without_the_pin(ctx: ShopContext, team: Team) -> None:
    lead = kiosk.unlock(ctx, "door", "1111")
    assert lead == team.lead
    assert kiosk_actions(ctx) == [("kiosk.unlocked", "door", team.lead.staff_id)]
    with ctx.database.read() as session:
        details = [event.details for event in session.exec(select(AuditEvent))]
    assert not any("1111" in text for text in details)


@pytest.mark.parametrize("pin", ["2222", "3333", "0000", "", "abcd", "1111 1"])
def test_other_pins_are_refused_and_logged(ctx: ShopContext, team: Team, pin: str) -> None:
    with pytest.raises(SignInFailed, match="shift lead's PIN is needed"):
        kiosk.unlock(ctx, "door", pin)
    assert kiosk_actions(ctx) == [("kiosk.unlock_failed", "door", None)]


def test_a_deactivated_lead_cannot_unlock(ctx: ShopContext, team: Team) -> None:
    staff.add_staff(ctx, None, name="Lee", pin="4444", role="lead")
    staff.deactivate(ctx, None, name="Lee")
    with pytest.raises(SignInFailed):
        kiosk.unlock(ctx, "door", "4444")


def test_repeated_wrong_pins_lock_this_terminal_out_for_a_while(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    set_shop_rules(ctx, {"kiosk.unlock_attempts": 3, "kiosk.lockout_minutes": 10})
    fail_times(ctx, "door", "0000", 3)
    with pytest.raises(SignInFailed, match="Try again in 10 minutes"):
        kiosk.unlock(ctx, "door", "1111")
    clock.advance(minutes=9)
    with pytest.raises(SignInFailed, match="Try again in 1 minute\\."):
        kiosk.unlock(ctx, "door", "1111")
    clock.advance(minutes=1)
    assert kiosk.unlock(ctx, "door", "1111") == team.lead
    assert [action for action, _terminal, _actor in kiosk_actions(ctx)] == [
        "kiosk.unlock_failed",
        "kiosk.unlock_failed",
        "kiosk.unlock_failed",
        "kiosk.unlock_refused",
        "kiosk.unlock_refused",
        "kiosk.unlocked",
    ]


def test_the_wrong_pin_that_locks_the_kiosk_says_so_then_and_there(ctx: ShopContext, team: Team) -> None:
    set_shop_rules(ctx, {"kiosk.unlock_attempts": 3, "kiosk.lockout_minutes": 10})
    fail_times(ctx, "door", "0000", 2)
    with pytest.raises(SignInFailed) as last:
        kiosk.unlock(ctx, "door", "0000")
    assert str(last.value) == (
        "That PIN does not unlock the kiosk. Too many wrong PINs at this kiosk. Try again in 10 minutes."
    )


def test_the_lockout_is_per_terminal(ctx: ShopContext, team: Team) -> None:
    set_shop_rules(ctx, {"kiosk.unlock_attempts": 2})
    fail_times(ctx, "door", "0000", 2)
    with pytest.raises(SignInFailed, match="Too many wrong PINs"):
        kiosk.unlock(ctx, "door", "1111")
    assert kiosk.unlock(ctx, "back door", "1111") == team.lead


def test_a_successful_unlock_clears_earlier_failures(ctx: ShopContext, team: Team) -> None:
    set_shop_rules(ctx, {"kiosk.unlock_attempts": 3})
    fail_times(ctx, "door", "0000", 2)
    kiosk.unlock(ctx, "door", "1111")
    fail_times(ctx, "door", "0000", 2)
    assert kiosk.unlock(ctx, "door", "1111") == team.lead


def test_failures_older_than_the_window_do_not_count(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    set_shop_rules(ctx, {"kiosk.unlock_attempts": 2, "kiosk.lockout_minutes": 5})
    fail_times(ctx, "door", "0000", 1)
    clock.advance(minutes=6)
    fail_times(ctx, "door", "0000", 1)
    assert kiosk.unlock(ctx, "door", "1111") == team.lead


def test_closing_the_kiosk_is_logged(ctx: ShopContext, team: Team) -> None:
    kiosk.record_exit(ctx, team.lead, "door")
    assert kiosk_actions(ctx) == [("kiosk.exited", "door", team.lead.staff_id)]


# --- settings ------------------------------------------------------------------------


def test_kiosk_needs_are_exactly_the_visit_needs() -> None:
    assert set(KIOSK_NEEDS) == {kind.value for kind in NeedKind}


def test_default_choices_match_the_issue() -> None:
    choices = KioskSettings().choices
    assert [choice.need for choice in choices] == [
        "browse_privately",
        "needs_help",
        "pickup",
        "order_question",
    ]


def test_choice_settings_are_checked() -> None:
    with pytest.raises(ValidationError, match="unknown need"):
        KioskChoice(label="Coffee", need="coffee", next_step="Brewing.")
    one = KioskChoice(label="Help", need="needs_help", next_step="Coming.")
    with pytest.raises(ValidationError):
        KioskSettings(choices=[one] * 10)
    with pytest.raises(ValidationError):
        KioskSettings(choices=[])
    with pytest.raises(ValidationError):
        KioskSettings(reset_seconds=0)


# --- the launcher --------------------------------------------------------------------


def test_textual_environment_variables_are_scrubbed() -> None:
    environ = {
        "TEXTUAL_ALLOW_SIGNALS": "1",
        "TEXTUAL": "debug",
        "textual_press": "ctrl+q",
        "TEXTUAL_DRIVER": "x",
        "COUNTER_TUI_DATABASE_URL": "sqlite://",
        "TERM": "xterm",
    }
    removed = scrub_textual_environment(environ)
    assert sorted(removed) == ["TEXTUAL", "TEXTUAL_ALLOW_SIGNALS", "TEXTUAL_DRIVER", "textual_press"]
    assert environ == {"COUNTER_TUI_DATABASE_URL": "sqlite://", "TERM": "xterm"}


def test_textual_imported_reports_an_earlier_import() -> None:
    import textual  # noqa: F401

    assert textual_imported()


def test_the_kiosk_starts_again_after_a_crash_until_a_lead_closes_it(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("counter_tui.ui.kiosk.launch.ignore_keyboard_signals", lambda: None)
    outcomes: list[object] = [None, RuntimeError("boom"), KioskExit("Dana")]
    pauses: list[float] = []
    restarts: list[str] = []

    def run_once() -> object:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    with caplog.at_level(logging.INFO, logger="counter_tui.kiosk"):
        result = keep_kiosk_running(
            run_once,
            pause=pauses.append,
            clock=lambda: 0.0,
            on_restart=lambda: restarts.append("restart"),
        )
    assert result == KioskExit("Dana")
    assert outcomes == []
    assert len(restarts) == 2
    assert pauses == [1.0, 2.0], "quick failures back off"
    assert "stopped unexpectedly" in caplog.text
    assert "boom" in caplog.text
    assert "closed by Dana" in caplog.text
