"""Terminal input that cannot crash or scramble: bytes that are not UTF-8 become U+FFFD
(`�`), and an ESC inside a bracketed paste is dropped.

Textual's Linux drivers decode stdin with a strict UTF-8 decoder in their input thread,
so one 0xFF byte, or `£` typed on a Latin-1 terminal, raises `UnicodeDecodeError`
there and the whole app stops with a traceback (Textual issue #6456, open in 8.2).
Their parser also reads an ESC inside a paste as the start of a key sequence and types
what follows it as keys, ahead of the paste (`Ann`, ESC, `ie` pasted became `^ieAnn`);
xterm lets ESC through a paste, where Alacritty and others strip it, as `PasteGuard` does.
The drivers build their decoder with `getincrementaldecoder("utf-8")()`, looked up in
their module when the input thread starts; `tolerate_undecodable_input` gives those
modules a factory whose decoders do both. Everything else decodes exactly as before.
`terminal_driver.fix_terminal_driver` calls it before `App.run`.

Importing this module imports Textual: the kiosk imports it only after scrubbing
`TEXTUAL*` variables from the environment.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from textual.drivers import linux_driver, linux_inline_driver

DRIVER_MODULES = (linux_driver, linux_inline_driver)
ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


class PasteGuard:
    """Drops every ESC between a bracketed paste's start and end markers, text decoded
    chunk by chunk; a chunk that ends part way into the end marker keeps that part back
    for the next chunk (inside a paste only, so a lone Escape key is never held back)."""

    def __init__(self) -> None:
        self.in_paste = False
        self._held = ""
        self._recent = ""
        """The last few characters outside a paste, to see a start marker split across chunks."""

    def __call__(self, text: str, final: bool = False) -> str:
        """`text` as it should reach the parser."""
        text, self._held = self._held + text, ""
        out: list[str] = []
        at = 0
        while at < len(text):
            if not self.in_paste:
                char = text[at]
                out.append(char)
                self._recent = (self._recent + char)[-len(PASTE_START) :]
                self.in_paste = self._recent == PASTE_START
                at += 1
                continue
            escape = text.find(ESC, at)
            if escape < 0:
                out.append(text[at:])
                break
            out.append(text[at:escape])
            rest = text[escape:]
            if rest.startswith(PASTE_END):
                out.append(PASTE_END)
                self.in_paste, self._recent = False, ""
                at = escape + len(PASTE_END)
            elif PASTE_END.startswith(rest) and not final:
                self._held = rest
                break
            else:
                at = escape + 1
        return "".join(out)


class GuardedDecoder:
    """An incremental decoder that replaces undecodable bytes and guards pastes."""

    def __init__(self, encoding: str) -> None:
        self._decode = codecs.getincrementaldecoder(encoding)(errors="replace").decode
        self._guard = PasteGuard()

    def decode(self, data: bytes, final: bool = False) -> str:
        """Decode `data` (the next bytes read), as `codecs.IncrementalDecoder.decode`."""
        return self._guard(self._decode(data, final), final)


def tolerant_incremental_decoder(encoding: str) -> Callable[[], GuardedDecoder]:
    """Like `codecs.getincrementaldecoder`, but its decoders replace undecodable bytes and
    drop ESC inside a paste."""
    return lambda: GuardedDecoder(encoding)


def tolerate_undecodable_input() -> None:
    """Make Textual's terminal input threads decode through `GuardedDecoder` (idempotent).

    A Textual that no longer looks the factory up there is left alone: the pty tests
    in tests/ui/test_terminal_bytes.py then say whether its own decoding is tolerant.
    """
    for module in DRIVER_MODULES:
        if hasattr(module, "getincrementaldecoder"):
            setattr(module, "getincrementaldecoder", tolerant_incremental_decoder)  # noqa: B010
