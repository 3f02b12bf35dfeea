"""Terminal input that cannot crash: bytes that are not UTF-8 become U+FFFD (`�`).

Textual's Linux drivers decode stdin with a strict UTF-8 decoder in their input thread,
so one 0xFF byte, or `£` typed on a Latin-1 terminal, raises `UnicodeDecodeError`
there and the whole app stops with a traceback (Textual issue #6456, open in 8.2).
The drivers build that decoder with `getincrementaldecoder("utf-8")()`, looked up in
their module when the input thread starts; `tolerate_undecodable_input` gives those
modules a factory whose decoders replace what they cannot decode. Valid UTF-8 decodes
exactly as before. `terminal_driver.fix_terminal_driver` calls it before `App.run`.

Importing this module imports Textual: the kiosk imports it only after scrubbing
`TEXTUAL*` variables from the environment.
"""

from __future__ import annotations

import codecs
from functools import partial
from typing import Any

from textual.drivers import linux_driver, linux_inline_driver

DRIVER_MODULES = (linux_driver, linux_inline_driver)


def tolerant_incremental_decoder(encoding: str) -> Any:
    """Like `codecs.getincrementaldecoder`, but its decoders replace undecodable bytes."""
    return partial(codecs.getincrementaldecoder(encoding), errors="replace")


def tolerate_undecodable_input() -> None:
    """Make Textual's terminal input threads replace undecodable bytes (idempotent).

    A Textual that no longer looks the factory up there is left alone: the pty tests
    in tests/ui/test_terminal_bytes.py then say whether its own decoding is tolerant.
    """
    for module in DRIVER_MODULES:
        if hasattr(module, "getincrementaldecoder"):
            setattr(module, "getincrementaldecoder", tolerant_incremental_decoder)  # noqa: B010
