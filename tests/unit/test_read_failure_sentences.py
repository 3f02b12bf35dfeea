"""A read that fails says what failed, not "Nothing was saved": a board refreshed after
a claim (saved) said "…cannot be reached. Nothing was saved", and a terminal where nobody
had done anything said the same."""

from __future__ import annotations

import sqlite3

import pytest

from counter_tui.db.diagnose import explain
from counter_tui.sentences import said_of_a_read
from counter_tui.ui.guarded_app import UNEXPECTED

SQLITE_FAILURES = [
    "SQLITE_BUSY",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_IOERR",
    "SQLITE_ERROR",
]


def _sqlite_failure(name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(name.lower())
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize("name", SQLITE_FAILURES)
def test_a_failed_read_of_sqlite_says_what_to_do_without_saying_nothing_was_saved(name: str) -> None:
    written = explain(_sqlite_failure(name), "sqlite:////nowhere/shop.sqlite3", was_open=True)
    read = said_of_a_read(written)

    assert "saved" not in read.lower(), read
    assert read[0].isupper() and read.endswith("."), read
    assert ".." not in read and "  " not in read, read
    assert all(part[:1].isupper() for part in read.split(". ") if part), read


def test_a_failed_read_of_postgresql_and_the_unexpected_sentence_too() -> None:
    written = explain(
        ConnectionRefusedError("connection refused"), "postgresql://u@127.0.0.1:1/shop", was_open=True
    )

    for sentence in (written, UNEXPECTED):
        read = said_of_a_read(sentence)
        assert "saved" not in read.lower(), read
        assert all(part[:1].isupper() for part in read.split(". ") if part), read


def test_a_sentence_that_says_nothing_of_saving_is_kept() -> None:
    assert said_of_a_read("Dana is not a shift lead.") == "Dana is not a shift lead."
