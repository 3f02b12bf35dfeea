"""What a till's marketing opt-in may change in the shop's record of consent.

The rules, so that an import can only ever make contact rarer than the shop knows is
wanted, never more, and never overrule what a customer told the shop themselves:

- "unknown" (an empty cell, Square's `Unknown`, Lightspeed's `do_not_email` = false)
  changes nothing: never asked is not agreed;
- an opt-in is recorded where the shop has no answer yet, with the import as its source;
  it never replaces a "no" the shop holds (a customer who withdrew at the counter is not
  signed up again by a till);
- an opt-out withdraws a "yes" only when that "yes" came from an import itself
  (`ContactConsent.by_import`) and was recorded before the export was taken.
  A "yes" given at the counter (or recorded by staff with any other source) is never
  withdrawn by an import (whatever its source's words: where it came from is recorded,
  `ContactConsent.by_import`): a till's "no" is often only the till's default, and its
  provenance is weaker than the customer's own word. The row is reported for review
  instead (`OVERRULED`), so a person can ask the customer and withdraw it at the counter.
  No column of an export is taken to mean "the customer withdrew the consent they gave
  at the counter".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from counter_tui.services.till_import.layouts import TILL_LAYOUTS, Answer

IMPORT_LABELS = (*(layout.label for layout in TILL_LAYOUTS), "CSV")


def import_source(label: str, file_name: str, exported_on: str) -> str:
    """The source recorded on a consent an import grants or withdraws."""
    return f"{label} export, {file_name}, {exported_on}"


@dataclass(frozen=True)
class Held:
    """The shop's current answer for one channel, when it was recorded, and whether an
    import recorded it."""

    granted: bool
    recorded_at: datetime
    by_import: bool = True


class Kept(Enum):
    """The shop's answer stays as it is."""

    UNCHANGED = "unchanged"
    OVERRULED = "overruled"
    """The row's "no" would have withdrawn a "yes" not given through an import."""


def new_answer(answer: Answer, held: Held | None, exported_at: datetime) -> bool | Kept:
    """The consent to record for this channel (True granted, False withdrawn), or why the
    shop's record stays as it is."""
    if answer is Answer.GRANTED:
        return True if held is None else Kept.UNCHANGED
    if answer is Answer.WITHDRAWN and held is not None and held.granted and held.recorded_at < exported_at:
        return False if held.by_import else Kept.OVERRULED
    return Kept.UNCHANGED
