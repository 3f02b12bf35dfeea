"""Find a customer by name, phone or email as you type; results come a page at a time.

Each keystroke searches at once (no pause to wait for first), off the UI thread, so
typing is never held up. An answer is shown only if it is for what the box holds (and
the page asked for) when it arrives; an older one is dropped, so a result for "sm"
never replaces the one for "smith", and the results for what is in the box show as
soon as its search returns, without waiting for the older searches.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Input, Static

from counter_tui.errors import DomainError
from counter_tui.services import customers, linking, visits
from counter_tui.services.context import Actor
from counter_tui.services.duplicates import PossibleDuplicate
from counter_tui.services.linking import NOTHING_TYPED
from counter_tui.services.views import Page
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog, NewCustomer
from counter_tui.ui.dialogs.duplicate_choice import (
    CREATE_ANYWAY,
    NAME_WIDTH,
    SENTENCE_SECONDS,
    DuplicateChoiceDialog,
    kept_sentence,
    link_label,
    typed_contact,
)
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.focus_keys import KeysInOrder, keys_landed
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.safe_text import answer_key, one_line, plain
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.tones import GOOD, tone
from counter_tui.ui.widgets.column_fit import Col, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable
from counter_tui.ui.widgets.keys_footer import KeysFooter

COLUMNS = (
    name_col("name", "Name", 40),
    Col("phone", "Phone", 16, min_width=12),
    Col("email", "Email", 36, min_width=12, grow=True),
    Col("in_shop", "", 11, min_width=7),
)


class Request(NamedTuple):
    """One search: what was in the box, and which page of its matches."""

    query: str
    page: int


class FindCustomerScreen(CounterScreen):
    """Search customers; open one, or start a walk-in for them.

    As a picker (`picking` says what for, e.g. "Link this walk-in to a customer on
    file"), Enter closes the screen and hands the highlighted customer's id to
    `on_pick`; starting visits and adding customers are not offered from it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="find.back", tooltip="Back to the floor board."),
        Binding("enter", "open", "Open", id="find.open", tooltip="Open the highlighted customer."),
        Binding(
            "f2",
            "walk_in",
            "Start visit",
            id="find.walk_in",
            tooltip="They're here: start a visit you own.",
        ),
        Binding(
            "ctrl+n",
            "new_customer",
            "New",
            id="find.new_customer",
            tooltip="Put a new customer on file.",
        ),
        Binding(
            "pagedown",
            "next_page",
            "Next",
            id="find.next_page",
            tooltip="Show the next page of results.",
            priority=True,
        ),
        Binding(
            "pageup",
            "previous_page",
            "Prev",
            id="find.previous_page",
            tooltip="Show the previous page.",
            priority=True,
        ),
        Binding("down", "cursor_down", "Down", show=False, id="find.down"),
        Binding("up", "cursor_up", "Up", show=False, id="find.up"),
    ]

    def __init__(
        self,
        *,
        picking: str = "",
        on_pick: Callable[[int], None] | None = None,
        exclude: int | None = None,
    ) -> None:
        super().__init__()
        self.picking = picking
        self.on_pick = on_pick
        self.exclude = exclude
        self.page = 0
        self.results: Page | None = None
        self.wanted_search = Request("", 0)
        self.shown_search: Request | None = None
        self.asked_search: Request | None = None
        self.open_on_answer: Request | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield KeysInOrder(placeholder="Name, phone or email", id="query", max_length=80)
        yield FittedTable(COLUMNS, id="results", zebra_stripes=True)
        yield Static(id="page-info")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Start with the first page of everyone, typing in the search box."""
        self.sub_title = one_line(self.picking, 60) or "Find customer"
        self.query_one("#query", Input).focus()
        self.search()

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        self.page = 0
        self.search()

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.action_open()

    def search(self, *, again: bool = False) -> None:
        """Ask for the current page of matches, at once; an answer that arrives when
        something else is wanted (more was typed, or another page) is dropped. A search
        already out or shown for the same text and page is not asked again unless `again`
        (the shop's customers changed): a burst of keys lands in the box before the first
        change is handled, so each of its changes reports the whole text."""
        request = self.wanted_search = Request(self.query_one("#query", Input).value, self.page)
        if not again and request in (self.asked_search, self.shown_search):
            return
        self.asked_search = request
        self.call(
            customers.find_customers,
            self.ctx,
            request.query,
            page=request.page,
            then=partial(self._answered, request),
            refused=partial(self._refused, request),
        )

    def _answered(self, request: Request, page: Page) -> None:
        self._settled(request)
        if not self.still_shown:
            return
        if request == self.wanted_search:
            self.shown_search = request
            self.show(page)
        if request == self.open_on_answer:
            self.open_on_answer = None
            first = next((match.id for match in page.items if match.id != self.exclude), None)
            self._open(first)

    def _refused(self, request: Request, error: DomainError) -> None:
        self._settled(request)
        if request == self.open_on_answer:
            self.open_on_answer = None
        if request == self.wanted_search and self.still_shown:
            self.say_read_failed(error)

    def _settled(self, request: Request) -> None:
        """The search for `request` is no longer out."""
        if request == self.asked_search:
            self.asked_search = None

    def reload(self) -> None:
        """Search again (coming back to the list, or after a customer record changed)."""
        self.search(again=True)

    def on_data_changed(self, message: DataChanged) -> None:
        """Search again when a customer was added, corrected, merged or erased anywhere,
        so an erased customer does not stay listed."""
        touched = any(change.entity == "customer" for change in message.changes)
        if self.signed_in and (touched or message.resumed):
            self.reload()

    def show(self, page: Page) -> None:
        """Show a page of results, keeping the cursor on the customer it was on."""
        self.results = page
        self.query_one(FittedTable).fill(
            [
                (
                    str(match.id),
                    [
                        Text(one_line(match.name)),
                        Text(one_line(match.phone)),
                        Text(one_line(match.email)),
                        Text("in the shop", style=tone(GOOD)) if match.in_shop else Text(""),
                    ],
                )
                for match in page.items
                if match.id != self.exclude
            ]
        )
        first = page.page * page.page_size + 1
        shown = f"{first}–{first + len(page.items) - 1}" if page.items else "no matches"
        more = " · PgDn for more" if page.has_more else ""
        back = " · PgUp for previous" if page.page else ""
        hint = " · Ctrl+N to add a new customer" if not page.items and not self.on_pick else ""
        self.query_one("#page-info", Static).update(plain(f"Page {page.page + 1}: {shown}{more}{back}{hint}"))

    def selected_customer_id(self) -> int | None:
        """The customer under the cursor."""
        key = self.query_one(FittedTable).cursor_row_key()
        return int(key) if key else None

    def on_data_table_row_selected(self) -> None:
        """Enter on a result opens it, wherever the focus is."""
        self.action_open()

    def action_cursor_down(self) -> None:
        """Move down the results while typing."""
        self.query_one(FittedTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move up the results while typing."""
        self.query_one(FittedTable).action_cursor_up()

    async def action_next_page(self) -> None:
        """Next page of results (of everything typed before PgDn: it is decided as it arrives)."""
        await keys_landed(self)
        if self.results is not None and self.results.has_more:
            self.page += 1
            self.search()

    async def action_previous_page(self) -> None:
        """Previous page of results (of everything typed before PgUp)."""
        await keys_landed(self)
        if self.page > 0:
            self.page -= 1
            self.search()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A picker only picks: no visits started, no customers added from it."""
        return not (self.on_pick is not None and action in ("walk_in", "new_customer"))

    def action_open(self) -> None:
        """Open the highlighted customer (as a picker: choose them). While the search for
        what the box holds is still out, the list on show is for older text: wait for its
        answer and open the first customer it finds."""
        if self.shown_search != self.wanted_search:
            self.open_on_answer = self.wanted_search
            return
        self._open(self.selected_customer_id())

    def _open(self, customer_id: int | None) -> None:
        from counter_tui.ui.screens.customer import CustomerScreen

        if customer_id is None:
            hint = "Keep typing." if self.on_pick else "Keep typing, or Ctrl+N to add one."
            answer_key(self, f"No customer highlighted. {hint}")
            return
        if self.on_pick is not None:
            self.dismiss()
            self.on_pick(customer_id)
            return
        self.app.push_screen(CustomerScreen(customer_id=customer_id))

    def action_walk_in(self) -> None:
        """Start a visit you own for the highlighted customer."""
        from counter_tui.ui.screens.customer import CustomerScreen

        customer_id = self.selected_customer_id()
        if customer_id is None:
            return
        self.call(
            visits.new_walk_in,
            self.ctx,
            self.actor,
            customer_id=customer_id,
            claim=True,
            then=lambda visit_id: self._show_screen(CustomerScreen(visit_id=visit_id), replace=True),
        )

    def action_new_customer(self) -> None:
        """Put a new customer on file, starting from what was typed; when someone with the
        same phone or email is on file already, offer to open their record instead (or
        create a new customer anyway), as putting a walk-in on file does."""
        from counter_tui.ui.screens.customer import CustomerScreen

        typed = self.query_one("#query", Input).value
        form = CustomerFormDialog(name=typed if not any(ch.isdigit() for ch in typed) else "")

        def create(actor: Actor, details: NewCustomer, create_anyway: bool = False) -> int:
            return customers.create_customer(
                self.ctx,
                actor,
                name=details.name,
                phone=details.phone,
                email=details.email,
                opted_in=details.opted_in,
                create_anyway=create_anyway,
            )

        def refused(error: DomainError) -> bool:
            if not isinstance(error, PossibleDuplicate):
                return False
            details = form.collect()
            self._offer_record_on_file(
                form, error, details, lambda actor: create(actor, details, create_anyway=True)
            )
            return True

        ask(
            self,
            form,
            create,
            then=lambda customer_id: self._show_screen(CustomerScreen(customer_id=customer_id)),
            refused=refused,
        )

    def _offer_record_on_file(
        self,
        form: CustomerFormDialog,
        offer: PossibleDuplicate,
        typed: NewCustomer,
        create_anyway: Callable[[Actor], int],
    ) -> None:
        """Over the form: open a customer on file, or create the new one anyway; Esc goes
        back to the form with everything typed. Opening gives their record what it lacks
        of the details `typed`, and a sentence says what it did not store."""
        from counter_tui.ui.screens.customer import CustomerScreen

        today = self.ctx.calendar.local_date(self.ctx.now())
        links = [
            (c.customer_id, link_label(c, self.ctx.calendar, today, verb="Open")) for c in offer.candidates
        ]
        names = {c.customer_id: c.name for c in offer.candidates}

        def save(actor: Actor, choice: int) -> tuple[int, str]:
            if choice == CREATE_ANYWAY:
                return create_anyway(actor), ""
            kept = linking.add_typed_details(self.ctx, actor, choice, typed_contact(typed))
            if kept == NOTHING_TYPED:
                return choice, ""
            return choice, kept_sentence(f"Opened {one_line(names[choice], NAME_WIDTH)}'s record", kept)

        def chosen(opened: tuple[int, str]) -> None:
            customer_id, sentence = opened
            self._show_screen(CustomerScreen(customer_id=customer_id))
            if sentence:
                self.app.notify(sentence, markup=False, timeout=SENTENCE_SECONDS)

        ask(self, DuplicateChoiceDialog(str(offer), links), save, then=chosen, over=form)

    def _show_screen(self, screen: CounterScreen, *, replace: bool = False) -> None:
        if replace:
            self.app.switch_screen(screen)
        else:
            self.app.push_screen(screen)

    def action_back(self) -> None:
        """Back to the floor (or, as a picker, to where it was opened)."""
        self.dismiss()
