"""The column layouts of the tills' customer exports, found from the header row.

Headers are those of the real exports: Shopify's customer export (the classic one, and
the newer admin export with `Customer ID` and `Default Address …` columns), Square's
customer directory export, and Lightspeed Retail (X-Series) customer export. A plain CSV
names its columns with flags (`ColumnChoice`). Headers compare without case or
surrounding spaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from counter_tui.errors import InvalidInput
from counter_tui.text import clean_text


class Till(StrEnum):
    """Where an export comes from (`--from`)."""

    AUTO = "auto"
    SHOPIFY = "shopify"
    SQUARE = "square"
    LIGHTSPEED = "lightspeed"
    CSV = "csv"


class Answer(StrEnum):
    """What an export says about a marketing opt-in."""

    GRANTED = "granted"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"


YES = frozenset({"yes", "y", "true", "1", "subscribed", "opted in", "opted_in"})
NO = frozenset({"no", "n", "false", "0", "unsubscribed", "opted out", "opted_out"})


def answer_of(value: str, *, inverted: bool = False) -> Answer:
    """A cell's yes/no as an Answer; anything else (empty, "Unknown", "pending") is
    UNKNOWN. `inverted` is for columns that say "do not email": yes there is a withdrawal
    and no says nothing (never asked is not agreed)."""
    word = value.strip().lower()
    if inverted:
        return Answer.WITHDRAWN if word in YES else Answer.UNKNOWN
    if word in YES:
        return Answer.GRANTED
    if word in NO:
        return Answer.WITHDRAWN
    return Answer.UNKNOWN


FIELDS = (
    "till_id",
    "first_name",
    "last_name",
    "name",
    "email",
    "phone",
    "email_consent",
    "sms_consent",
    "note",
)
"""What a row can tell: each is read from the first of its layout's headers present."""


@dataclass(frozen=True)
class Layout:
    """One till's export: its name, the headers that identify it, and for each field the
    headers it may be read from (the first non-empty one wins, e.g. a Shopify row's
    `Phone`, else its `Default Address Phone`)."""

    till: Till
    label: str
    signature: tuple[frozenset[str], ...]
    columns: dict[str, tuple[str, ...]]
    inverted_consent: frozenset[str] = field(default_factory=frozenset)

    def recognises(self, headers: set[str]) -> bool:
        """Whether the header row holds every header of one of its signatures."""
        return any(wanted <= headers for wanted in self.signature)


SHOPIFY = Layout(
    Till.SHOPIFY,
    "Shopify",
    (
        frozenset({"first name", "last name", "email", "accepts email marketing"}),
        frozenset({"first name", "last name", "email", "accepts marketing"}),
        frozenset({"customer id", "default address phone"}),
    ),
    {
        "till_id": ("Customer ID",),
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "email": ("Email",),
        "phone": ("Phone", "Default Address Phone"),
        "email_consent": ("Accepts Email Marketing", "Accepts Marketing"),
        "sms_consent": ("Accepts SMS Marketing",),
        "note": ("Note",),
    },
)
SQUARE = Layout(
    Till.SQUARE,
    "Square",
    (
        frozenset({"square customer id"}),
        frozenset({"first name", "last name", "email address", "phone number", "email subscription status"}),
    ),
    {
        "till_id": ("Square Customer ID",),
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "email": ("Email Address",),
        "phone": ("Phone Number",),
        "email_consent": ("Email Subscription Status", "Email Unsubscribed"),
        "note": ("Memo",),
    },
    inverted_consent=frozenset({"email unsubscribed"}),
)
LIGHTSPEED = Layout(
    Till.LIGHTSPEED,
    "Lightspeed",
    (frozenset({"customer_code", "first_name", "last_name"}),),
    {
        "till_id": ("id", "customer_code"),
        "first_name": ("first_name",),
        "last_name": ("last_name",),
        "email": ("email",),
        "phone": ("mobile", "phone"),
        "email_consent": ("do_not_email",),
        "note": ("note",),
    },
    inverted_consent=frozenset({"do_not_email"}),
)
TILL_LAYOUTS = (SHOPIFY, SQUARE, LIGHTSPEED)


