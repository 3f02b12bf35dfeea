"""Builds the demo shop: a realistic homeware shop, through the services, in an empty database.

See the `counter_tui.demo` package for why it is built this way; the data is in
`counter_tui.demo.data`, staff and customers in `people`, the past weeks in `history`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlmodel import func, select

from counter_tui.db.engine import Database
from counter_tui.db.models import NeedKind, Staff
from counter_tui.demo.data import ANONYMOUS_WALK_INS, KIOSK
from counter_tui.demo.history import DemoHistory
from counter_tui.errors import Conflict
from counter_tui.services import handoffs, visit_needs, visits
from counter_tui.services.context import Actor, ShopContext


class DemoBuilder(DemoHistory):
    """Lays down the demo shop; one instance per build."""

    def fill_today(self) -> None:
        """About eight customers in the shop now, in every state the floor board shows."""
        timeline = self.timeline
        who = self.staff
        featured = self.featured
        opened: dict[str, int] = {}

        def minutes_ago(minutes: float) -> datetime:
            return self.anchor - timedelta(minutes=minutes)

        def walk_in(
            key: str,
            actor: Actor,
            *,
            customer: str = "",
            description: str = "",
            needs: tuple[str, ...] = (),
            claim: bool = False,
        ) -> Callable[[], None]:
            def run() -> None:
                opened[key] = visits.new_walk_in(
                    self.ctx,
                    actor,
                    customer_id=featured[customer] if customer else None,
                    description=description,
                    needs=needs,
                    claim=claim,
                )

            return run

        # A lead collecting a repair for a regular.
        timeline.at(
            minutes_ago(42),
            walk_in("pickup", who["Dana"], customer="Björn Åkesson", needs=("pickup",), claim=True),
        )
        # Owned, with a hand-off waiting for a lead.
        timeline.at(minutes_ago(36), walk_in("handoff", who["Jordan"], customer="Kwame Mensah"))
        timeline.at(minutes_ago(34), lambda: visits.claim_visit(self.ctx, who["Jordan"], opened["handoff"]))
        timeline.at(
            minutes_ago(31),
            lambda: visits.add_visit_note(
                self.ctx, who["Jordan"], opened["handoff"], "Wants a quote for the stand mixer."
            ),
        )
        timeline.at(
            minutes_ago(20),
            lambda: handoffs.request_handoff(
                self.ctx,
                who["Jordan"],
                opened["handoff"],
                who["Sam"].staff_id or 0,
                "Sam does the mixer repairs; I'm due on the till",
            ),
        )
        # Owned, with a helper brought in.
        timeline.at(
            minutes_ago(30),
            walk_in("helper", who["Alex"], customer="Zoë Fitzgerald", claim=True),
        )
        timeline.at(
            minutes_ago(25),
            lambda: visits.add_helper(self.ctx, who["Alex"], opened["helper"], who["Mei"].staff_id or 0),
        )
        # Owned, with a standing accessibility need applied from her record.
        timeline.at(
            minutes_ago(22),
            walk_in("access", who["Sam"], customer="Siobhán Ní Bhriain", claim=True),
        )
        # A lead with a customer who prefers Spanish and has an order question.
        timeline.at(
            minutes_ago(18),
            walk_in(
                "language",
                who["Priya"],
                customer="José Álvarez",
                needs=(NeedKind.ORDER_QUESTION,),
                claim=True,
            ),
        )
        timeline.at(
            minutes_ago(17),
            lambda: visit_needs.set_need(
                self.ctx, who["Priya"], opened["language"], NeedKind.LANGUAGE, detail="Spanish"
            ),
        )
        # Waiting, unowned, past the greet threshold.
        timeline.at(minutes_ago(14), walk_in("waiting", who["Mei"], customer="Margaret O'Neill"))
        timeline.at(
            minutes_ago(9),
            walk_in("stranger", who["Mei"], description=ANONYMOUS_WALK_INS[0]),
        )
        # Browsing privately, from the kiosk: a quiet check-back instead of "unattended".
        timeline.at(
            minutes_ago(6),
            walk_in("browsing", KIOSK, description="Hana", needs=(NeedKind.BROWSE_PRIVATELY,)),
        )
        # Asked for help at the kiosk; nobody has claimed her yet.
        timeline.at(
            minutes_ago(3),
            walk_in("help", KIOSK, description="Ama", needs=(NeedKind.NEEDS_HELP,)),
        )

    def run(self) -> None:
        """Play the history and today's floor, ending with the clock at "now"."""
        self.timeline.run()
        self.clock.moment = self.anchor


def build_demo_shop(ctx: ShopContext, *, seed: int = 7) -> dict[str, str]:
    """Fill an empty shop with demo staff, customers, history and today's floor.

    Returns the demo staff's PINs by name, for the sign-in screen. Refuses a database
    that already has staff, so a real shop is never mixed with demo data.
    """
    with ctx.database.read() as session:
        existing = int(session.exec(select(func.count()).select_from(Staff)).one())
    if existing:
        raise Conflict("This database already has staff. The demo shop is only built in an empty database.")
    with _quick_commits(ctx.database):
        builder = DemoBuilder(ctx, seed)
        pins = builder.add_staff()
        builder.add_customers()
        builder.lay_down_history()
        builder.add_voices()
        builder.fill_today()
        builder.run()
    return pins


@contextmanager
def _quick_commits(database: Database) -> Iterator[None]:
    """Don't wait for each commit to reach the disk while the demo is built (a couple of
    thousand small transactions); then close the pooled connections so that later ones
    are durable again. A crash mid-build can lose only demo data, never corrupt it.
    """
    sqlite = database.is_sqlite

    def relax(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        if sqlite:
            cursor.execute("PRAGMA synchronous = OFF")
        else:
            cursor.execute("SET synchronous_commit TO OFF")
            dbapi_connection.commit()
        cursor.close()

    database.engine.dispose()
    event.listen(database.engine, "checkout", relax)
    try:
        yield
    finally:
        event.remove(database.engine, "checkout", relax)
        database.engine.dispose()
