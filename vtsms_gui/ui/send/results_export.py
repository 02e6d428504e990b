"""Export results to a CSV file Excel opens cleanly: the grid (each row, its check and its send
result), or one send from the history (each recipient and its outcome)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vtsms_gui.ui.recipients.recipients_model import RecipientsModel
from vtsms_gui.ui.recipients.row_labels import excluded_label, outcome_label, state_label

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import SendRecord

HEADER = ("Row", "Client code", "Mobile", "Name", "Check", "Check detail", "Result", "Detail")
SEND_HEADER = (
    "Send",
    "Row",
    "Client code",
    "Mobile",
    "Result",
    "Detail",
    "Status",
    "Resent in",
    "Text",  # the text this row was sent: its own, for a personalised message
)


def export_results(model: RecipientsModel, path: Path) -> int:
    """Write every row in the user's order; returns the number of rows written."""
    checked = model.checked() if model.is_checked else None

    def rows() -> Iterable[Sequence[object]]:
        for row in range(model.recipient_count):
            recipient = model.recipient(row)
            check = state_label(checked[row] if checked is not None else None)
            result = model.result(row)
            yield (
                row + 1,
                recipient.client_code or "",
                recipient.mobile or "",
                recipient.name,
                check.text,
                check.detail,
                result.text if result else "",
                result.detail if result else "",
            )

    _write(path, HEADER, rows())
    return model.recipient_count


def export_send(record: SendRecord, path: Path) -> int:
    """Write each row of a past send with its latest outcome, rows left out included, in the
    order of the list it was sent from; returns the number of rows written."""
    lines: list[tuple[int, Sequence[object]]] = []
    for outcome in record.recipients:
        label = outcome_label(outcome)
        lines.append(
            (
                outcome.row,
                (
                    record.send_id,
                    outcome.row + 1,
                    outcome.client_code or "",
                    outcome.mobile or "",
                    label.text,
                    label.detail,
                    "" if outcome.status is None else outcome.status,
                    record.resent_in.get(outcome.row, ""),
                    record.text_of(outcome.row),
                ),
            )
        )
    for excluded in record.excluded:
        label = excluded_label(excluded.reason)
        lines.append(
            (
                excluded.row,
                (record.send_id, excluded.row + 1, "", "", label.text, label.detail, "", "", ""),
            )
        )
    lines.sort(key=lambda line: line[0])
    _write(path, SEND_HEADER, (line for _, line in lines))
    return len(lines)


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    # UTF-8 with a byte-order mark: without it Excel on Windows misreads names with accents.
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        # Every text cell is guarded, not just names: details echo what was typed or imported
        # (a reason quoting a bad number) and what the server answered.
        writer.writerows([safe_cell(c) if isinstance(c, str) else c for c in row] for row in rows)


# Excel, LibreOffice and Google Sheets read a cell starting with one of these as a formula
# (OWASP's list for CSV injection); they skip leading spaces before deciding.
_FORMULA_STARTS = ("=", "+", "-", "@")
_CONTROL_STARTS = ("\t", "\r")
# A sign followed by digits only (spaces in a phone number, or a point and commas in a negative
# number) can be nothing but a number to a spreadsheet: "+61 412 345 678" stays as typed.
_PLAIN_NUMBER = re.compile(r"\+[\d ]+|-[\d.,]+")


def safe_cell(cell: str) -> str:
    """`cell` with a leading ' when a spreadsheet would run it as a formula, so an imported name
    such as '=HYPERLINK("http://x","y")' shows as text instead of becoming a link."""
    # Hand-written: defusedcsv, the library for this, quotes every leading +, phone numbers too.
    start = cell.lstrip()
    if cell.startswith(_CONTROL_STARTS) or (
        start.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(start)
    ):
        return "'" + cell
    return cell
