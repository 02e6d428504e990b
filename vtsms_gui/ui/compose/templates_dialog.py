"""Managing saved message templates: see, insert, rename and delete them."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.storage.templates import Template, TemplateProblem, TemplateStore
from vtsms_gui.ui.common.feedback import feedback


class TemplatesDialog(QDialog):
    """Accepted with `chosen` set when the user picks "Insert"."""

    def __init__(self, store: TemplateStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Message templates")
        self.setObjectName("templatesDialog")
        self._store = store
        self.chosen: Template | None = None
        self._templates: list[Template] = []

        self.list = QListWidget(self)
        self.list.setAccessibleName("Templates")
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Template text")
        self.empty = QLabel(
            "No templates yet. Write a message, then choose Message > Save as template.", self
        )
        self.empty.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.insert = buttons.addButton("&Insert", QDialogButtonBox.ButtonRole.AcceptRole)
        self.rename = buttons.addButton("&Rename…", QDialogButtonBox.ButtonRole.ActionRole)
        self.delete = buttons.addButton("&Delete", QDialogButtonBox.ButtonRole.DestructiveRole)

        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(self.preview, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

        self.list.currentRowChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _item: self._insert())
        self.insert.clicked.connect(self._insert)
        self.rename.clicked.connect(self._rename)
        self.delete.clicked.connect(self._delete)
        buttons.rejected.connect(self.reject)
        self._reload()
        self.resize(620, 360)

    def _reload(self, select: str | None = None) -> None:
        try:
            self._templates = self._store.load()
        except TemplateProblem as problem:
            feedback().tell(self, "Templates", str(problem))
            self._templates = []
        self.list.clear()
        self.list.addItems([t.name for t in self._templates])
        names = [t.name for t in self._templates]
        self.list.setCurrentRow(names.index(select) if select in names else 0)
        has_any = bool(self._templates)
        self.empty.setVisible(not has_any)
        for button in (self.insert, self.rename, self.delete):
            button.setEnabled(has_any)
        self._show(self.list.currentRow())

    def _current(self) -> Template | None:
        row = self.list.currentRow()
        return self._templates[row] if 0 <= row < len(self._templates) else None

    def _show(self, row: int) -> None:
        template = self._current()
        self.preview.setPlainText(template.text if template else "")

    def _insert(self) -> None:
        self.chosen = self._current()
        if self.chosen is not None:
            self.accept()

    def _rename(self) -> None:
        template = self._current()
        if template is None:
            return
        name, ok = QInputDialog.getText(self, "Rename template", "New name:", text=template.name)
        name = name.strip()
        if not ok or not name or name == template.name:
            return
        renamed = [Template(name, t.text) if t == template else t for t in self._templates]
        self._save(renamed, select=name)

    def _delete(self) -> None:
        template = self._current()
        if template is None:
            return
        if _ask_delete(self, template.name):
            self._save([t for t in self._templates if t != template])

    def _save(self, templates: list[Template], select: str | None = None) -> None:
        try:
            self._store.save(templates)
        except TemplateProblem as problem:
            feedback().tell(self, "Templates", str(problem))
        self._reload(select)


def _ask_delete(parent: QWidget, name: str) -> bool:
    # Escaped inside a paragraph: shown as rich text, a name like "<b>x</b>" is still shown as
    # typed, not as markup.
    return feedback().ask(
        parent, "Delete template", f"<p>Delete “{html.escape(name)}”?</p>", yes="Yes", no="No"
    )
