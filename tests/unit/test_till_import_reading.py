"""Reading a till export (services/till_import/reading.py): the encoding is decided on the
whole file, rows are read as they are needed, and rows are numbered as a spreadsheet
shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_tui.errors import InvalidInput
from counter_tui.services.till_import.reading import ExportFile, encoding_of


def test_a_windows_1252_letter_late_in_a_long_file_decides_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    ascii_rows = "".join(f"Customer{n},Smith,customer{n}@example.com\r\n" for n in range(60_000))
    path.write_bytes(
        b"First Name,Last Name,Email\r\n"
        + ascii_rows.encode()
        + "Zoë,Ní,zoe@example.com\r\n".encode("cp1252")
    )
    assert path.stat().st_size > 2 * 1024 * 1024

    with ExportFile(path) as export:
        last = list(export.rows())[-1]

    assert export.encoding == "cp1252"
    assert last.cells == ["Zoë", "Ní", "zoe@example.com"]


def test_rows_are_read_as_they_are_needed_not_all_at_once(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Name,Email\n" + "".join(f"Customer{n},c{n}@example.com\n" for n in range(200_000)))

    with ExportFile(path) as export:
        first = next(export.rows())

        assert first.cells == ["Customer0", "c0@example.com"]
        assert export.bytes_read < export.size / 10


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes('\ufeffName,Note\r\nAnn,"two\r\nlines"\r\n\r\n,\r\nBob,\r\n'.encode())

    with ExportFile(path) as export:
        rows = [(row.number, row.cells) for row in export.rows()]

    assert encoding_of(path) == "utf-8-sig"
    assert export.headers == ["Name", "Note"]
    assert rows == [(2, ["Ann", "two\r\nlines"]), (5, ["Bob", ""])]


def test_a_utf8_file_with_a_line_that_is_not_utf8_is_read_as_utf8_naming_that_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        "First Name,Note\r\nZoë,Brontë fan\r\n".encode()
        + b'Ren\xe9e,"two\r\nlines"\r\n'
        + b'Ann,"first\r\nsecond \x96 line"\r\n'
        + b"Mei,ok\r\n"
    )

    with ExportFile(path) as export:
        rows = list(export.rows())

    assert export.encoding == "utf-8"
    assert [(row.number, row.cells[0][:3], row.undecodable_lines) for row in rows] == [
        (2, "Zoë", ()),
        (3, "Ren", (3,)),
        (4, "Ann", (6,)),
        (5, "Mei", ()),
    ]
    assert rows[0].cells == ["Zoë", "Brontë fan"]


def test_a_header_row_that_is_not_utf8_in_a_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"Name,Pr\xe9nom\r\n" + "Zoë,Brontë\r\n".encode())

    with pytest.raises(InvalidInput, match=r"The header row of export\.csv \(line 1\) is not UTF-8"):
        ExportFile(path)
