"""`PasteGuard`: an ESC inside a bracketed paste is dropped, however the terminal's bytes
are split into reads; outside a paste every character passes at once, ESC included."""

from __future__ import annotations

import pytest

from counter_tui.ui.terminal_input import PASTE_END, PASTE_START, GuardedDecoder, PasteGuard


def guarded(*chunks: str) -> str:
    """What the parser receives for `chunks`, read one after the other."""
    guard = PasteGuard()
    return "".join(guard(chunk) for chunk in chunks)


def test_keys_outside_a_paste_pass_unchanged_and_a_lone_escape_is_not_held_back() -> None:
    guard = PasteGuard()
    assert guard("a\x1b[A") == "a\x1b[A"
    assert guard("\x1b") == "\x1b"


def test_an_escape_inside_a_paste_is_dropped_and_the_markers_kept() -> None:
    assert guarded(f"{PASTE_START}Ann\x1bie{PASTE_END}\x1b") == f"{PASTE_START}Annie{PASTE_END}\x1b"


def test_colour_codes_copied_from_a_terminal_keep_their_text() -> None:
    assert guarded(f"{PASTE_START}\x1b[1mAnn\x1b[0m{PASTE_END}") == f"{PASTE_START}[1mAnn[0m{PASTE_END}"


@pytest.mark.parametrize("cut", range(1, len(PASTE_START) + len("Ann\x1bie") + len(PASTE_END)))
def test_a_paste_split_anywhere_across_reads_arrives_the_same(cut: int) -> None:
    text = f"{PASTE_START}Ann\x1bie{PASTE_END}x"
    assert guarded(text[:cut], text[cut:]) == f"{PASTE_START}Annie{PASTE_END}x"


def test_the_start_of_an_end_marker_that_is_not_one_is_kept_as_text() -> None:
    assert guarded(f"{PASTE_START}a\x1b[2", f"x{PASTE_END}") == f"{PASTE_START}a[2x{PASTE_END}"


def test_keys_after_a_paste_are_keys_again() -> None:
    assert guarded(f"{PASTE_START}a{PASTE_END}", "\x1b") == f"{PASTE_START}a{PASTE_END}\x1b"


def test_the_decoder_replaces_undecodable_bytes_and_guards_the_paste() -> None:
    decoder = GuardedDecoder("utf-8")
    assert decoder.decode(b"\xff\x1b[200~\xe2\x82") == "\ufffd" + PASTE_START
    assert decoder.decode(b"\xac\x1bx\x1b[201~", final=True) == f"€x{PASTE_END}"
