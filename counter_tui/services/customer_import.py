"""Importing a till's customer export: `import_customers`.

The file is read a row at a time (`till_import.reading`) and each row cleaned and
checked outside any transaction (`till_import.records`); then a batch of rows is matched
and written in one short write transaction with its audit events (`till_import.matching`):
the batch's counts, and one for each customer it puts on file or changes, naming the file
and row (`till_import.audit_events`), so that customer's subject access shows it. A
stopped import (Ctrl+C, a kill) leaves whole batches, and running it again finishes it:
rows already imported count as unchanged. A dry run does the same work and rolls each
batch back. Rows that cannot be used go to a rejects CSV beside the file, each with a
reason. Rows imported with something a person should look at (a possible duplicate, a
name, phone or email that differs from the shop's and was not written, a till's "no"
that did not withdraw a consent given in the shop: `till_import.matching`) go to a
review CSV beside the file, `NAME.review.csv`, each with the customer's id and the
reason. An import never deletes or overwrites an earlier such file (it may not have been
looked at yet): a run with rows to write writes a new one, `NAME.review-2.csv` and so on
when the name is taken, and a run with none writes nothing. These files are private and
their text cleaned as typed text is (`_RowsFile`). A last event records the whole
import's counts.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from counter_tui.errors import InvalidInput
from counter_tui.files import NewFile, new_private_file
from counter_tui.limits import fitted
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.export_format import excel_safe
from counter_tui.services.permissions import Action, require
from counter_tui.services.till_import.audit_events import record_changes
from counter_tui.services.till_import.layouts import ColumnChoice, Mapping, Till, choose_layout
from counter_tui.services.till_import.matching import Batch, ImportStamp, Result
from counter_tui.services.till_import.reading import ExportFile, Row
from counter_tui.services.till_import.records import Candidate, Rejection, candidate
from counter_tui.text import clean_text

BATCH_ROWS = 1_000


@dataclass(frozen=True)
class ImportRequest:
    """What to import and how: the file, which till it is from (`Till.AUTO` to tell by the
    header row), a plain CSV's columns, when it was exported (default: the file's time),
    and whether to write anything."""

    path: Path
    till: Till = Till.AUTO
    columns: ColumnChoice = field(default_factory=ColumnChoice)
    exported_at: datetime | None = None
    dry_run: bool = False
    batch_rows: int = BATCH_ROWS


@dataclass
class ImportCounts:
    """What an import did (or, dry, would do), row by row."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_path: Path | None = None
    first_rejects: list[str] = field(default_factory=list)
    to_review: int = 0
    review_path: Path | None = None
    first_reviews: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows read (blank rows not counted)."""
        return self.new + self.updated + self.unchanged + self.rejected

    def as_details(self) -> dict[str, int]:
        """The counts for an audit event."""
        return {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "to_review": self.to_review,
        }


@dataclass(frozen=True)
class ImportPlan:
    """An export opened and understood: its layout fitted to its header row."""

    mapping: Mapping
    encoding: str
    separator: str


class Progress:
    """What an import reports as it goes: the plan before the first row, then bytes read
    of the file and the rows done after each batch."""

    def planned(self, plan: ImportPlan) -> None:
        """The layout and mapping the import will use."""

    def advanced(self, bytes_read: int, bytes_total: int, counts: ImportCounts) -> None:
        """A batch is done (committed, unless dry)."""


class ImportStopped(KeyboardInterrupt):
    """Ctrl+C stopped the import: `counts` are those of the whole batches done, with the
    files of rows to look at written so far (a run again counts those rows as unchanged,
    so these files are the only place their reasons are kept)."""

    def __init__(self, counts: ImportCounts) -> None:
        super().__init__()
        self.counts = counts


class _DryRun(Exception):
    """Raised inside a dry run's transaction so that it rolls back."""


