"""The day report (`counter-tui report day`): a day built through the services with the
manual clock, and the exact JSON, CSV and text it prints; the same figures as the lead's
end-of-day screen; spreadsheet-formula and control-character safety."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import NeedKind, Outcome
from counter_tui.report import day_report, render_day_report, render_json
from counter_tui.services import closing, customers, end_of_day, followups, handoffs, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team

FRIDAY = date(2026, 11, 20)
GOOD_LINE = "Hope the blue kettle suits your new kitchen"


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@dataclass
class Day:
    """Ids of what the hand-built day created."""

    ty_bob: int
    ty_cara: int
    call_bob: int
    call_cara: int
    promise: int
    boots: int
    umbrella: int
    pending: int


def build_day(ctx: ShopContext, team: Team, clock: ManualClock) -> Day:
    """Thursday: Sam sells to Bob and Alex to Cara (thank-yous due Friday 17:30); a customer
    in brown boots is still waiting at close and is closed automatically on Friday morning.

    Friday, London time (= UTC in November), report at 17:45 before the automatic close:
      09:00 green coat, Sam claims 09:02 (2 min)
      09:10 red hat, Alex claims 09:18 (8 min, late)
      10:00 blue scarf, Sam claims 10:01, hand-off to Alex approved 10:06
      10:30 quiet browser (browse privately), left unserved 10:50
      11:00 callbacks: Sam for Bob (returned 15:00), Alex for Cara (not returned)
      11:00 Sam promises Bob stock news by 14:00, done 14:30 (late)
      15:00 Sam's thank-you to Bob done; Alex's to Cara left open
      16:00 yellow umbrella, Alex claims 16:03, asks to hand off 16:10 (pending)
      17:00 grey hoodie arrives; nobody claims them
    """
    bob = customers.create_customer(
        ctx, team.sam, name="Bob Jones", phone="07700 900123", email="bob@example.com",
        opted_in=["phone", "email"],
    )  # fmt: skip
    cara = customers.create_customer(
        ctx, team.alex, name="Cara Lee", phone="07700 900456", email="cara@example.com",
        opted_in=["phone", "email"],
    )  # fmt: skip

    def at(day: int, hour: int, minute: int) -> None:
        clock.moment = _utc(2026, 11, day, hour, minute)

    at(19, 12, 0)
    sale = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    ty_bob = visits.end_visit(ctx, team.sam, sale, Outcome.PURCHASE, personal_line=GOOD_LINE).thank_you_id
    sale = visits.new_walk_in(ctx, team.alex, customer_id=cara, claim=True)
    ty_cara = visits.end_visit(ctx, team.alex, sale, Outcome.PURCHASE, personal_line=GOOD_LINE).thank_you_id
    at(19, 17, 10)
    boots = visits.new_walk_in(ctx, team.sam, description="brown boots")
    at(20, 9, 0)
    closing.close_day_if_due(ctx)

    green = visits.new_walk_in(ctx, team.sam, description="green coat")
    at(20, 9, 2)
    visits.claim_visit(ctx, team.sam, green)
    at(20, 9, 10)
    red = visits.new_walk_in(ctx, team.sam, description="red hat")
    at(20, 9, 18)
    visits.claim_visit(ctx, team.alex, red)
    at(20, 9, 20)
    visits.end_visit(ctx, team.sam, green, Outcome.NO_PURCHASE)
    at(20, 9, 30)
    visits.end_visit(ctx, team.alex, red, Outcome.NO_PURCHASE)
    at(20, 10, 0)
    scarf = visits.new_walk_in(ctx, team.sam, description="blue scarf")
    at(20, 10, 1)
    visits.claim_visit(ctx, team.sam, scarf)
    at(20, 10, 5)
    request = handoffs.request_handoff(ctx, team.sam, scarf, team.alex.staff_id or 0, "Needs a tiler")
    at(20, 10, 6)
    handoffs.approve_handoff(ctx, team.lead, request)
    at(20, 10, 30)
    visits.end_visit(ctx, team.alex, scarf, Outcome.NO_PURCHASE)
    browser = visits.new_walk_in(
        ctx, team.sam, description="quiet browser", needs=[NeedKind.BROWSE_PRIVATELY]
    )
    at(20, 10, 50)
    visits.end_visit(ctx, team.sam, browser, Outcome.LEFT_UNSERVED)
    at(20, 11, 0)
    call_bob = followups.add_callback(ctx, team.sam, bob, about="repair quote")
    call_cara = followups.add_callback(ctx, team.alex, cara, about="order ETA")
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="check stock", due_at=_utc(2026, 11, 20, 14, 0)
    )
    at(20, 14, 30)
    followups.complete_followup(ctx, team.sam, promise, what_was_done="Rang Bob")
    at(20, 15, 0)
    # the thank-you first: once Bob has been called, the contact cadence holds it (a callback
    # he asked for is never held)
    followups.complete_followup(ctx, team.sam, ty_bob or 0, what_was_done="Emailed")
    followups.complete_followup(ctx, team.sam, call_bob, what_was_done="Quoted 40 pounds")
    at(20, 16, 0)
    umbrella = visits.new_walk_in(ctx, team.sam, description="yellow umbrella")
    at(20, 16, 3)
    visits.claim_visit(ctx, team.alex, umbrella)
    at(20, 16, 10)
    pending = handoffs.request_handoff(ctx, team.alex, umbrella, team.sam.staff_id or 0, "Going home early")
    at(20, 17, 0)
    visits.new_walk_in(ctx, team.sam, description="grey hoodie")
    at(20, 17, 45)
    return Day(
        ty_bob=ty_bob or 0,
        ty_cara=ty_cara or 0,
        call_bob=call_bob,
        call_cara=call_cara,
        promise=promise,
        boots=boots,
        umbrella=umbrella,
        pending=pending,
    )


def _measure(
    label: str, value: float | None, numerator: int, denominator: int, target: float, met: bool | None,
    higher: bool = True,
) -> dict[str, Any]:  # fmt: skip
    return {
        "label": label,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "target": target,
        "higher_is_better": higher,
        "met": met,
    }


def expected_report(day: Day) -> dict[str, Any]:
    """The figures worked out by hand from `build_day`."""
    return {
        "shop": "Test Shop",
        "date": "2026-11-20",
        "timezone": "Europe/London",
        "opens": "09:00",
        "closes": "17:30",
        "generated_at": "2026-11-20T17:45:00+00:00",
        "summary": {
            "unreturned_calls": 1,
            "overdue_followups": 1,
            "pending_handoffs": 1,
            "flagged_visits": 1,
        },
        # Six visits; the browser is left out of greeting; the hoodie has waited 45 minutes.
        # Waits 120, 480, 60, 180, 2700 seconds: average 708, longest 2700.
        "scorecard": {
            "visits": 6,
            "average_wait_seconds": 708,
            "longest_wait_seconds": 2700,
            "measures": {
                "greeted_on_time": _measure("greeted on time", 60.0, 3, 5, 90.0, False),
                "thank_yous_on_time": _measure("thank-yous on time", 50.0, 1, 2, 95.0, False),
                "calls_returned_same_day": _measure("calls returned same day", 50.0, 1, 2, 100.0, False),
                "promises_kept_on_time": _measure("promises kept on time", 0.0, 0, 1, 95.0, False),
                "handoffs_per_100_visits": _measure(
                    "hand-offs per 100 visits", 16.7, 1, 6, 5.0, False, higher=False
                ),
            },
        },
        "wait_quotes": {
            "quoted": 0,
            "quoted_average": 0.0,
            "actual_average": 0.0,
            "within_quote": 0,
            "left_unseen": 0,
        },
        "by_staff": [
            {
                "staff": "Alex",
                "visits": 2,
                "average_wait_seconds": 330,
                "longest_wait_seconds": 480,
                "measures": {
                    "greeted_on_time": _measure("greeted on time", 50.0, 1, 2, 90.0, False),
                    "thank_yous_on_time": _measure("thank-yous on time", 0.0, 0, 1, 95.0, False),
                    "calls_returned_same_day": _measure("calls returned same day", 0.0, 0, 1, 100.0, False),
                    "promises_kept_on_time": _measure("promises kept on time", None, 0, 0, 95.0, None),
                    "handoffs_per_100_visits": _measure(
                        "hand-offs per 100 visits", 0.0, 0, 2, 5.0, True, higher=False
                    ),
                },
            },
            {
                "staff": "Sam",
                "visits": 2,
                "average_wait_seconds": 90,
                "longest_wait_seconds": 120,
                "measures": {
                    "greeted_on_time": _measure("greeted on time", 100.0, 2, 2, 90.0, True),
                    "thank_yous_on_time": _measure("thank-yous on time", 100.0, 1, 1, 95.0, True),
                    "calls_returned_same_day": _measure("calls returned same day", 100.0, 1, 1, 100.0, True),
                    "promises_kept_on_time": _measure("promises kept on time", 0.0, 0, 1, 95.0, False),
                    "handoffs_per_100_visits": _measure(
                        "hand-offs per 100 visits", 50.0, 1, 2, 5.0, False, higher=False
                    ),
                },
            },
        ],
        "unreturned_calls": [
            {
                "id": day.call_cara,
                "kind": "callback",
                "customer": "Cara Lee",
                "owner": "Alex",
                "channel": "phone",
                "due_at": "2026-11-20T17:30:00+00:00",
                "summary": "order ETA",
            }
        ],
        "overdue_followups": [
            {
                "id": day.ty_cara,
                "kind": "thank_you",
                "customer": "Cara Lee",
                "owner": "Alex",
                "channel": "email",
                "due_at": "2026-11-20T17:30:00+00:00",
                "summary": "Thank you for visiting Test Shop, Cara.",
            }
        ],
        "pending_handoffs": [
            {
                "id": day.pending,
                "visit_id": day.umbrella,
                "customer": "yellow umbrella",
                "from": "Alex",
                "to": "Sam",
                "reason": "Going home early",
                "requested_at": "2026-11-20T16:10:00+00:00",
            }
        ],
        "flagged_visits": [
            {
                "visit_id": day.boots,
                "customer": "brown boots",
                "owner": None,
                "arrived_at": "2026-11-19T17:10:00+00:00",
                "ended_at": "2026-11-19T17:30:00+00:00",
                "outcome": "left_at_close",
            }
        ],
    }


def test_json_report_of_the_hand_built_day(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    day = build_day(ctx, team, clock)
    expected = expected_report(day)
    assert day_report(ctx, FRIDAY) == expected
    text = render_day_report(ctx, FRIDAY, "json")
    assert json.loads(text) == expected
    assert text == json.dumps(expected, indent=2, ensure_ascii=False)


def test_csv_report_of_the_hand_built_day(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    build_day(ctx, team, clock)
    assert render_day_report(ctx, FRIDAY, "csv") == (
        "section,who,item,value,target,met,detail\n"
        "report,,shop,Test Shop,,,\n"
        "report,,date,2026-11-20,,,\n"
        "report,,timezone,Europe/London,,,\n"
        "report,,hours,09:00-17:30,,,\n"
        "report,,generated_at,2026-11-20 17:45,,,\n"
        "summary,all,unreturned_calls,1,,,\n"
        "summary,all,overdue_followups,1,,,\n"
        "summary,all,pending_handoffs,1,,,\n"
        "summary,all,flagged_visits,1,,,\n"
        "scorecard,all,visits,6,,,\n"
        "scorecard,all,greeted_on_time,60.0,90.0,no,3 of 5\n"
        "scorecard,all,thank_yous_on_time,50.0,95.0,no,1 of 2\n"
        "scorecard,all,calls_returned_same_day,50.0,100.0,no,1 of 2\n"
        "scorecard,all,promises_kept_on_time,0.0,95.0,no,0 of 1\n"
        "scorecard,all,handoffs_per_100_visits,16.7,5.0,no,1 of 6\n"
        "scorecard,all,average_wait_seconds,708,,,\n"
        "scorecard,all,longest_wait_seconds,2700,,,\n"
        "scorecard,all,kiosk_wait_quotes,0,,,Kiosk wait quotes: none given.\n"
        "scorecard,Alex,visits,2,,,\n"
        "scorecard,Alex,greeted_on_time,50.0,90.0,no,1 of 2\n"
        "scorecard,Alex,thank_yous_on_time,0.0,95.0,no,0 of 1\n"
        "scorecard,Alex,calls_returned_same_day,0.0,100.0,no,0 of 1\n"
        "scorecard,Alex,promises_kept_on_time,,95.0,,0 of 0\n"
        "scorecard,Alex,handoffs_per_100_visits,0.0,5.0,yes,0 of 2\n"
        "scorecard,Alex,average_wait_seconds,330,,,\n"
        "scorecard,Alex,longest_wait_seconds,480,,,\n"
        "scorecard,Sam,visits,2,,,\n"
        "scorecard,Sam,greeted_on_time,100.0,90.0,yes,2 of 2\n"
        "scorecard,Sam,thank_yous_on_time,100.0,95.0,yes,1 of 1\n"
        "scorecard,Sam,calls_returned_same_day,100.0,100.0,yes,1 of 1\n"
        "scorecard,Sam,promises_kept_on_time,0.0,95.0,no,0 of 1\n"
        "scorecard,Sam,handoffs_per_100_visits,50.0,5.0,no,1 of 2\n"
        "scorecard,Sam,average_wait_seconds,90,,,\n"
        "scorecard,Sam,longest_wait_seconds,120,,,\n"
        "unreturned_call,Alex,Cara Lee,2026-11-20 17:30,,,order ETA\n"
        "overdue_followup,Alex,Cara Lee,2026-11-20 17:30,,,"
        '"thank-you: Thank you for visiting Test Shop, Cara."\n'
        "pending_handoff,Alex,yellow umbrella,2026-11-20 16:10,,,to Sam: Going home early\n"
        "flagged_visit,,brown boots,2026-11-19 17:10,,,left (closed at end of day)\n"
    )


def test_text_report_of_the_hand_built_day(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    build_day(ctx, team, clock)
    assert render_day_report(ctx, FRIDAY, "text") == (
        "Test Shop - end of day 2026-11-20 (hours 09:00-17:30, Europe/London)\n"
        "Generated 2026-11-20 17:45\n"
        "\n"
        "Scorecard\n"
        "  visits                           6\n"
        "  greeted on time              60.0%   target >= 90%    MISSED (3 of 5)\n"
        "  thank-yous on time           50.0%   target >= 95%    MISSED (1 of 2)\n"
        "  calls returned same day      50.0%   target >= 100%   MISSED (1 of 2)\n"
        "  promises kept on time         0.0%   target >= 95%    MISSED (0 of 1)\n"
        "  hand-offs per 100 visits      16.7   target <= 5      MISSED (1 of 6)\n"
        "  average wait               11m 48s\n"
        "  longest wait               45m 00s\n"
        "  Kiosk wait quotes: none given.\n"
        "\n"
        "By staff\n"
        "                       visits    greeted thank-yous      calls   promises  hand-offs\n"
        "  Alex                      2      50.0%       0.0%       0.0%          -        0.0\n"
        "  Sam                       2     100.0%     100.0%     100.0%       0.0%       50.0\n"
        "\n"
        "Unreturned calls (1)\n"
        "  2026-11-20 17:30  Cara Lee - Alex: order ETA\n"
        "\n"
        "Overdue follow-ups (1)\n"
        "  2026-11-20 17:30  thank-you for Cara Lee - Alex: Thank you for visiting Test Shop, Cara.\n"
        "\n"
        "Hand-offs waiting for a lead (1)\n"
        "  2026-11-20 16:10  yellow umbrella: Alex -> Sam (Going home early)\n"
        "\n"
        "Visits flagged for review (1)\n"
        "  2026-11-19 17:10  brown boots - nobody, left (closed at end of day)\n"
    )


def test_report_uses_the_end_of_day_figures(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    build_day(ctx, team, clock)
    screen = end_of_day.end_of_day(ctx, team.lead, FRIDAY)
    report = day_report(ctx, FRIDAY)
    assert report["summary"] == {
        "unreturned_calls": len(screen.unreturned_calls),
        "overdue_followups": len(screen.overdue_followups),
        "pending_handoffs": len(screen.pending_handoffs),
        "flagged_visits": len(screen.flagged_visits),
    }
    assert report["scorecard"]["visits"] == screen.scorecard.overall.visits
    assert [m["value"] for m in report["scorecard"]["measures"].values()] == [
        m.value for m in screen.scorecard.overall.measures
    ]


def test_a_quiet_closed_day(ctx: ShopContext, team: Team) -> None:
    sunday = date(2026, 11, 22)
    report = day_report(ctx, sunday)
    assert (report["opens"], report["closes"], report["by_staff"]) == (None, None, [])
    assert report["summary"] == dict.fromkeys(
        ("unreturned_calls", "overdue_followups", "pending_handoffs", "flagged_visits"), 0
    )
    text = render_day_report(ctx, sunday, "text")
    assert "(hours closed, Europe/London)" in text
    assert "  greeted on time                  -   target >= 90%    nothing to measure\n" in text
    assert "Unreturned calls (0)\n  none\n" in text
    assert "  nobody greeted a customer or had a follow-up due\n" in text
    assert "report,,hours,closed,,,\n" in render_day_report(ctx, sunday, "csv")


def test_csv_cells_cannot_run_as_spreadsheet_formulas(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visits.new_walk_in(ctx, team.sam, description='=HYPERLINK("http://x")\x1b[2J')
    clock.moment = _utc(2026, 11, 20, 18, 0)
    closing.close_day_if_due(ctx)
    rows = list(csv.reader(io.StringIO(render_day_report(ctx, FRIDAY, "csv"))))
    (flagged,) = [row for row in rows if row[0] == "flagged_visit"]
    assert flagged[2] == '\'=HYPERLINK("http://x")[2J'
    assert "\x1b" not in render_day_report(ctx, FRIDAY, "text")


def test_unknown_format_is_refused(ctx: ShopContext) -> None:
    with pytest.raises(ValueError, match="text, csv or json"):
        render_day_report(ctx, FRIDAY, "xml")
    assert render_json({"a": "é"}) == '{\n  "a": "é"\n}'
