"""What a table cell showing a `RowLabel` (a check or a send result) answers for each Qt role:
the same word, icon, colour and tooltip in the recipients grid and in the history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from vtsms_gui.ui.common import icons
from vtsms_gui.ui.common.theme import tone_colour
from vtsms_gui.ui.recipients.row_labels import RowLabel

RAW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The value a column sorts by (a rank, a casefolded name, a number in E.164)."""


def label_data(label: RowLabel, role: int, raw: object) -> Any:
    """`raw` is what RAW_ROLE answers (the sort key); None for a role the label does not fill."""
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        return label.text
    if role == Qt.ItemDataRole.DecorationRole:
        return icons.icon(label.icon) if label.icon else None
    if role == Qt.ItemDataRole.ToolTipRole:
        return label.detail
    if role == Qt.ItemDataRole.ForegroundRole:
        return tone_colour(label.tone)
    if role == RAW_ROLE:
        return raw
    return None
