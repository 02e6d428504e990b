"""The view's side of the recipients grid: sorting through the model's bulk sort, and the
"rows that need a look" filter."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from vtsms_gui.ui.common import label_roles

RAW_ROLE = label_roles.RAW_ROLE
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_COLUMN = 0


class RecipientsProxy(QSortFilterProxyModel):
    """Sorts through the model's own bulk sort; filters to "rows that need a look" on demand."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(RAW_ROLE)
        self.setFilterRole(PROBLEM_ROLE)
        self.setFilterKeyColumn(STATE_COLUMN)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)  # the model's own bulk sort

    def set_problems_only(self, only: bool) -> None:
        self.setFilterFixedString("problem" if only else "")