@dataclass(frozen=True)
class ColumnChoice:
    """A plain CSV's columns, named by the person importing it (header text)."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    till_id: str = ""
    email_consent: str = ""
    sms_consent: str = ""
    note: str = ""

    def given(self) -> bool:
        """Whether any column was named."""
        return any(getattr(self, name) for name in FIELDS)

    def layout(self) -> Layout:
        """The plain-CSV layout these choices make."""
        columns: dict[str, tuple[str, ...]] = {
            name: (str(getattr(self, name)),) for name in FIELDS if getattr(self, name)
        }
        return Layout(Till.CSV, "CSV", (), columns)


def key(header: str) -> str:
    """A header as compared: without BOM, surrounding spaces or case."""
    return header.replace("\ufeff", "").strip().lower()


def choose_layout(headers: Sequence[str], till: Till, columns: ColumnChoice) -> Layout:
    """The layout to read a file with this header row by, or an InvalidInput saying why
    none fits and what to do."""
    present = {key(header) for header in headers}
    if till is Till.CSV or (till is Till.AUTO and columns.given()):
        layout = columns.layout()
    elif till is Till.AUTO:
        found = [layout for layout in TILL_LAYOUTS if layout.recognises(present)]
        if not found:
            raise InvalidInput(
                "The header row does not look like a Shopify, Square or Lightspeed customer "
                f"export (it has: {_listed(headers)}). Name the columns of a plain CSV with "
                "--name-column (or --first-name-column and --last-name-column), "
                "--phone-column and --email-column."
            )
        layout = found[0]
    else:
        layout = next(layout for layout in TILL_LAYOUTS if layout.till is till)
        if not layout.recognises(present):
            raise InvalidInput(
                f"The header row does not look like a {layout.label} customer export "
                f"(it has: {_listed(headers)}). Check the file, or try --from auto."
            )
    missing = [
        column
        for name, wanted in layout.columns.items()
        if layout.till is Till.CSV
        for column in wanted
        if key(column) not in present
    ]
    if missing:
        raise InvalidInput(
            f"The file has no column {missing[0]!r} (it has: {_listed(headers)}). "
            "Give the header exactly as the file's first row has it."
        )
    if not any(name in layout.columns for name in ("name", "first_name", "last_name")):
        raise InvalidInput("Say which column holds the name: --name-column, or --first-name-column.")
    return layout


def _listed(headers: Sequence[str], most: int = 8) -> str:
    """The first headers of a file, cleaned (a header is text from outside: it may hold
    terminal escapes)."""
    shown = ", ".join(clean for header in headers[:most] if (clean := clean_text(header)))
    return shown + (", …" if len(headers) > most else "")


@dataclass(frozen=True)
class Mapping:
    """A layout fitted to one header row: for each field, the positions of its columns."""

    layout: Layout
    positions: dict[str, tuple[int, ...]]
    headers: tuple[str, ...]

    @classmethod
    def of(cls, layout: Layout, headers: Sequence[str]) -> Mapping:
        """Where each of the layout's columns is in this header row (absent ones left out)."""
        index = {key(header): position for position, header in reversed(list(enumerate(headers)))}
        positions = {
            name: tuple(index[key(column)] for column in wanted if key(column) in index)
            for name, wanted in layout.columns.items()
        }
        return cls(layout, {name: found for name, found in positions.items() if found}, tuple(headers))

    def describe(self) -> list[str]:
        """One line a field, for the person to check before importing: "Phone ← Phone,
        else Default Address Phone"."""
        labels = {
            "till_id": f"{self.layout.label} customer id",
            "first_name": "First name",
            "last_name": "Last name",
            "name": "Name",
            "email": "Email",
            "phone": "Phone",
            "email_consent": "Email marketing consent",
            "sms_consent": "Text message marketing consent",
            "note": "Note (for new customers)",
        }
        return [
            f"{labels[name]} ← " + ", else ".join(clean_text(self.headers[p]) for p in self.positions[name])
            for name in FIELDS
            if name in self.positions
        ]

    def value(self, cells: Sequence[str], name: str) -> str:
        """The field's value in this row: the first non-empty of its columns."""
        for position in self.positions.get(name, ()):
            if position < len(cells) and cells[position].strip():
                return cells[position]
        return ""

    def consent(self, cells: Sequence[str], name: str) -> Answer:
        """The row's answer for a consent field."""
        for position in self.positions.get(name, ()):
            if position < len(cells) and cells[position].strip():
                inverted = key(self.headers[position]) in self.layout.inverted_consent
                return answer_of(cells[position], inverted=inverted)
        return Answer.UNKNOWN
