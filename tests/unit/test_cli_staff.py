"""`counter-tui staff …` once the shop has a lead: every change asks for a lead's name and
PIN (or takes them from the environment), is audited as that lead with the terminal, and
wrong PINs count towards the lead's lockout; deactivation asks where open work goes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select
from typer.testing import Result

from counter_tui.db.models import AuditEvent, Visit
from counter_tui.errors import SignInFailed
from counter_tui.services import customers, followups, staff, visits
from tests.unit.test_cli import app, assert_one_line_failure, runner, shop, staff_id

LEAD_ENV = {"COUNTER_TUI_LEAD": "Dana", "COUNTER_TUI_LEAD_PIN": "1111"}


def invoke(
    database_url: str, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> Result:
    """Run `counter-tui --db URL ARGS…` in-process, with extra environment variables."""
    return runner.invoke(app, ["--db", database_url, *args], input=input, env=env)


def events(database_url: str, *actions: str) -> list[AuditEvent]:
    with shop(database_url).database.read() as session:
        return list(
            session.exec(
                select(AuditEvent).where(col(AuditEvent.action).in_(actions)).order_by(col(AuditEvent.id))
            )
        )


def names(database_url: str) -> list[str]:
    return [person.name for person in staff.list_staff(shop(database_url), include_inactive=True)]


def test_adding_a_lead_without_a_leads_pin_is_refused_once_a_lead_exists(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "staff", "add", "Mallory", "--role", "lead", "--pin", "1234")

    assert_one_line_failure(
        result,
        "This needs a shift lead's name and PIN: give --lead NAME and set COUNTER_TUI_LEAD_PIN, "
        "or run it where it can ask.",
    )
    assert "Mallory" not in names(shop_with_lead)


def test_the_lead_is_asked_for_and_the_change_is_audited_as_them_with_the_terminal(
    shop_with_lead: str,
) -> None:
    result = invoke(shop_with_lead, "staff", "add", "Kim", input="Dana\n1111\n5555\n5555\n")

    assert result.exit_code == 0, result.output
    assert "Shift lead's name" in result.output and "PIN for Dana" in result.output
    assert "1111" not in result.output and "5555" not in result.output
    dana = staff_id(shop_with_lead, "Dana")
    added = events(shop_with_lead, "staff.added")[-1]
    allowed = events(shop_with_lead, "staff.command_allowed")[-1]
    assert (added.actor_id, added.terminal) == (dana, "counter")
    assert (allowed.actor_id, allowed.terminal) == (dana, "counter")
    assert '"command": "staff add"' in allowed.details


def test_scripts_give_the_lead_through_the_environment(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "staff", "set-pin", "Sam", "--pin", "8642", env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert staff.sign_in(shop(shop_with_lead), staff_id(shop_with_lead, "Sam"), "8642").name == "Sam"


def test_a_wrong_lead_pin_is_refused_and_counts_towards_the_lockout(shop_with_lead: str) -> None:
    for attempt in range(1, staff.MAX_FAILED_ATTEMPTS + 1):
        result = invoke(
            shop_with_lead, "staff", "add", "Kim", "--pin", "5555", "--lead", "dana", input="9999\n"
        )
        then = (
            "Try again."
            if attempt < staff.MAX_FAILED_ATTEMPTS
            else "Too many wrong PINs for Dana at this terminal. Wait 5 minutes, "
            "or ask a shift lead to clear the lockout or set a new PIN."
        )
        assert_one_line_failure(result, f"Wrong PIN for Dana. {then}")
    locked = invoke(shop_with_lead, "staff", "add", "Kim", "--pin", "5555", "--lead", "Dana", input="1111\n")

    assert locked.exit_code == 1
    assert locked.stderr.startswith("Too many wrong PINs for Dana at this terminal.")
    assert "Kim" not in names(shop_with_lead)


def test_an_associate_cannot_allow_a_change(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "staff", "add", "Kim", "--pin", "5555", "--lead", "Sam", input="2222\n")

    assert_one_line_failure(
        result, "'Sam' is not an active shift lead. A shift lead's name and PIN are needed."
    )
    assert "Kim" not in names(shop_with_lead)


def test_clear_lockout_lifts_it_at_every_terminal(shop_with_lead: str) -> None:
    ctx = shop(shop_with_lead)
    sam = staff_id(shop_with_lead, "Sam")
    for _ in range(staff.MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed):
            staff.sign_in(ctx, sam, "0000")

    result = invoke(shop_with_lead, "staff", "clear-lockout", "Sam", env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Lockout cleared for Sam (counter)."
    assert staff.sign_in(ctx, sam, "2222").name == "Sam"


def test_deactivate_refuses_while_they_own_work_and_passes_it_with_pass_to(shop_with_lead: str) -> None:
    ctx = shop(shop_with_lead)
    sam = staff.sign_in(ctx, staff_id(shop_with_lead, "Sam"), "2222")
    visit_id = visits.new_walk_in(ctx, sam, description="red coat", claim=True)
    invoke(shop_with_lead, "staff", "add", "Alex", "--pin", "3333", env=LEAD_ENV)

    refused = invoke(shop_with_lead, "staff", "deactivate", "Sam", env=LEAD_ENV)
    assert_one_line_failure(
        refused,
        "Sam still owns 1 customer (red coat). Say who takes them over: "
        "counter-tui staff deactivate 'Sam' --pass-to NAME",
    )
    passed = invoke(shop_with_lead, "staff", "deactivate", "Sam", "--pass-to", "Alex", env=LEAD_ENV)

    assert passed.exit_code == 0, passed.output
    assert passed.stdout.strip() == "Sam can no longer sign in. Their 1 customer (red coat) went to Alex."
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
    assert visit is not None and visit.owner_id == staff_id(shop_with_lead, "Alex")
    [moved] = events(shop_with_lead, "visit.reassigned")
    assert moved.actor_id == staff_id(shop_with_lead, "Dana")


def test_reactivate_lets_them_back_in(shop_with_lead: str) -> None:
    invoke(shop_with_lead, "staff", "deactivate", "Sam", env=LEAD_ENV)

    result = invoke(shop_with_lead, "staff", "reactivate", "sam", env=LEAD_ENV)
    again = invoke(shop_with_lead, "staff", "reactivate", "Sam", env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "sam can sign in again."
    assert staff.sign_in(shop(shop_with_lead), staff_id(shop_with_lead, "Sam"), "2222").name == "Sam"
    assert_one_line_failure(again, "Sam is already active.")


def test_followups_go_with_the_visits(shop_with_lead: str) -> None:
    ctx = shop(shop_with_lead)
    sam = staff.sign_in(ctx, staff_id(shop_with_lead, "Sam"), "2222")
    bob = customers.create_customer(ctx, sam, name="Bob Jones", phone="07700 900123")
    followups.add_promise(ctx, sam, bob, promise="ring back", due_at=ctx.now() + timedelta(days=1))
    invoke(shop_with_lead, "staff", "add", "Alex", "--pin", "3333", env=LEAD_ENV)

    result = invoke(shop_with_lead, "staff", "deactivate", "Sam", "--pass-to", "Alex", env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert "1 open follow-up went to Alex" in result.stdout
    assert len(events(shop_with_lead, "followup.reassigned")) == 1
