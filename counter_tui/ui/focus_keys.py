"""Tab and Shift+Tab as priority keys of the staff app and the kiosk, so they move the
focus before any key typed after them is handed to a field.

Textual hands each key to the focused field's own queue; a Tab the field does not use
comes back up to the screen later. Keys typed in one burst after it (a fast typist, a
scanner, a paste without bracketed paste) were by then already in the old field's
queue, so "Bob⇥07700" put "Bob07700" in the name. A priority binding is decided as the
key arrives, before the next one is handed on.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

FOCUS_KEYS: list[BindingType] = [
    Binding(
        "tab",
        "focus_next",
        "Next field",
        show=False,
        priority=True,
        id="app.focus_next",
        tooltip="Move to the next field or list.",
    ),
    Binding(
        "shift+tab",
        "focus_previous",
        "Previous field",
        show=False,
        priority=True,
        id="app.focus_previous",
        tooltip="Move back to the previous field or list.",
    ),
]
