"""Export the grid (each row, its check and its send result) to a CSV file Excel opens cleanly."""

from __future__ import annotations

import csv
from pathlib import Path

from vtsms_gui.ui.recipients_model import RecipientsModel
from vtsms_gui.ui.row_labels import state_label

HEADER = ("Row", "Client code", "Mobile", "Name", "Check", "Check detail", "Result", "Detail")


def export_results(model: RecipientsModel, path: Path) -> int:
    """Write every row in the user's order; returns the number of rows written.

    UTF-8 with a byte-order mark: without it Excel on Windows misreads names with accents.
    Formula-like cells are prefixed with ' so a name such as "=cmd" cannot run in Excel.
    """
    checked = model.checked() if model.is_checked else None
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for row in range(model.recipient_count):
            recipient = model.recipient(row)
            check = state_label(checked[row] if checked is not None else None)
            result = model.result(row)
            writer.writerow(
                [
                    row + 1,
                    _safe(recipient.client_code or ""),
                    _safe(recipient.mobile or ""),
                    _safe(recipient.name),
                    check.text,
                    check.detail,
                    result.text if result else "",
                    result.detail if result else "",
                ]
            )
    return model.recipient_count


def _safe(cell: str) -> str:
    # A leading + is a phone number's, not a formula's: keep "+61 491 570 006" readable.
    if cell[:1] in ("=", "-", "@") or (cell[:1] == "+" and not cell[1:2].isdigit()):
        return "'" + cell
    return cell
