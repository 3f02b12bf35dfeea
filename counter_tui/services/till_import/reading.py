"""A till export read one row at a time, in whatever encoding and dialect it came in.

Exports come as UTF-8 with or without a byte-order mark, or as Windows-1252 (Excel on
Windows). The file is read as Windows-1252 only when it holds bytes that are not UTF-8
and not one letter written in UTF-8: a UTF-8 file with a line pasted in from elsewhere
stays UTF-8 (reading it all as Windows-1252 would turn every "Zoë" into "ZoÃ«"), and the
rows holding a line that cannot be decoded say which lines (`Row.undecodable_lines`), so
they are rejected rather than guessed at. Values may hold quoted newlines; blank rows are
skipped; the separator (comma, semicolon or tab) is the one the header row uses. Rows
are yielded as they are read, so a file of any size takes little memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from counter_tui.errors import InvalidInput

CHUNK = 1 << 20
FIELD_LIMIT = 1 << 20
SEPARATORS = (",", ";", "\t")


UNDECODABLE = re.compile(r"[\udc80-\udcff]")
"""A byte that could not be decoded, as the `surrogateescape` error handler keeps it."""
BEYOND_ASCII = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
"""A letter decoded from more than one UTF-8 byte."""


def encoding_of(path: Path) -> str:
    """`utf-8-sig` (a BOM), `utf-8`, or `cp1252` when the file holds bytes that are not
    UTF-8 and no letter written in UTF-8 at all (a file with both is UTF-8 with some lines
    that cannot be decoded)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    undecodable = False
    with path.open("rb") as file:
        first = file.read(CHUNK)
        if first.startswith(codecs.BOM_UTF16_LE) or first.startswith(codecs.BOM_UTF16_BE):
            raise InvalidInput(
                f"{path.name} is saved as UTF-16 (Excel's 'Unicode text'). Save it as "
                "'CSV UTF-8' and import that."
            )
        if first.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        chunk = first
        while chunk:
            text = decoder.decode(chunk)
            if BEYOND_ASCII.search(text):
                return "utf-8"
            undecodable = undecodable or UNDECODABLE.search(text) is not None
            chunk = file.read(CHUNK)
        undecodable = undecodable or UNDECODABLE.search(decoder.decode(b"", final=True)) is not None
    return "cp1252" if undecodable else "utf-8"


@dataclass(frozen=True)
class Row:
    """One non-blank row: its number as a spreadsheet shows it (the header is row 1), its
    cells, and the lines of the file it spans that could not be decoded (counted from 1;
    their undecodable bytes are lone surrogates in `cells`)."""

    number: int
    cells: list[str]
    undecodable_lines: tuple[int, ...] = ()


class ExportFile:
    """An export opened for reading: its encoding, header row and rows, and how far
    through the file reading has got (for a progress bar)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.encoding = encoding_of(path)
        self.size = path.stat().st_size
        self._raw = path.open("rb")
        self._text = io.TextIOWrapper(self._raw, encoding=self.encoding, errors="surrogateescape", newline="")
        self.separator = ","
        self.headers: list[str] = []
        self._number = 0
        self._line = 0
        self._undecodable: list[int] = []
        self._reader = self._open_reader()

    def _open_reader(self) -> Iterator[list[str]]:
        first = ""
        while not first.strip():
            first = self._text.readline()
            if not first:
                raise InvalidInput(f"{self.path.name} is empty: there is no header row.")
            self._number += 1
            self._line += 1
        if UNDECODABLE.search(first):
            raise InvalidInput(
                f"The header row of {self.path.name} (line {self._line}) is not UTF-8 text. "
                "Save the export as 'CSV UTF-8' and import that."
            )
        self.separator = max(SEPARATORS, key=first.count)
        csv.field_size_limit(FIELD_LIMIT)
        header_reader = csv.reader([first], delimiter=self.separator)
        self.headers = next(header_reader)
        return csv.reader(self._lines(), delimiter=self.separator)

    def _lines(self) -> Iterator[str]:
        """The file's lines after the header, noting the number of each that could not be
        decoded (the CSV reader takes only the lines of the row it is reading)."""
        for line in self._text:
            self._line += 1
            if UNDECODABLE.search(line):
                self._undecodable.append(self._line)
            yield line

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
            undecodable = tuple(self._undecodable)
            self._undecodable.clear()
            if any(cell.strip() for cell in cells):
                yield Row(self._number, cells, undecodable)

    def close(self) -> None:
        """Close the file."""
        self._text.close()

    def __enter__(self) -> ExportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
