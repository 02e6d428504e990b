"""The recipients side of the window: the grid (typing, Delete, Ctrl+V, dropped files), the
list actions, the summary line, and importing from a file or the clipboard."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.domain.column_mapping import ColumnMapping, detect_mapping
from vtsms_gui.domain.recipients import Recipient, recipients_from_table
from vtsms_gui.domain.tables import ImportProblem, Table, list_sheets, read_table, table_from_text
from vtsms_gui.ui.common import icons, theme, wording
from vtsms_gui.ui.common.feedback import feedback
from vtsms_gui.ui.common.flow_layout import FlowLayout
from vtsms_gui.ui.common.workers import run_task
from vtsms_gui.ui.recipients.import_dialog import ColumnMappingDialog
from vtsms_gui.ui.recipients.leading_zero_banner import LeadingZeroBanner
from vtsms_gui.ui.recipients.recipients_model import Column, RecipientsModel, RecipientsProxy
from vtsms_gui.ui.recipients.row_detail import RowDetail

FILE_FILTER = "Spreadsheets and text (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)"
COLUMN_WIDTHS = {
    Column.STATE: 104,
    Column.CLIENT_CODE: 86,
    Column.MOBILE: 126,
    Column.NAME: 150,
}


PASTE_IN_WORKER_ABOVE = 2_000
"""Pastes of more lines than this are read in a worker: reading takes about 3 µs a row
(0.3 s for 100,000), far longer than the window may stop answering."""

EMPTY_HINT = (
    "No recipients yet.\n\nType a client code or mobile number in the first row,\n"
    "paste rows copied from Excel (Ctrl+V), or import or drop a CSV or Excel file."
)


class RecipientsView(QTableView):
    """A table view for 100,000 rows: fixed row heights, no per-row widgets, files dropped in."""

    paste_requested = Signal()
    delete_requested = Signal()
    files_dropped = Signal(list)  # list[str]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recipientsGrid")
        self.setAccessibleName("Recipients")
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        # Tab leaves the grid (the arrow keys move between cells; while a cell is being typed
        # in, Tab still moves on to the next one). Qt's default cycled Tab through the cells
        # for ever: a keyboard user could never reach the message or Send.
        self.setTabKeyNavigation(False)
        vertical = self.verticalHeader()
        # Fixed heights: Qt never measures 100,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        horizontal = self.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setStretchLastSection(True)  # the result takes what is left
        horizontal.setMinimumSectionSize(60)
        horizontal.setSortIndicatorShown(True)
        horizontal.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def set_column_widths(self) -> None:
        for column, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(column, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() <= 1:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(20, 60, -20, -20),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                EMPTY_HINT,
            )
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_requested.emit()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
                self.delete_requested.emit()
                return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            event.ignore()


def _local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[str]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class RecipientsPanel(QWidget):
    """The grid and its actions; `message` carries short notes for the status bar.

    `reading` is True while a long paste is read in a worker: the grid is locked meanwhile,
    and `reading_changed` says when that starts and ends.
    """

    message = Signal(str)
    reading_changed = Signal()

    def __init__(
        self,
        model: RecipientsModel,
        *,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        theme.on_theme_change(self.refresh_colours)  # light/dark or style switched: recolour
        self.model = model
        self._pool = pool or QThreadPool.globalInstance()
        self.reading = False
        self.proxy = RecipientsProxy(self)
        self.proxy.setSourceModel(model)
        self.view = RecipientsView(self)
        self.view.setModel(self.proxy)
        self.view.set_column_widths()

        self.import_button = QPushButton(icons.themed_icon("import"), "&Import…", self)
        self.import_button.setToolTip("Add recipients from an Excel or CSV file (Ctrl+O)")
        self.paste_button = QPushButton("Paste", self)
        self.paste_button.setToolTip("Add rows copied from Excel (Ctrl+V in the list)")
        self.remove_invalid_button = QPushButton("Remove invalid", self)
        self.remove_duplicates_button = QPushButton("Remove duplicates", self)
        self.problems_only = QCheckBox("Only rows to check", self)
        self.problems_only.setToolTip("Show only invalid rows, duplicates and warnings")
        theme.show_indicator_frames((self.problems_only,))
        self.summary = QLabel(self)
        self.summary.setObjectName("recipientSummary")
        self.summary.setAccessibleName("Recipients summary")
        self.summary.setWordWrap(True)  # a narrow window wraps it rather than growing

        # Wraps onto a second line on a narrow window rather than widening it past the screen.
        actions = FlowLayout()
        for button in (
            self.import_button,
            self.paste_button,
            self.remove_invalid_button,
            self.remove_duplicates_button,
        ):
            actions.addWidget(button)
        self._actions = actions
        self.leading_zeros = LeadingZeroBanner(model, self)
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.problems_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(actions)
        layout.addWidget(self.leading_zeros)
        layout.addWidget(self.view, 1)
        self.row_detail = RowDetail(self.view, self)  # the current row's reason and result
        layout.addWidget(self.row_detail)
        layout.addLayout(footer)
        # Tab in the order things are seen: the actions, the strip's button, the grid, the
        # filter (the grid was made first, so Qt's order would start with it).
        self._last_action: QWidget = self.remove_duplicates_button
        for first, second in itertools.pairwise(
            (
                self.import_button,
                self.paste_button,
                self.remove_invalid_button,
                self.remove_duplicates_button,
                self.leading_zeros.pad_button,
                self.leading_zeros.close_button,
                self.view,
                self.problems_only,
            )
        ):
            QWidget.setTabOrder(first, second)

        self.import_button.clicked.connect(self.choose_file)
        self.paste_button.clicked.connect(self.paste)
        self.remove_invalid_button.clicked.connect(self.remove_invalid)
        self.remove_duplicates_button.clicked.connect(self.remove_duplicates)
        self.problems_only.toggled.connect(self.proxy.set_problems_only)
        self.view.paste_requested.connect(self.paste)
        self.view.delete_requested.connect(self.delete_selected)
        self.view.files_dropped.connect(self._files_dropped)
        model.checked_changed.connect(self._refresh_summary)
        model.rows_changed.connect(self._refresh_summary)
        self._refresh_summary()

    # --- list actions ---

    def add_action(self, button: QPushButton) -> None:
        """Another button at the end of the row of list actions (the demo's practice list)."""
        self._actions.addWidget(button)
        QWidget.setTabOrder(self._last_action, button)
        self._last_action = button

    def set_locked(self, locked: bool) -> None:
        self.model.set_locked(locked)
        for widget in (
            self.import_button,
            self.paste_button,
            self.remove_invalid_button,
            self.remove_duplicates_button,
        ):
            widget.setEnabled(not locked)
        self.view.setAcceptDrops(not locked)
        # Not setSortingEnabled: turning it back on re-sorts the whole list at once.
        self.view.horizontalHeader().setSectionsClickable(not locked)

    def refresh_colours(self) -> None:
        self.import_button.setIcon(icons.themed_icon("import"))
        theme.show_indicator_frames((self.problems_only,))

    def delete_selected(self) -> None:
        if self.model.locked:
            return
        selection = self.view.selectionModel()
        rows = {self.proxy.mapToSource(i).row() for i in selection.selectedIndexes()}
        removed = self.model.remove_view_rows(rows)
        if removed:
            self.message.emit(f"Removed {wording.count(removed, 'row')}.")

    def remove_invalid(self) -> None:
        removed = self.model.remove_invalid()
        self.message.emit(f"Removed {wording.count(removed, 'invalid row')}.")

    def remove_duplicates(self) -> None:
        removed = self.model.remove_duplicates()
        self.message.emit(f"Removed {wording.count(removed, 'duplicate')}.")

    # --- paste ---

    def paste(self) -> None:
        if self.model.locked:
            return
        text = QGuiApplication.clipboard().text()
        if text.count("\n") <= PASTE_IN_WORKER_ABOVE:
            self._pasted(read_paste(text))
            return
        self._set_reading(True)
        self.message.emit("Reading the pasted rows…")
        run_task(self._pool, lambda: read_paste(text), self._paste_read, self._paste_failed)

    def _paste_read(self, pasted: Pasted) -> None:
        self._set_reading(False)
        self._pasted(pasted)

    def _paste_failed(self, error: BaseException) -> None:
        self._set_reading(False)
        self._import_failed(error)

    def _set_reading(self, reading: bool) -> None:
        self.reading = reading
        self.set_locked(reading)
        self.reading_changed.emit()

    def _pasted(self, pasted: Pasted) -> None:
        if not pasted.table.rows:
            self.message.emit("The clipboard holds no rows to add.")
        elif pasted.recipients is None:
            self._ask_mapping(pasted.table, pasted.mapping, sheets=[], path=None)
        else:
            self._add(pasted.recipients, pasted.table, replace=False)

    # --- import ---

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import recipients", "", FILE_FILTER)
        if path:
            self.import_file(path)

    def import_file(self, path: str, sheet: str | None = None) -> None:
        """Read the file in a worker, then show the column-mapping dialog."""
        self.message.emit(f"Reading {Path(path).name}…")

        def read() -> tuple[Table, list[str]]:
            return read_table(path, sheet), list_sheets(path)

        def loaded(result: tuple[Table, list[str]]) -> None:
            table, sheets = result
            self._ask_mapping(table, detect_mapping(table), sheets=sheets, path=path)

        run_task(self._pool, read, loaded, self._import_failed)

    def _files_dropped(self, files: list[str]) -> None:
        if self.model.locked:
            return
        if len(files) > 1:
            self.message.emit("Drop one file at a time; importing the first.")
        self.import_file(files[0])

    def _ask_mapping(
        self, table: Table, mapping: ColumnMapping, *, sheets: list[str], path: str | None
    ) -> None:
        def load_sheet(name: str) -> None:
            assert path is not None
            self._reload_sheet(dialog, path, name)

        dialog = ColumnMappingDialog(
            table,
            mapping,
            sheets=sheets,
            sheet=sheets[0] if sheets else None,  # read_table reads the first sheet
            load_sheet=load_sheet if path is not None else None,
            can_add=self.model.recipient_count > 0,
            parent=self,
        )
        if _exec(dialog) != ColumnMappingDialog.DialogCode.Accepted:
            self.message.emit("Import cancelled.")
            return
        chosen, chosen_table, replace = dialog.mapping(), dialog.table, dialog.replaces_list
        self.message.emit("Adding the rows…")
        run_task(
            self._pool,
            lambda: recipients_from_table(chosen_table, chosen),
            lambda recipients: self._add(recipients, chosen_table, replace=replace),
            self._import_failed,
        )

    def _reload_sheet(self, dialog: ColumnMappingDialog, path: str, name: str) -> None:
        def loaded(table: Table) -> None:
            dialog.set_table(table, detect_mapping(table))

        def failed(error: BaseException) -> None:
            dialog.set_problem(str(error))

        run_task(self._pool, lambda: read_table(path, name), loaded, failed)

    def _add(self, recipients: list[Recipient], table: Table, *, replace: bool) -> None:
        if self.model.locked:
            self.message.emit("The list is locked while sending; nothing was added.")
            return
        if replace:
            self.model.replace_recipients(recipients)
        else:
            self.model.append_recipients(recipients)
        count = len(recipients)
        self.message.emit(f"Added {wording.count(count, 'recipient')} from {table.source}.")

    def _import_failed(self, error: BaseException) -> None:
        if isinstance(error, (ImportProblem, OSError)):
            if isinstance(error, ImportProblem):
                text = str(error)
            else:
                reason = wording.sentence(error.strerror or str(error))
                text = f"The file could not be opened: {reason}"
            self.message.emit("Import failed.")
            show_import_problem(self, text)
            return
        raise error

    def _refresh_summary(self) -> None:
        summary = self.model.summary
        if summary is None:
            count = self.model.recipient_count
            self.summary.setText(f"Checking {wording.count(count, 'recipient')}…")
        elif summary.total == 0:
            self.summary.setText("No recipients yet")
        else:
            self.summary.setText(str(summary))
        has_invalid = bool(summary and summary.invalid)
        has_duplicates = bool(summary and summary.duplicates)
        locked = self.model.locked
        self.remove_invalid_button.setEnabled(has_invalid and not locked)
        self.remove_duplicates_button.setEnabled(has_duplicates and not locked)


@dataclass(frozen=True)
class Pasted:
    """Pasted text read into rows; `recipients` is None when the columns need the user's say."""

    table: Table
    mapping: ColumnMapping
    recipients: list[Recipient] | None


def read_paste(text: str) -> Pasted:
    """Reads pasted text (no Qt: runs in a worker for long pastes)."""
    table = table_from_text(text)
    mapping = detect_mapping(table)
    if not table.rows or (mapping.mobile is None and mapping.client_code is None):
        return Pasted(table, mapping, None)
    return Pasted(table, mapping, recipients_from_table(table, mapping))


def _exec(dialog: ColumnMappingDialog) -> int:
    """Runs the mapping dialog (tests patch this to answer without a user)."""
    return dialog.exec()


def show_import_problem(parent: QWidget, text: str) -> None:
    feedback().tell(parent, "Cannot import", text)
