"""A colleague picked for something (a helper, a hand-off, a reassignment, kudos) must
still be on the active staff list: one check and one refusal for every service, which a
dialog picking colleagues understands (it stops offering them)."""

from __future__ import annotations

from sqlmodel import Session

from counter_tui.db.models import Staff
from counter_tui.errors import ColleagueUnavailable


def available_colleague(session: Session, staff_id: int) -> Staff:
    """The active staff member `staff_id`, or ColleagueUnavailable."""
    colleague = session.get(Staff, staff_id)
    if colleague is None or not colleague.active:
        raise ColleagueUnavailable(staff_id)
    return colleague
