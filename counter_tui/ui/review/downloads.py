"""Downloads for a lead in a web browser (`counter-tui serve`): CSV handed to Textual's
`deliver_text`, which textual-serve turns into a download in the browser.

The review screen offers these keys only in a browser: in a terminal, Textual would save
the file in the user's downloads folder of a shared till, personal data included.
"""

from __future__ import annotations

import io

from textual.widget import Widget

from counter_tui.services import exports
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.export_format import ExportFormat
from counter_tui.services.exports import ExportKind, Period

DESTINATION = "a browser download"


def deliver_csv(node: Widget, filename: str, csv_text: str, what: str) -> None:
    """Send `csv_text` to the browser as `filename`, and say `what` is downloading."""
    node.app.deliver_text(
        io.StringIO(csv_text), save_filename=filename, mime_type="text/csv", encoding="utf-8"
    )
    node.notify(f"{what} is downloading (CSV).", markup=False)


def exported_csv(ctx: ShopContext, actor: Actor, kind: ExportKind, period: Period | None = None) -> str:
    """Every row of `kind` (visits: of `period`) as CSV, Excel-safe like the CLI's export,
    audited as exported by `actor` (a shift lead only)."""
    buffer = io.StringIO()
    exports.export(
        ctx, actor, kind, buffer, ExportFormat.CSV, period=period or Period(), destination=DESTINATION
    )
    return buffer.getvalue()
