"""Writing a table of exported rows as CSV a spreadsheet opens safely, or as JSON Lines.

CSV: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (a customer named `=HYPERLINK(…)` would
become a live link, or worse), so such a cell is written with a leading `'`, which
spreadsheets show as text and importers strip (ours with `excel_unguarded`). `bom` starts the file
with a UTF-8 byte order mark, which Excel needs to read accents right.
JSON Lines: one JSON object a row, keyed by the same headers, values as they are.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

Cell = str | int | bool | None


class ExportFormat(StrEnum):
    """How an export is written."""

    CSV = "csv"
    JSONL = "jsonl"


def excel_safe(cell: Cell) -> str:
    """A cell as CSV text a spreadsheet will not run as a formula."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def excel_unguarded(text: str) -> str:
    """A cell as it was before `excel_safe`: the `'` it put before a formula start taken
    off (a `'` before anything else is the text's own; text that itself began with `'=`
    is the one thing that cannot be told apart, and loses its `'`)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def write_table(
    out: TextIO,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    fmt: ExportFormat,
    *,
    bom: bool = False,
) -> int:
    """Write the rows to `out` in `fmt`; how many rows were written."""
    count = 0
    if fmt is ExportFormat.JSONL:
        for row in rows:
            out.write(json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False) + "\n")
            count += 1
        return count
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([excel_safe(cell) for cell in row])
        count += 1
    return count
