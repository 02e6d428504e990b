"""The column-mapping dialog of an import: a preview of the first rows, the sheet to read, and
which columns hold the client code, the mobile and the name (as the core detected them)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.domain.column_mapping import ColumnMapping, header_names
from vtsms_gui.domain.tables import Table
from vtsms_gui.ui.common import theme, wording

PREVIEW_ROWS = 8
NONE = -1


class PreviewModel(QAbstractTableModel):
    """The first rows of a table, with the role of each mapped column in its header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[Sequence[str]] = ()
        self._headers: list[str] = []
        self._roles: dict[int, str] = {}

    def show(self, table: Table, mapping: ColumnMapping) -> None:
        self.beginResetModel()
        names = header_names(table, mapping)
        body = table.rows[1:] if mapping.has_header else table.rows
        self._rows = body[:PREVIEW_ROWS]
        self._headers = names
        self._roles = {}
        if mapping.client_code is not None:
            self._roles[mapping.client_code] = "client code"
        if mapping.mobile is not None:
            self._roles[mapping.mobile] = "mobile"
        for number, index in enumerate(mapping.name):
            self._roles[index] = "name" if len(mapping.name) == 1 or number == 0 else "last name"
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            row = self._rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.FontRole and index.column() in self._roles:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        name = self._headers[section]
        role_name = self._roles.get(section)
        return f"{name}\n→ {role_name}" if role_name else name


class ColumnMappingDialog(QDialog):
    """Lets the user confirm or change the detected columns before the rows are added."""

    def __init__(
        self,
        table: Table,
        mapping: ColumnMapping,
        *,
        sheets: Sequence[str] = (),
        sheet: str | None = None,
        load_sheet: Callable[[str], None] | None = None,
        can_add: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """`load_sheet(name)` is called when the user picks another sheet; it answers later
        with `set_table`. `can_add`: the list is not empty, so offer "add" next to "replace"."""
        super().__init__(parent)
        self.setWindowTitle("Import recipients")
        self.setObjectName("columnMappingDialog")
        self._table = table
        self._load_sheet = load_sheet

        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.sheet = QComboBox(self)
        self.sheet.setAccessibleName("Sheet")
        self.sheet.addItems(list(sheets))
        if sheet is not None:
            self.sheet.setCurrentText(sheet)
        self.has_header = QCheckBox("The first row holds column names", self)
        self.client_code = self._column_combo("Client code column")
        self.mobile = self._column_combo("Mobile column")
        self.name = self._column_combo("Name column")
        self.last_name = self._column_combo("Last name column")
        self.preview = QTableView(self)
        self.preview.setObjectName("importPreview")
        self.preview.setAccessibleName("Preview of the first rows")
        self.preview_model = PreviewModel(self)
        self.preview.setModel(self.preview_model)
        self.preview.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents  # a few rows only: fitting them is cheap
        )
        self.preview.setMinimumHeight(220)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.replace = QRadioButton("Replace the current list", self)
        self.add = QRadioButton("Add to the current list", self)
        self.add.setChecked(True)
        theme.show_indicator_frames((self.has_header, self.replace, self.add))
        self.replace.setVisible(can_add)
        self.add.setVisible(can_add)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText("&Import")
        self.ok = ok

        form = QFormLayout()
        sheet_label = QLabel("&Sheet:", self)
        sheet_label.setBuddy(self.sheet)
        form.addRow(sheet_label, self.sheet)
        sheet_label.setVisible(len(sheets) > 1)
        self.sheet.setVisible(len(sheets) > 1)
        form.addRow("", self.has_header)
        for text, combo in (
            ("&Client code:", self.client_code),
            ("&Mobile:", self.mobile),
            ("&Name:", self.name),
            ("&Last name:", self.last_name),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            form.addRow(label, combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.replace)
        layout.addWidget(self.add)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.sheet.currentTextChanged.connect(self._sheet_changed)
        self.has_header.toggled.connect(self._header_toggled)
        for combo in (self.client_code, self.mobile, self.name, self.last_name):
            combo.currentIndexChanged.connect(self._refresh)
        self.set_table(table, mapping)
        self.resize(720, 520)

    def _column_combo(self, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    # --- values ---

    @property
    def table(self) -> Table:
        return self._table

    def mapping(self) -> ColumnMapping:
        names = tuple(i for i in (self._chosen(self.name), self._chosen(self.last_name)) if i >= 0)
        code, mobile = self._chosen(self.client_code), self._chosen(self.mobile)
        return ColumnMapping(
            client_code=code if code >= 0 else None,
            mobile=mobile if mobile >= 0 else None,
            name=names,
            has_header=self.has_header.isChecked(),
        )

    @property
    def replaces_list(self) -> bool:
        return self.replace.isVisible() and self.replace.isChecked()

    def set_table(self, table: Table, mapping: ColumnMapping) -> None:
        """Show a (new) table with the mapping detected for it."""
        self._table = table
        self.sheet.setEnabled(True)
        rows = len(table.rows) - (1 if mapping.has_header else 0)
        self.source.setText(f"<b>{html.escape(table.source)}</b> · {wording.count(rows, 'row')}")
        with _quiet(self.has_header):
            self.has_header.setChecked(mapping.has_header)
        self._fill_combos(mapping)

    def set_problem(self, message: str) -> None:
        self.sheet.setEnabled(True)
        self.problem.setText(message)

    # --- reacting ---

    def _fill_combos(self, mapping: ColumnMapping) -> None:
        names = header_names(self._table, mapping)
        chosen = {
            self.client_code: mapping.client_code,
            self.mobile: mapping.mobile,
            self.name: mapping.name[0] if mapping.name else None,
            self.last_name: mapping.name[1] if len(mapping.name) > 1 else None,
        }
        for combo, index in chosen.items():
            with _quiet(combo):
                combo.clear()
                combo.addItem("(none)", NONE)
                for number, name in enumerate(names):
                    combo.addItem(name, number)
                combo.setCurrentIndex(0 if index is None else index + 1)
        self._refresh()

    def _chosen(self, combo: QComboBox) -> int:
        value = combo.currentData()
        return int(value) if value is not None else NONE

    def _header_toggled(self) -> None:
        current = self.mapping()
        self._fill_combos(current)

    def _sheet_changed(self, name: str) -> None:
        if self._load_sheet is not None and name:
            self.sheet.setEnabled(False)
            self.problem.setText(f"Reading the sheet “{name}”…")
            self._load_sheet(name)

    def _refresh(self) -> None:
        mapping = self.mapping()
        self.preview_model.show(self._table, mapping)
        if mapping.client_code is None and mapping.mobile is None:
            self.problem.setText("Choose the column with the mobile numbers or the client codes.")
            self.ok.setEnabled(False)
        else:
            self.problem.setText("")
            self.ok.setEnabled(True)


class _quiet:
    """Blocks a widget's signals while it is filled in code (not by the user)."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget

    def __enter__(self) -> None:
        self._widget.blockSignals(True)

    def __exit__(self, *exc: object) -> None:
        self._widget.blockSignals(False)
