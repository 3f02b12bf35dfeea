"""Keeping Python's full garbage collections short on a terminal that runs all day.

A full (oldest-generation) collection walks every object the garbage collector tracks.
Once the app has loaded its modules (SQLAlchemy, pydantic, Textual, the floor's screens:
over 100,000 objects that live as long as the process), each such walk took 85–107 ms
of the UI thread, every two seconds or so while another terminal's claims arrived, and a
claim that met one was painted 140 ms late instead of 30. Moving those objects out of
the collector's sight (`gc.freeze`) once they are loaded leaves it the objects made
since: about 20 ms a walk.
"""

from __future__ import annotations

import gc


def set_aside_what_was_loaded() -> None:
    """Collect the young garbage (the loading's leftovers), then keep every object alive
    now out of later full collections. For once per process, after the loading: what is
    set aside is never collected, so anything that is garbage later leaks."""
    gc.collect(1)
    gc.freeze()
