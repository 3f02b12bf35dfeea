"""What a till's marketing opt-in may change in the shop's record of consent.

The rules, so that an import can only ever make contact rarer than the shop knows is
wanted, never more:

- "unknown" (an empty cell, Square's `Unknown`, Lightspeed's `do_not_email` = false)
  changes nothing: never asked is not agreed;
- an opt-in is recorded where the shop has no answer yet; it never replaces a "no" the
  shop holds (a customer who withdrew at the counter is not signed up again by a till);
- an opt-out withdraws a "yes" the shop recorded before the export was taken, and never
  one recorded after it (the export is older than what the shop knows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_tui.services.till_import.layouts import Answer


@dataclass(frozen=True)
class Held:
    """The shop's current answer for one channel, and when it was recorded."""

    granted: bool
    recorded_at: datetime


def new_answer(answer: Answer, held: Held | None, exported_at: datetime) -> bool | None:
    """The consent to record for this channel (True granted, False withdrawn), or None to
    leave the shop's record as it is."""
    if answer is Answer.GRANTED:
        return True if held is None else None
    if answer is Answer.WITHDRAWN and held is not None and held.granted:
        return False if held.recorded_at < exported_at else None
    return None
