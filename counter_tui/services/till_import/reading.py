"""A till export read one row at a time, in whatever encoding and dialect it came in.

Exports come as UTF-8 with or without a byte-order mark, or as Windows-1252 (Excel on
Windows); the whole file is checked for UTF-8 first, a chunk at a time, so a file is
never read half in one encoding. Values may hold quoted newlines; blank rows are
skipped; the separator (comma, semicolon or tab) is the one the header row uses. Rows
are yielded as they are read, so a file of any size takes little memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from counter_tui.errors import InvalidInput

CHUNK = 1 << 20
FIELD_LIMIT = 1 << 20
SEPARATORS = (",", ";", "\t")


def encoding_of(path: Path) -> str:
    """`utf-8-sig` (a BOM), `utf-8`, or `cp1252` when the bytes are not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as file:
        first = file.read(CHUNK)
        if first.startswith(codecs.BOM_UTF16_LE) or first.startswith(codecs.BOM_UTF16_BE):
            raise InvalidInput(
                f"{path.name} is saved as UTF-16 (Excel's 'Unicode text'). Save it as "
                "'CSV UTF-8' and import that."
            )
        chunk = first
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = file.read(CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"


@dataclass(frozen=True)
class Row:
    """One non-blank row: its number as a spreadsheet shows it (the header is row 1) and
    its cells."""

    number: int
    cells: list[str]


class ExportFile:
    """An export opened for reading: its encoding, header row and rows, and how far
    through the file reading has got (for a progress bar)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.encoding = encoding_of(path)
        self.size = path.stat().st_size
        self._raw = path.open("rb")
        errors = "replace" if self.encoding == "cp1252" else "strict"
        self._text = io.TextIOWrapper(self._raw, encoding=self.encoding, errors=errors, newline="")
        self.separator = ","
        self.headers: list[str] = []
        self._number = 0
        self._reader = self._open_reader()

    def _open_reader(self) -> Iterator[list[str]]:
        first = ""
        while not first.strip():
            first = self._text.readline()
            if not first:
                raise InvalidInput(f"{self.path.name} is empty: there is no header row.")
            self._number += 1
        self.separator = max(SEPARATORS, key=first.count)
        csv.field_size_limit(FIELD_LIMIT)
        header_reader = csv.reader([first], delimiter=self.separator)
        self.headers = next(header_reader)
        return csv.reader(self._text, delimiter=self.separator)

    @property
    def bytes_read(self) -> int:
        """How many bytes of the file have been read so far."""
        return self._raw.tell()

    def rows(self) -> Iterator[Row]:
        """The non-blank rows after the header, or an InvalidInput naming the row that
        cannot be read as CSV (rows before it have been yielded)."""
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise InvalidInput(
                    f"Row {self._number + 1} of {self.path.name} cannot be read as CSV ({error}); "
                    "a quote may be missing. Fix that row and import again."
                ) from None
            self._number += 1
            if any(cell.strip() for cell in cells):
                yield Row(self._number, cells)

    def close(self) -> None:
        """Close the file."""
        self._text.close()

    def __enter__(self) -> ExportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