def rejects_path_for(path: Path) -> Path:
    """Where the rejected rows of `path` are written: beside it, `NAME.rejects.csv` (or,
    when that is taken, the first free `NAME.rejects-N.csv`)."""
    return path.with_name(f"{path.stem}.rejects.csv")


def review_path_for(path: Path) -> Path:
    """Where the rows of `path` to review are written: beside it, `NAME.review.csv` (or,
    when that is taken, the first free `NAME.review-N.csv`)."""
    return path.with_name(f"{path.stem}.review.csv")


def import_customers(
    ctx: ShopContext, actor: Actor, request: ImportRequest, progress: Progress | None = None
) -> ImportCounts:
    """Import a till's customer export (see the module docstring); the counts of new,
    updated, unchanged and rejected rows. Only a shift lead may."""
    progress = progress or Progress()
    with ctx.database.read() as session:
        staff = require(session, actor, Action.IMPORT_CUSTOMERS)
    if not request.path.is_file():
        raise InvalidInput(f"There is no file at {request.path}.")
    counts = ImportCounts()
    rejects = _RowsFile(rejects_path_for(request.path), request, ())
    reviews = _RowsFile(review_path_for(request.path), request, ("Customer",))
    try:
        mapping = _import_rows(ctx, actor, staff.id, request, progress, counts, rejects, reviews)
    except KeyboardInterrupt:
        _name_files(counts, request, rejects, reviews)
        raise ImportStopped(counts) from None
    _name_files(counts, request, rejects, reviews)
    if not request.dry_run:
        with ctx.database.write() as session:
            audit.record(
                session,
                ctx,
                actor,
                "customers.imported",
                "customer",
                None,
                file=request.path.name,
                till=mapping.layout.till.value,
                **counts.as_details(),
            )
    return counts


def _name_files(counts: ImportCounts, request: ImportRequest, rejects: _RowsFile, reviews: _RowsFile) -> None:
    """Name in `counts` the files of rejected rows and rows to review that were written."""
    counts.rejects_path = rejects.path if counts.rejected and not request.dry_run else None
    counts.review_path = reviews.path if counts.to_review and not request.dry_run else None


def _import_rows(
    ctx: ShopContext,
    actor: Actor,
    staff_id: int | None,
    request: ImportRequest,
    progress: Progress,
    counts: ImportCounts,
    rejects: _RowsFile,
    reviews: _RowsFile,
) -> Mapping:
    """Read the export and write it batch by batch, counting into `counts` and writing the
    rows to look at into `rejects` and `reviews`; the columns it was read by."""
    with ExportFile(request.path) as export, rejects, reviews:
        mapping = Mapping.of(choose_layout(export.headers, request.till, request.columns), export.headers)
        progress.planned(ImportPlan(mapping, export.encoding, export.separator))
        stamp = _stamp(request, mapping, staff_id)
        for batch in _batches(export.rows(), request.batch_rows):
            prepared = [candidate(ctx.rules.shop, mapping, row) for row in batch]
            for item in prepared:
                if isinstance(item, Rejection):
                    counts.rejected += 1
                    rejects.write(item.number, item.reason, item.cells, export.headers, counts.first_rejects)
            done, to_review = _write_batch(
                ctx, actor, stamp, request, [c for c in prepared if isinstance(c, Candidate)]
            )
            for number, customer_id, reason in to_review:
                counts.to_review += 1
                cells = _cells_of(batch, number)
                reviews.write(number, reason, cells, export.headers, counts.first_reviews, customer_id)
            for row, outcome in done:
                if isinstance(outcome, Result):
                    setattr(counts, outcome.value, getattr(counts, outcome.value) + 1)
                else:
                    counts.rejected += 1
                    cells = _cells_of(batch, row.number)
                    rejects.write(row.number, outcome, cells, export.headers, counts.first_rejects)
            progress.advanced(export.bytes_read, export.size, counts)
    return mapping


