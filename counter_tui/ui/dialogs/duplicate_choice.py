"""When the person being put on file looks like a customer already there: link the walk-in
to them (or, from find, open their record), or create a new customer anyway; and when a
record's phone or email is corrected to another customer's, open theirs or save anyway.
Esc goes back to the form with everything typed; after a choice, one sentence says what
became of it (`kept_sentence`, `not_saved_sentence`)."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.widgets import Label

from counter_tui.errors import InvalidInput
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.duplicates import DuplicateCandidate
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.linking import NotStored, TypedContact, TypedKept
from counter_tui.ui.dialogs.customer_form import NewCustomer
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.safe_text import one_line, plain
from counter_tui.ui.widgets.choice import ChoiceList

CREATE_ANYWAY = 0
NAME_WIDTH = 40
"""How much of a name, phone or email the offer and the sentences show."""


def link_label(
    candidate: DuplicateCandidate, calendar: StoreCalendar, today: date, verb: str = "Link to"
) -> str:
    """ "Link to Priya Shah (07700 900456, on file since March)" (or another `verb`)."""
    since = calendar.local(candidate.on_file_since)
    month = since.format("MMMM") if since.year == today.year else since.format("MMMM YYYY")
    matched = candidate.phone if candidate.same_phone else candidate.email
    name, matched = one_line(candidate.name, NAME_WIDTH), one_line(matched, NAME_WIDTH)
    return f"{verb} {name} ({matched}, on file since {month})"


SENTENCE_SECONDS = 12
"""How long a sentence saying what was not stored stays (a plain "done" stays 3 s)."""


def typed_contact(details: NewCustomer) -> TypedContact:
    """The form's details, for the service that gives the customer on file what they lack."""
    return TypedContact(details.name, details.phone, details.email, details.opted_in)


def _listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _detail(field: str, value: str) -> str:
    """'name "Priya S"', 'phone 07700 900456': a detail typed, as the sentences name it."""
    shown = one_line(value, NAME_WIDTH)
    return f'{field} "{shown}"' if field == "name" else f"{field} {shown}"


def _not_stored(item: NotStored) -> str:
    why = (
        f"their record says {one_line(item.theirs, NAME_WIDTH)}"
        if item.theirs
        else "another customer on file has it"
    )
    return f"the {_detail(item.field, item.typed)} ({why})"


def kept_sentence(opening: str, kept: TypedKept) -> str:
    """One sentence: `opening` ("Linked to Priya Shah's record"), what of the details typed
    their record took, and what it did not store (and why)."""
    took = list(kept.added)
    if kept.agreed:
        took.append("consent to " + _listed([CHANNEL_LABELS.get(c, c) for c in kept.agreed]))
    sentence = opening + (f", with the {_listed(took)} you took" if took else "")
    if kept.not_stored:
        sentence += "; not stored: " + _listed([_not_stored(item) for item in kept.not_stored])
    return sentence + "."


def not_saved_sentence(name: str, typed: NewCustomer, was: tuple[str, str, str]) -> str:
    """One sentence naming the correction to `name`'s record that was not saved (its name,
    phone and email `was`), or "" when nothing typed differed from it."""
    fields = zip(
        ("name", "phone", "email"), (typed.name, typed.phone.strip(), typed.email.strip()), was, strict=True
    )
    changed = [_detail(field, value) for field, value, before in fields if value != before]
    if not changed:
        return ""
    return f"Not saved: {one_line(name, NAME_WIDTH)}'s {_listed(changed)} (their record is as it was)."


class DuplicateChoiceDialog(FormDialog[int]):
    """Pick the customer on file (to link the visit to, or to open), or create a new
    customer anyway; the value is that customer's id, or CREATE_ANYWAY."""

    ENTER_DOES = ("goes ahead", "Go ahead")

    TITLE_TEXT = "Already on file?"

    def __init__(
        self, message: str, links: list[tuple[int, str]], anyway: str = "create a new customer anyway"
    ) -> None:
        super().__init__()
        self._message = message
        self._links = links
        self._anyway = anyway

    def fields(self) -> ComposeResult:
        yield Label(plain(self._message))
        choices = [*self._links, (CREATE_ANYWAY, self._anyway.capitalize())]
        yield ChoiceList(choices, id="duplicate")

    def collect(self) -> int:
        value = self.query_one("#duplicate", ChoiceList).value
        if value is None:
            raise InvalidInput(
                f"Choose the customer on file, or {self._anyway} (↑↓, then Enter).", field="duplicate"
            )
        return int(value)
