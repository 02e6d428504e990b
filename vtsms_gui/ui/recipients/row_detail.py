"""The line under the recipients grid that says, for the row the cursor is on, why it is marked
as it is or, after a send, what became of it: the words of the Check and Result cells' tooltips,
for those who move through the grid with the keyboard (a tooltip needs a mouse) and for a
narrow window where the Result column is scrolled out of view.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from vtsms_gui.ui.recipients.recipients_columns import Column


def row_detail_text(model: QAbstractItemModel, row: int) -> str:
    """ "Row 2 (Jack Wilson): Excel may have removed a leading zero: …", the row's send result
    instead once it has one; "" for the row to type a new recipient into."""
    tip = Qt.ItemDataRole.ToolTipRole
    check = model.index(row, Column.STATE).data(tip)
    if not check:
        return ""  # the empty row at the end, or not checked yet
    number = model.headerData(row, Qt.Orientation.Vertical)
    name = model.index(row, Column.NAME).data() or ""
    result = model.index(row, Column.RESULT)
    said = result.data(tip) or result.data() or check  # what became of it, else its check
    return f"Row {number}" + (f" ({name})" if name else "") + f": {_sentence(said)}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


class RowDetail(QLabel):
    """Follows the view's current row and the model's changes; hidden without a current row."""

    def __init__(self, view: QAbstractItemView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rowDetail")
        self.setAccessibleName("Selected row")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # names and numbers as the user typed them
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._view = view
        self.hide()
        model = view.model()
        view.selectionModel().currentChanged.connect(self.refresh)
        for signal in (model.dataChanged, model.modelReset, model.layoutChanged, model.rowsRemoved):
            signal.connect(self.refresh)

    def refresh(self, *_changed: object) -> None:
        index = self._view.currentIndex()
        text = row_detail_text(self._view.model(), index.row()) if index.isValid() else ""
        if text != self.text():
            self.setText(text)
        self.setVisible(bool(text))
