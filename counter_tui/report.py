"""The end-of-day report for the command line: `counter-tui report day`.

`day_report` turns the same `EndOfDayReport` the lead's end-of-day screen shows into a
`DayReport`, a typed dict of plain values (times in the store's time zone), and the
renderers print it as text for an email, CSV for a spreadsheet, or JSON for other tools.
It is an administrator's command, so it reads without a signed-in staff member.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import Any

from counter_tui.report_figures import (
    CardFigures,
    DayReport,
    FollowUpItem,
    MeasureFigures,
    StaffFigures,
    WaitQuoteFigures,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.end_of_day import build_end_of_day
from counter_tui.services.export_format import FORMULA_STARTS
from counter_tui.services.labels import FOLLOWUP_LABELS, OUTCOME_LABELS
from counter_tui.services.review_views import EndOfDayReport, Scorecard
from counter_tui.services.views import FollowUpView
from counter_tui.services.wait_quotes import QuotedWaits, quoted_waits
from counter_tui.text import one_line

FORMATS = ("text", "csv", "json")
CSV_COLUMNS = ("section", "who", "item", "value", "target", "met", "detail")


def day_report(ctx: ShopContext, day: date) -> DayReport:
    """The end-of-day figures for store-local `day` as a JSON-ready dict."""
    start = ctx.calendar.start_of_day(day)
    with ctx.database.read() as session:
        report = build_end_of_day(session, ctx, day)
        quotes = quoted_waits(session, start, ctx.calendar.start_of_day(day + timedelta(days=1)))
    return report_dict(ctx, report, quotes)


def report_dict(ctx: ShopContext, report: EndOfDayReport, quotes: QuotedWaits) -> DayReport:
    """An `EndOfDayReport` (and the day's kiosk wait quotes) as a dict of plain values,
    times in store time (ISO 8601)."""

    def when(moment: datetime | None) -> str | None:
        return ctx.calendar.local(moment).isoformat() if moment is not None else None

    def clock(moment: datetime | None) -> str | None:
        return ctx.calendar.local(moment).format("HH:mm") if moment is not None else None

    def followup(view: FollowUpView) -> FollowUpItem:
        return {
            "id": view.id,
            "kind": view.kind,
            "customer": view.customer_name,
            "owner": view.owner_name,
            "channel": view.channel,
            "due_at": when(view.due_at),
            "summary": view.summary,
        }

    return {
        "shop": report.shop_name,
        "date": report.day.isoformat(),
        "timezone": ctx.rules.shop.timezone,
        "opens": clock(report.opens_at),
        "closes": clock(report.closes_at),
        "generated_at": when(report.generated_at),
        "summary": {
            "unreturned_calls": len(report.unreturned_calls),
            "overdue_followups": len(report.overdue_followups),
            "pending_handoffs": len(report.pending_handoffs),
            "flagged_visits": len(report.flagged_visits),
        },
        "scorecard": _card_dict(report.scorecard.overall),
        "wait_quotes": _quotes_dict(quotes),
        "by_staff": [_staff_dict(staff.name, staff.card) for staff in report.scorecard.by_staff],
        "unreturned_calls": [followup(view) for view in report.unreturned_calls],
        "overdue_followups": [followup(view) for view in report.overdue_followups],
        "pending_handoffs": [
            {
                "id": view.id,
                "visit_id": view.visit_id,
                "customer": view.who,
                "from": view.from_name,
                "to": view.to_name,
                "reason": view.reason,
                "requested_at": when(view.requested_at),
            }
            for view in report.pending_handoffs
        ],
        "flagged_visits": [
            {
                "visit_id": visit.visit_id,
                "customer": visit.who,
                "owner": visit.owner_name,
                "arrived_at": when(visit.arrived_at),
                "ended_at": when(visit.ended_at),
                "outcome": visit.outcome,
            }
            for visit in report.flagged_visits
        ],
    }


def _quotes_dict(quotes: QuotedWaits) -> WaitQuoteFigures:
    return {
        "quoted": quotes.quoted,
        "quoted_average": round(quotes.quoted_average, 1),
        "actual_average": round(quotes.actual_average, 1),
        "within_quote": quotes.within_quote,
        "left_unseen": quotes.left_unseen,
    }


def _card_dict(card: Scorecard) -> CardFigures:
    return {
        "visits": card.visits,
        "average_wait_seconds": card.average_wait_seconds,
        "longest_wait_seconds": card.longest_wait_seconds,
        "measures": {
            measure.key: {
                "label": measure.label,
                "value": measure.value,
                "numerator": measure.numerator,
                "denominator": measure.denominator,
                "target": measure.target,
                "higher_is_better": measure.higher_is_better,
                "met": measure.met,
            }
            for measure in card.measures
        },
    }


def _staff_dict(name: str, card: Scorecard) -> StaffFigures:
    figures = _card_dict(card)
    return {
        "staff": name,
        "visits": figures["visits"],
        "average_wait_seconds": figures["average_wait_seconds"],
        "longest_wait_seconds": figures["longest_wait_seconds"],
        "measures": figures["measures"],
    }


def render_day_report(ctx: ShopContext, day: date, fmt: str = "text") -> str:
    """The day's report rendered as `text`, `csv` or `json`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use text, csv or json")
    report = day_report(ctx, day)
    if fmt == "json":
        return render_json(report)
    if fmt == "csv":
        return render_csv(report)
    return render_text(report)


def render_json(report: DayReport) -> str:
    """Indented JSON, keys in the order built, non-ASCII kept."""
    return json.dumps(report, indent=2, ensure_ascii=False)


# --- CSV ---------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A CSV cell: None empty, booleans yes/no, and text that a spreadsheet would run as a
    formula (`export_format.FORMULA_STARTS`) prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    text = one_line(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local_minute(iso: str | None) -> str:
    """'2026-11-20T17:30:00+00:00' as '2026-11-20 17:30'."""
    return iso[:16].replace("T", " ") if iso else ""


def _card_rows(who: str, card: CardFigures) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [("scorecard", who, "visits", card["visits"], None, None, None)]
    for key, measure in card["measures"].items():
        detail = f"{measure['numerator']} of {measure['denominator']}"
        rows.append(("scorecard", who, key, measure["value"], measure["target"], measure["met"], detail))
    rows.append(("scorecard", who, "average_wait_seconds", card["average_wait_seconds"], None, None, None))
    rows.append(("scorecard", who, "longest_wait_seconds", card["longest_wait_seconds"], None, None, None))
    return rows


def render_csv(report: DayReport) -> str:
    """One row per figure or outstanding item, columns section, who, item, value, target,
    met, detail; times in store time."""
    rows: list[tuple[Any, ...]] = [
        ("report", "", "shop", report["shop"], None, None, None),
        ("report", "", "date", report["date"], None, None, None),
        ("report", "", "timezone", report["timezone"], None, None, None),
        ("report", "", "hours", _hours(report), None, None, None),
        ("report", "", "generated_at", _local_minute(report["generated_at"]), None, None, None),
    ]
    rows += [("summary", "all", key, value, None, None, None) for key, value in report["summary"].items()]
    rows += _card_rows("all", report["scorecard"])
    quotes = report["wait_quotes"]
    rows.append(("scorecard", "all", "kiosk_wait_quotes", quotes["quoted"], None, None, _quotes_line(report)))
    for staff in report["by_staff"]:
        rows += _card_rows(staff["staff"], staff)
    for call in report["unreturned_calls"]:
        rows.append(
            (
                "unreturned_call",
                call["owner"],
                call["customer"],
                _local_minute(call["due_at"]),
                None,
                None,
                call["summary"],
            )
        )
    for item in report["overdue_followups"]:
        detail = f"{FOLLOWUP_LABELS.get(item['kind'], item['kind'])}: {item['summary']}"
        rows.append(
            (
                "overdue_followup",
                item["owner"],
                item["customer"],
                _local_minute(item["due_at"]),
                None,
                None,
                detail,
            )
        )
    for handoff in report["pending_handoffs"]:
        rows.append(
            (
                "pending_handoff",
                handoff["from"],
                handoff["customer"],
                _local_minute(handoff["requested_at"]),
                None,
                None,
                f"to {handoff['to']}: {handoff['reason']}",
            )
        )
    for visit in report["flagged_visits"]:
        rows.append(
            (
                "flagged_visit",
                visit["owner"],
                visit["customer"],
                _local_minute(visit["arrived_at"]),
                None,
                None,
                OUTCOME_LABELS.get(visit["outcome"] or "", visit["outcome"] or "still open"),
            )
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


# --- text --------------------------------------------------------------------------------


def _quotes_line(report: DayReport) -> str:
    quotes = report["wait_quotes"]
    return QuotedWaits(
        quotes["quoted"],
        quotes["quoted_average"],
        quotes["actual_average"],
        quotes["within_quote"],
        quotes["left_unseen"],
    ).line()


def _hours(report: DayReport) -> str:
    return f"{report['opens']}-{report['closes']}" if report["opens"] else "closed"


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m {rest:02d}s"


def _figure(measure: MeasureFigures, key: str) -> str:
    if measure["value"] is None:
        return "-"
    return f"{measure['value']}" if key == "handoffs_per_100_visits" else f"{measure['value']}%"


def _measure_line(key: str, measure: MeasureFigures) -> str:
    sign = ">=" if measure["higher_is_better"] else "<="
    unit = "" if key == "handoffs_per_100_visits" else "%"
    target = f"{sign} {measure['target']:g}{unit}"
    if measure["met"] is None:
        verdict = "nothing to measure"
    else:
        verdict = ("met" if measure["met"] else "MISSED") + (
            f" ({measure['numerator']} of {measure['denominator']})"
        )
    return f"  {measure['label']:<26}{_figure(measure, key):>8}   target {target:<9} {verdict}"


def render_text(report: DayReport) -> str:
    """A plain-text report for reading in a terminal or pasting into an email."""
    card = report["scorecard"]
    lines = [
        f"{one_line(report['shop'])} - end of day {report['date']} "
        f"(hours {_hours(report)}, {report['timezone']})",
        f"Generated {_local_minute(report['generated_at'])}",
        "",
        "Scorecard",
        f"  {'visits':<26}{card['visits']:>8}",
    ]
    lines += [_measure_line(key, measure) for key, measure in card["measures"].items()]
    lines += [
        f"  {'average wait':<26}{_duration(card['average_wait_seconds']):>8}",
        f"  {'longest wait':<26}{_duration(card['longest_wait_seconds']):>8}",
        f"  {_quotes_line(report)}",
        "",
        "By staff",
    ]
    header = ("", "visits", "greeted", "thank-yous", "calls", "promises", "hand-offs")
    lines.append("  " + f"{header[0]:<16}" + "".join(f"{title:>11}" for title in header[1:]))
    for staff in report["by_staff"]:
        figures = [str(staff["visits"])] + [
            _figure(measure, key) for key, measure in staff["measures"].items()
        ]
        lines.append("  " + f"{one_line(staff['staff'], 16):<16}" + "".join(f"{f:>11}" for f in figures))
    if not report["by_staff"]:
        lines.append("  nobody greeted a customer or had a follow-up due")

    def section(title: str, items: list[str]) -> None:
        lines.extend(["", f"{title} ({len(items)})"])
        lines.extend(f"  {item}" for item in items) if items else lines.append("  none")

    section(
        "Unreturned calls",
        [
            f"{_local_minute(c['due_at'])}  {one_line(c['customer'])} - {one_line(c['owner'])}: "
            f"{one_line(c['summary'])}"
            for c in report["unreturned_calls"]
        ],
    )
    section(
        "Overdue follow-ups",
        [
            f"{_local_minute(f['due_at'])}  {FOLLOWUP_LABELS.get(f['kind'], f['kind'])} for "
            f"{one_line(f['customer'])} - {one_line(f['owner'])}: {one_line(f['summary'])}"
            for f in report["overdue_followups"]
        ],
    )
    section(
        "Hand-offs waiting for a lead",
        [
            f"{_local_minute(h['requested_at'])}  {one_line(h['customer'])}: {one_line(h['from'])} -> "
            f"{one_line(h['to'])} ({one_line(h['reason'])})"
            for h in report["pending_handoffs"]
        ],
    )
    section(
        "Visits flagged for review",
        [
            f"{_local_minute(v['arrived_at'])}  {one_line(v['customer'])} - "
            f"{one_line(v['owner'] or 'nobody')}, "
            f"{OUTCOME_LABELS.get(v['outcome'] or '', v['outcome'] or 'still open')}"
            for v in report["flagged_visits"]
        ],
    )
    return "\n".join(lines) + "\n"
