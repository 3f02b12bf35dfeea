"""One export row made into what the shop stores, or the reason it cannot be.

Text goes through the shop's cleaning and field limits (`limits`), the phone and email
through the same checks as the counter's form (`contact.clean_contact`), so an import
stores nothing a person could not have typed. Excel's guard (a leading `'` on phones
and ids) is taken off, and so is the `'` an export puts before a name that starts like
a formula (`export_format.excel_safe`), so an exported shop imports back the same.
Every reason says what to change so the row can be imported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from counter_tui.config import ShopSettings
from counter_tui.db.models import Channel
from counter_tui.errors import InvalidInput
from counter_tui.limits import limited
from counter_tui.sentences import counted
from counter_tui.services.contact import ContactDetails, clean_contact
from counter_tui.services.export_format import excel_unguarded
from counter_tui.services.till_import.layouts import Answer, Mapping
from counter_tui.services.till_import.reading import Row
from counter_tui.text import clean_text, without_surrogates

FIX = "Correct it in the till (or in this file) and import again."


@dataclass(frozen=True)
class Candidate:
    """A usable row: who it is about, their opt-ins, and a fingerprint of both (so a row
    the till has not changed since the last import is recognised without comparing)."""

    number: int
    till_id: str
    details: ContactDetails
    consents: dict[str, Answer]
    note: str = ""

    @property
    def fingerprint(self) -> str:
        """A hash of everything imported from the row."""
        parts = [self.till_id, self.details.name, self.details.phone, self.details.email, self.note]
        parts += [f"{channel}={answer}" for channel, answer in sorted(self.consents.items())]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Rejection:
    """A row that cannot be used, with a reason a person can act on."""

    number: int
    cells: list[str]
    reason: str


def unguarded(value: str) -> str:
    """A value without Excel's leading `'` guard."""
    stripped = value.strip()
    return stripped[1:] if stripped.startswith("'") else stripped


def candidate(shop: ShopSettings, mapping: Mapping, row: Row) -> Candidate | Rejection:
    """The row made into a Candidate, or the Rejection saying why it cannot be."""
    cells = row.cells
    if row.undecodable_lines:
        shown = [without_surrogates(cell) for cell in cells]
        return Rejection(row.number, shown, _undecodable(row.undecodable_lines))
    if len(cells) > len(mapping.headers):
        return Rejection(
            row.number,
            cells,
            f"The row has {counted(len(cells), 'value')} but the header has {len(mapping.headers)}: "
            "a value holding the separator is probably not in quotes. " + FIX,
        )
    name = excel_unguarded(mapping.value(cells, "name").strip()) or " ".join(
        part
        for part in (
            excel_unguarded(mapping.value(cells, "first_name").strip()),
            excel_unguarded(mapping.value(cells, "last_name").strip()),
        )
        if part
    )
    phone = unguarded(mapping.value(cells, "phone"))
    email = mapping.value(cells, "email").strip()
    try:
        till_id = limited(unguarded(mapping.value(cells, "till_id")), "till_id")
        details = clean_contact(shop, name, phone, email)
        note = limited(mapping.value(cells, "note"), "note")
    except InvalidInput as error:
        reason = clean_text(f"{_field_label(error.field)}: {error} {FIX}")
        return Rejection(row.number, cells, reason)
    if not (till_id or details.phone_normalised or details.email):
        return Rejection(
            row.number,
            cells,
            "Nothing to recognise this customer by when importing again (no customer id, "
            "no phone number that can be read, no email). Add a phone or email in the till, "
            "or add them at the counter instead.",
        )
    consents: dict[str, Answer] = {
        channel: answer
        for channel, column in ((Channel.EMAIL.value, "email_consent"), (Channel.SMS.value, "sms_consent"))
        if (answer := mapping.consent(cells, column)) is not Answer.UNKNOWN
    }
    return Candidate(row.number, till_id, details, consents, note)


def _undecodable(lines: tuple[int, ...]) -> str:
    """Why a row holding bytes that could not be decoded is not imported: its letters would
    be a guess (each such byte is U+FFFD in the rejects file)."""
    if len(lines) == 1:
        which = f"Line {lines[0]} of the file is"
    else:
        which = "Lines " + ", ".join(str(line) for line in lines) + " of the file are"
    return (
        f"{which} not UTF-8 text, so some letters cannot be read (\ufffd in the rejects file): it was "
        "probably pasted in from another program. Retype those letters in the till (or save "
        "this file as 'CSV UTF-8') and import again."
    )


def _field_label(field: str | None) -> str:
    return {"name": "Name", "phone": "Phone", "email": "Email", "till_id": "Customer id", "note": "Note"}.get(
        field or "", "Row"
    )
