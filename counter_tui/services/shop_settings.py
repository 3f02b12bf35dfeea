"""The shop-wide settings: read them, change them (shift leads only), and import a
terminal's settings file into a new shop.

Every change is checked by the settings models as a whole (so a value is refused with a
sentence beside its field, never stored half-valid), written with its audit event in
one transaction, and seen by every terminal: the change feed reports the audit event and
each terminal reads the rules again (`ShopContext.forget_rules`). Every change of the
hours, holidays or time zone (`shop set`, `shop hours`, `shop holiday add/remove`, the
settings screen: all of them through `_store`) moves the open follow-ups it leaves due
while the shop is shut, in the same transaction (`due_moves.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from counter_tui.db.models import ShopSetting
from counter_tui.errors import InvalidInput
from counter_tui.limits import limited
from counter_tui.services import audit, due_moves, mail_hold
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.shop_rules import (
    SETTING_KEYS,
    ShopRules,
    check_key,
    flatten,
    parse_text,
    refusal_of,
    rules_from,
    rules_kept,
    show_value,
)

ENTITY = "shop_settings"
CHANGED = "shop_settings.changed"
IMPORTED = "shop_settings.imported"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAYS = "shop.holidays"

Edit = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""A change worked out from the settings as kept now (read in the write transaction)."""


@dataclass(frozen=True)
class SettingView:
    """One setting as `shop show` and the settings screen list it."""

    key: str
    text: str
    repaired: bool = False
    """The database holds a value the rules refuse (from before its range existed); `text`
    is the value used instead, until a lead sets it."""


@dataclass(frozen=True)
class SettingsChanged:
    """The rules after a change; `changed` is False when nothing needed changing (a day
    that was a holiday already), and `followups_moved` counts the open follow-ups the
    change left due while the shop is shut, moved to when it is open."""

    rules: ShopRules
    changed: bool = True
    followups_moved: int = 0


@dataclass(frozen=True)
class _Stored:
    """The rules after a change, the values kept before it, and what it moved."""

    rules: ShopRules
    before: Mapping[str, Any]
    moved: due_moves.DueMoves = due_moves.NOTHING_MOVED

    def said(self, *, changed: bool = True) -> SettingsChanged:
        return SettingsChanged(self.rules, changed, self.moved.moved)


def listing(ctx: ShopContext) -> list[SettingView]:
    """Every shop-wide setting and its value as a person would type it, read now."""
    values = flatten(current(ctx))
    repaired = set(ctx.rules_repaired)
    return [SettingView(key, show_value(key, values[key]), key in repaired) for key in SETTING_KEYS]


def current(ctx: ShopContext) -> ShopRules:
    """The rules as the database holds them now; this terminal's copy is refreshed too."""
    return ctx.refresh_rules()


def change(ctx: ShopContext, actor: Actor, typed: Mapping[str, str]) -> SettingsChanged:
    """Set settings from typed text (`{"shop.hours.fri": "09:00-16:00"}`); a shift lead
    only. Refuses an unknown key (naming the nearest) or a value the rules do not accept
    (`InvalidInput` with `field` the key), changing nothing. Returns the new rules, and
    how many follow-ups moved off times the shop is now shut.

    The typed text is cleaned (`limited`); text read out of it, such as the kiosk choices'
    JSON, is cleaned again by the models (`config.SettingText`)."""
    wanted = {
        check_key(key): parse_text(key, limited(text, "setting", param=key)) for key, text in typed.items()
    }
    return _store(ctx, actor, lambda _kept: wanted).said()


def set_hours(ctx: ShopContext, actor: Actor, weekday: str, hours: str) -> SettingsChanged:
    """One weekday's hours: `"09:00-17:30"`, `"09:00-12:30,13:30-17:30"` or `"closed"`."""
    day = weekday.strip().lower()[:3]
    if day not in WEEKDAYS:
        raise InvalidInput(f"{weekday!r} is not a weekday; use mon, tue, wed, thu, fri, sat or sun.")
    return change(ctx, actor, {f"shop.hours.{day}": hours})


def add_holiday(ctx: ShopContext, actor: Actor, day: date) -> SettingsChanged:
    """Close the shop on `day` (it stops counting as a business day for due times); a day
    that is a holiday already is left as it is. The list is read and written in one
    transaction, so two leads adding days at once both keep theirs."""
    stored = _store(ctx, actor, lambda kept: {HOLIDAYS: [*kept[HOLIDAYS], day.isoformat()]})
    return stored.said(changed=day.isoformat() not in stored.before[HOLIDAYS])