def _stamp(request: ImportRequest, mapping: Mapping, staff_id: int | None) -> ImportStamp:
    exported_at = request.exported_at or datetime.fromtimestamp(request.path.stat().st_mtime, UTC)
    source = f"{mapping.layout.label} export, {request.path.name}, {exported_at.date().isoformat()}"
    return ImportStamp(mapping.layout.till.value, staff_id, fitted(source, "consent_source"), exported_at)


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _cells_of(batch: list[Row], number: int) -> list[str]:
    return next(row.cells for row in batch if row.number == number)


def _write_batch(
    ctx: ShopContext, actor: Actor, stamp: ImportStamp, request: ImportRequest, rows: list[Candidate]
) -> tuple[list[tuple[Candidate, Result | str]], list[tuple[int, int, str]]]:
    """Match and write one batch in one transaction with its audit events, the batch's and
    one for each customer it creates or changes (rolled back when dry); what each row
    did, and the rows to review (row, customer id, reason)."""
    done: list[tuple[Candidate, Result | str]] = []
    to_review: list[tuple[int, int, str]] = []
    if not rows:
        return done, to_review
    try:
        with ctx.database.write() as session:
            require(session, actor, Action.IMPORT_CUSTOMERS)
            batch = Batch(session, ctx, stamp, rows)
            done = [(row, batch.apply(row)) for row in rows]
            batch.finish()
            to_review = [(review.row, review.customer.id or 0, review.reason) for review in batch.reviews]
            if request.dry_run:
                raise _DryRun
            record_changes(session, ctx, actor, request.path.name, stamp.till, batch.changes)
            tally = {result.value: sum(1 for _, r in done if r is result) for result in Result}
            audit.record(
                session,
                ctx,
                actor,
                "customers.import_batch",
                "customer",
                None,
                file=request.path.name,
                first_row=rows[0].number,
                last_row=rows[-1].number,
                to_review=len(to_review),
                **tally,
            )
    except _DryRun:
        pass
    return done, to_review


class _RowsFile:
    """A CSV beside the input of the rows a person should look at (the rejected rows, or
    those to review), begun on the first such row and named when the import ends, or
    stops (the rows written so far are kept), with the first name no file has yet (an
    earlier run's file is never touched): a private file (`files.new_private_file`).
    Each cell is cleaned as typed text is (`clean_text`: no control or bidi characters,
    which a terminal or a spreadsheet would act on) and made safe to open in a
    spreadsheet. A dry run writes none. Either way the first few reasons are kept to show."""

    SHOWN = 5

    def __init__(self, path: Path, request: ImportRequest, columns: tuple[str, ...]) -> None:
        self.path = path
        self.dry_run = request.dry_run
        self.columns = columns
        self._files = ExitStack()
        self._new: NewFile | None = None
        self._writer: Callable[[list[str]], object] | None = None

    def write(
        self, number: int, reason: str, cells: list[str], headers: list[str], shown: list[str], *ids: int
    ) -> None:
        """One row: its number, the `ids` of this file's `columns`, the reason and the
        row's own cells."""
        if len(shown) < self.SHOWN:
            shown.append(f"Row {number}: {clean_text(reason)}")
        if self.dry_run:
            return
        if self._writer is None:
            self._new = self._files.enter_context(new_private_file(self.path, numbered=True))
            file = self._files.enter_context(self._new.partial.open("w", encoding="utf-8-sig", newline=""))
            self._writer = csv.writer(file).writerow
            self._writer(["Row", *self.columns, "Reason", *(_safe(header) for header in headers)])
        self._writer(
            [str(number), *(str(id_) for id_ in ids), _safe(reason), *(_safe(cell) for cell in cells)]
        )

    def __enter__(self) -> _RowsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._files.close()
        if self._new is not None:
            self.path = self._new.path


def _safe(cell: str) -> str:
    """A cell of a review or rejects file: cleaned (lines kept) and spreadsheet-safe."""
    return excel_safe(clean_text(cell, multiline=True))
