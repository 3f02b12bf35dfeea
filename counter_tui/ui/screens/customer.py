"""The customer ("owner") view: who owns this customer first, then needs, preferences,
notes, what is owed to them and their history. Non-owners see it read-only."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Label, Static

from counter_tui.services import customer_record, presence, visit_views
from counter_tui.services.views import CustomerDetail, VisitDetail
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.safe_text import one_line
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.screens.customer_actions import CUSTOMER_ACTIONS, VISIT_ACTIONS, CustomerActions
from counter_tui.ui.screens.customer_identity import walk_in_contact
from counter_tui.ui.screens.customer_keys import CUSTOMER_KEYS
from counter_tui.ui.widgets import sections
from counter_tui.ui.widgets.keys_footer import KeysFooter
from counter_tui.ui.widgets.sections import Section

if TYPE_CHECKING:
    from counter_tui.services.context import Actor

HEARTBEAT_SECONDS = 5.0
TICK_SECONDS = 15.0


class CustomerScreen(CustomerActions, CounterScreen):
    """One customer, by their visit in progress or by their record."""

    RECORD_ACTIONS = frozenset(
        VISIT_ACTIONS | CUSTOMER_ACTIONS | {"end", "done", "preferences", "walk_in", "reopen"}
    )
    """Typed in the burst of the Enter that opened the screen ("⏎e", "⏎x␣⏎"), these wait
    for the visit (or the record) to be read, then run (see `CounterScreen.RECORD_ACTIONS`)."""

    BINDINGS: ClassVar[list[BindingType]] = CUSTOMER_KEYS

    def __init__(self, *, visit_id: int | None = None, customer_id: int | None = None) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.customer_id = customer_id
        self.visit: VisitDetail | None = None
        self.customer: CustomerDetail | None = None
        self.record_state = "pending"
        self._looking_as: Actor | None = None
        """Who this screen said is looking at the visit (told when it closes)."""
        self._erased = False
        """The record's customer was erased elsewhere while a dialog covered it."""
        self._record_of = customer_id if visit_id is None else None
        """The customer whose record this screen was opened on (None: opened on a visit)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="owner-banner")
        yield Static(id="lookers")
        with VerticalScroll(id="customer-body"):
            yield Section(id="visit-block")
            yield Label("Customer", classes="section-title")
            yield Section(id="contact-block")
            yield Label("Notes", classes="section-title")
            yield Section(id="notes-block")
            yield Label("Owed to them", classes="section-title")
            yield Section(id="followups-block")
            yield Label("History", classes="section-title")
            yield Section(id="history-block")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the customer and, for a visit, tell colleagues you have it open; keep
        times like "waiting 4 min" true while the screen stays open."""
        self.query_one("#lookers").display = False
        self.set_interval(HEARTBEAT_SECONDS, self.heartbeat)
        self.set_interval(TICK_SECONDS, self.tick)
        self.heartbeat()
        self.reload()

    def follow_visit(self, visit_id: int) -> None:
        """Show this visit from now on (started here with w, or the customer on the
        record is in the shop), and tell colleagues at once that you have it open."""
        if visit_id == self.visit_id:
            return
        self.visit_id = visit_id
        self.heartbeat()
        self.reload()

    def heartbeat(self) -> None:
        """Say "I'm looking at this customer" so other terminals can show it (only while
        this screen is its person's, not under a lock or kept for them)."""
        if self.visit_id is not None and self.signed_in:
            self._looking_as = self.actor
            self.call(presence.touch, self.ctx, self.actor, self.visit_id, quiet=True)

    def on_unmount(self) -> None:
        """Stop showing as looking at this customer."""
        self._stop_looking()

    def _stop_looking(self) -> None:
        """Tell colleagues this screen no longer has its visit open, as the person who had."""
        if self.visit_id is not None and self._looking_as is not None:
            self.counter.call(presence.leave, self.ctx, self._looking_as, self.visit_id, quiet=True)

    def on_data_changed(self, message: DataChanged) -> None:
        """Reload on data changes; refresh only the lookers when just they changed. A
        record whose customer was erased elsewhere closes."""
        if self.visit_id is None and self._erased_in(message):
            self._erased = True
            self.back_on_top()
            return
        if message.changes or message.resumed:
            self.reload()
        elif self.visit_id is not None and self.visit_id in message.presence:
            self.load(
                "lookers",
                presence.lookers,
                self.ctx,
                self.actor,
                self.visit_id,
                then=self.show_lookers,
                quiet=True,
            )

    def note_while_covered(self, message: DataChanged) -> None:
        """A customer erased elsewhere while a dialog covers this screen, which still shows
        around it, is shown no more from that moment: a visit reads again (it goes on, its
        customer erased); a record is emptied, and closes once the dialog has gone. The
        dialog keeps what was typed, and its Enter says why it cannot be saved."""
        if not self._erased_in(message):
            return
        if self.visit_id is not None:
            self.reload()
            return
        self._erased = True
        self.query_one("#customer-body").display = False
        self.query_one("#owner-banner").display = False
        self.sub_title = ""

    def back_on_top(self) -> None:
        """Shown again: read everything again, or close a record erased meanwhile."""
        if self._erased:
            self.notify("This customer's personal data was erased.", markup=False)
            self.dismiss()
            return
        super().back_on_top()

    def _erased_in(self, message: DataChanged) -> bool:
        """Whether `message` says this screen's customer was erased."""
        return any(
            change.action == "customer.erased" and change.entity_id == self.customer_id
            for change in message.changes
        )

    def show_lookers(self, names: list[str]) -> None:
        """Name colleagues who have this customer open too, so two don't approach at once."""
        bar = self.query_one("#lookers", Static)
        bar.display = bool(names)
        if names:
            who = ", ".join(one_line(name, 20) for name in names)
            bar.update(Text(f"Also looking at this customer now: {who}. Check with them before approaching."))

    def reload(self) -> None:
        """Fetch the visit (or the customer record)."""
        if self.visit_id is not None:
            self.load_record(
                "visit_detail",
                visit_views.visit_detail,
                self.ctx,
                self.actor,
                self.visit_id,
                then=self.show_visit,
            )
            self.load(
                "lookers",
                presence.lookers,
                self.ctx,
                self.actor,
                self.visit_id,
                then=self.show_lookers,
                quiet=True,
            )
        elif self.customer_id is not None:
            self.load_record(
                "customer_detail",
                customer_record.current_record,
                self.ctx,
                self.actor,
                self.customer_id,
                then=self.show_customer,
            )

    def show_visit(self, visit: VisitDetail) -> None:
        """Show a visit and its customer. A record that followed its customer's visit goes
        back to that record once the visit is another customer's and the record is still
        on file (a merge undone elsewhere took the visit back to the duplicate, and the
        screen followed it there); a record merged away keeps following the visit."""
        opened_for = self._record_of
        if opened_for is not None and (visit.customer is None or visit.customer.id != opened_for):
            self._record_of = visit.customer.id if visit.customer is not None else None
            self.load(
                "record_of",
                customer_record.customer_detail,
                self.ctx,
                self.actor,
                opened_for,
                then=lambda _record: self._back_to_record(opened_for),
                quiet=True,
            )
        self.visit = visit
        self.tick()
        self.show_customer(visit.customer, notes_fallback=visit)

    def _back_to_record(self, customer_id: int) -> None:
        """Stop showing the visit followed, and read the record this screen was opened on."""
        self._stop_looking()
        self.visit_id, self.visit, self.customer_id = None, None, customer_id
        self._record_of = customer_id
        self.query_one("#visit-block").display = False
        self.reload()

    def tick(self) -> None:
        """Redraw the owner banner and the visit block at the current time."""
        if self.visit is None:
            return
        banner, style = sections.owner_banner(self.ctx, self.visit)
        owner = self.query_one("#owner-banner", Static)
        owner.update(banner)
        owner.set_classes(f"banner-{style}")
        block = self.query_one("#visit-block", Section)
        block.display = True
        block.show(partial(sections.visit_block, self.ctx, self.visit))

    def show_customer(
        self, customer: CustomerDetail | None, notes_fallback: VisitDetail | None = None
    ) -> None:
        """Show a customer's record (or say the walk-in is not on file)."""
        self.customer = customer
        if customer is not None and self.visit is None and self.customer_id not in (None, customer.id):
            # merged into this record at another terminal: this record from now on
            self._record_of = customer.id
            self.notify("That customer was merged into this record, the one kept.", markup=False)
        if customer is not None:
            self.customer_id = customer.id
            if self.visit is None and customer.open_visit_id is not None:
                self.follow_visit(customer.open_visit_id)
        if self.visit is None and customer is not None:
            owner = self.query_one("#owner-banner", Static)
            owner.set_classes("banner-record")
            in_shop = (
                "In the shop now."
                if customer.open_visit_id
                else "Not in the shop. Press w when they come in."
            )
            owner.update(Text(f"{one_line(customer.name)} — {in_shop}"))
            self.query_one("#visit-block").display = False
        self.sub_title = one_line(customer.name if customer else (self.visit.who if self.visit else ""), 40)
        can_note = self.check_action("note", ()) is True
        if customer is None:
            can_file = self.check_action("add_to_file", ()) is True
            self.query_one("#contact-block", Section).show(partial(walk_in_contact, self.visit, can_file))
            notes = notes_fallback.notes if notes_fallback else ()
            self.query_one("#notes-block", Section).show(
                partial(sections.notes_block, self.ctx, notes, can_note)
            )
            self.query_one("#followups-block", Section).show(sections.quiet("—"))
            self.query_one("#history-block", Section).show(sections.quiet("—"))
        else:
            self.query_one("#contact-block", Section).show(partial(sections.contact_block, customer))
            self.query_one("#notes-block", Section).show(
                partial(sections.notes_block, self.ctx, customer.notes, can_note)
            )
            self.query_one("#followups-block", Section).show(
                partial(sections.followups_block, self.ctx, customer.open_followups)
            )
            self.query_one("#history-block", Section).show(
                partial(sections.history_block, self.ctx, customer)
            )
        self.refresh_bindings()
        if customer is not None and self.when_on_file is not None:
            carry_on, self.when_on_file = self.when_on_file, None
            carry_on()
