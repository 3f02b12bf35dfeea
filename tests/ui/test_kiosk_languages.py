"""The kiosk in the shop's languages, by keys (issue 13): a customer checks in in Spanish,
the visit keeps it, staff see "ES" on the floor board, and the idle reset greets the next
person in the shop's first language."""

from __future__ import annotations

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from counter_tui.db.models import Visit
from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from tests.conftest import Team, set_shop_rules
from tests.ui.staff_pilot import StaffApp, sign_in, table_rows
from tests.ui.staff_pilot import settle as staff_settle

SIZE = (80, 24)


def texts(app: KioskApp) -> str:
    """Every line the kiosk's screen shows, joined."""
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


async def settle(pilot: Pilot[object]) -> None:
    """Let screens mount and the check-in's thread finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_one_language_offers_no_language_keys(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        assert not app.screen.query("#languages")
        await pilot.press("2")
        assert isinstance(app.screen, WelcomeScreen)


async def test_a_customer_checks_in_in_spanish_and_staff_see_it(ctx: ShopContext, team: Team) -> None:
    set_shop_rules(ctx, {"kiosk.languages": ["en", "es"]})
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        assert "Welcome to Test Shop" in texts(app)
        assert "English: press 1\nEspañol: pulse 2" in texts(app)
        await pilot.press("2")
        assert isinstance(app.screen, NameScreen)
        assert "¿Cómo se llama?" in texts(app)
        await pilot.press(*"Ana", "enter")
        assert isinstance(app.screen, ChoiceScreen)
        assert "¡Hola, Ana! ¿Qué desea?" in texts(app)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        shown = texts(app)
        assert "¡Gracias, Ana!" in shown
        assert "Alguien vendrá a atenderle." in shown
        assert "Alguien le atenderá en un momento. Ya hemos registrado su llegada." in shown
        app.idle_expired()
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert "Welcome to Test Shop" in texts(app)

    with ctx.database.read() as session:
        [visit] = session.exec(select(Visit)).all()
        assert (visit.description, visit.language) == ("Ana", "es")

    staff = StaffApp(ctx)
    async with staff.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await staff_settle(pilot)
        [row] = table_rows(staff.screen.query_one(DataTable))
        assert row[1].startswith("Ana ES")


async def test_a_refusal_is_said_in_the_customers_language(ctx: ShopContext) -> None:
    set_shop_rules(ctx, {"kiosk.languages": ["en", "es"]})
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", *"!!!", "enter")
        assert "Eso no parece un nombre." in texts(app)
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        assert "Welcome to Test Shop" in texts(app)
