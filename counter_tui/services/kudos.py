"""Kudos: a shift lead thanks a colleague, in public, for a specific act of care.

Praise that names what someone did teaches the whole floor what good care looks like,
so a kudos needs a few words about the act, not just "great job". Every staff member
sees the thanks wall on their floor board.
"""

from __future__ import annotations

import re

from sqlmodel import col, select

from counter_tui.db.models import Kudos
from counter_tui.errors import InvalidInput
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.colleagues import available_colleague
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, Target, require
from counter_tui.services.queries import staff_names
from counter_tui.services.review_views import KudosView

MIN_WORDS = 3
WALL_LIMIT = 20


def give_kudos(ctx: ShopContext, actor: Actor, to_staff_id: int, text: str) -> int:
    """A lead thanks a colleague for something specific they did; returns the kudos id."""
    text = limited(text, "kudos", param="text")
    if len(re.findall(r"\w+", text)) < MIN_WORDS:
        raise InvalidInput(
            "Say what they did, e.g. 'Stayed late to find Mrs Patel's repair'. "
            "Specific thanks is what makes kudos count."
        )
    with ctx.database.write() as session:
        lead = require(session, actor, Action.GIVE_KUDOS, Target(owner_id=to_staff_id))
        available_colleague(session, to_staff_id)
        kudos = Kudos(to_staff_id=to_staff_id, from_staff_id=lead.id or 0, body=text, created_at=ctx.now())
        session.add(kudos)
        session.flush()
        assert kudos.id is not None
        audit.record(session, ctx, actor, "kudos.given", "kudos", kudos.id, to_staff_id=to_staff_id)
        return kudos.id


def thanks_wall(ctx: ShopContext, actor: Actor, limit: int = WALL_LIMIT) -> tuple[KudosView, ...]:
    """The most recent kudos, newest first, for every signed-in staff member to see."""
    limit = max(1, min(limit, 200))
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        names = staff_names(session)
        rows = session.exec(
            select(Kudos).order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc()).limit(limit)
        ).all()
    return tuple(
        KudosView(
            id=row.id or 0,
            to_staff_id=row.to_staff_id,
            to_name=names.get(row.to_staff_id, "?"),
            from_name=names.get(row.from_staff_id, "?"),
            text=row.body,
            given_at=row.created_at,
        )
        for row in rows
    )