def remove_holiday(ctx: ShopContext, actor: Actor, day: date) -> SettingsChanged:
    """Open the shop again on `day` (its usual hours for that weekday)."""

    def without_day(kept: Mapping[str, Any]) -> Mapping[str, Any]:
        if day.isoformat() not in kept[HOLIDAYS]:
            raise InvalidInput(f"{day.isoformat()} is not a holiday.", field=HOLIDAYS)
        return {HOLIDAYS: [other for other in kept[HOLIDAYS] if other != day.isoformat()]}

    return _store(ctx, actor, without_day).said()


def import_if_empty(ctx: ShopContext) -> bool:
    """On a shop's first start: keep this terminal's settings file's shop-wide values as
    the shop's (audited as an import). Does nothing, and returns False, once the shop has
    settings; two terminals starting at once import only one file."""
    with ctx.database.read() as session:
        if session.exec(select(ShopSetting.key).limit(1)).first() is not None:
            return False
    values = flatten(ShopRules.of(ctx.settings))
    try:
        with ctx.database.write() as session:
            if session.exec(select(ShopSetting.key).limit(1)).first() is not None:
                return False
            for key, value in values.items():
                session.add(_row(ctx, None, key, value))
            audit.record(session, ctx, None, IMPORTED, ENTITY, None, settings=len(values))
    except IntegrityError:
        return False  # another terminal imported its file first
    ctx.forget_rules()
    return True


def _store(ctx: ShopContext, actor: Actor, edit: Edit) -> _Stored:
    """Check the rules with `edit`'s values applied, then write what changed and its audit
    event, and move the follow-ups a change of when the shop is open leaves due while it
    is shut. `edit` is given the values as kept now, read (and on PostgreSQL locked) in the
    same write transaction, so a change built on them never undoes another's meanwhile."""
    with ctx.database.write() as session:
        require(session, actor, Action.CHANGE_SHOP_SETTINGS)
        before = _stored(session, ctx)
        kept_rules = rules_kept(before)[0]
        kept = flatten(kept_rules)
        wanted = edit(kept)
        try:
            rules = rules_from({**kept, **wanted})
        except ValidationError as error:
            raise refusal_of(error, _key_of(error, wanted)) from error
        after = flatten(rules)
        changed = {key: after[key] for key in SETTING_KEYS if after[key] != before.get(key)}
        if not changed:
            return _Stored(rules, kept)
        for key, value in changed.items():
            session.merge(_row(ctx, actor, key, value))
        if any(key.startswith("mail.") for key in changed):
            mail_hold.due_now(session, ctx)  # email held back goes at the next pass, not after its wait
        audit.record(
            session,
            ctx,
            actor,
            CHANGED,
            ENTITY,
            None,
            changes={
                key: {"from": show_value(key, before.get(key)), "to": show_value(key, value)}
                for key, value in changed.items()
            },
        )
        moved = due_moves.NOTHING_MOVED
        if due_moves.changes_when_open(set(changed)):
            moved = due_moves.move_off_closed_times(
                session,
                ctx,
                actor,
                StoreCalendar(kept_rules.shop),
                StoreCalendar(rules.shop),
                due_moves.reason_for(set(changed)),
                notice=timedelta(minutes=rules.followups.callback_cutoff_minutes),
                field=next(iter(wanted)),
            )
    ctx.forget_rules()
    return _Stored(rules, kept, moved)


def _stored(session: Session, ctx: ShopContext) -> dict[str, Any]:
    """Every setting's kept value (defaults, or this terminal's file before an import,
    for keys the table does not hold yet), its rows locked until the transaction ends
    (on PostgreSQL; on SQLite the write transaction holds the whole file already)."""
    stored = {row.key: json.loads(row.value) for row in session.exec(select(ShopSetting).with_for_update())}
    base = ShopRules() if stored else ShopRules.of(ctx.settings)
    return {**flatten(base), **{key: value for key, value in stored.items() if key in SETTING_KEYS}}


def _row(ctx: ShopContext, actor: Actor | None, key: str, value: Any) -> ShopSetting:
    return ShopSetting(
        key=key,
        value=json.dumps(value, ensure_ascii=False),
        changed_at=ctx.now(),
        changed_by=actor.staff_id if actor else None,
    )


def _key_of(error: ValidationError, wanted: Mapping[str, Any]) -> str:
    """The setting a validation error is about: its location, or the one being changed."""
    location = ".".join(str(part) for part in error.errors()[0]["loc"])
    if location in SETTING_KEYS:
        return location
    related = (key for key in wanted if key.startswith(location) or location.startswith(f"{key}."))
    return next(related, next(iter(wanted)))
