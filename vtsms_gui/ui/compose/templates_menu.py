"""Message › templates: save the message as a template, insert one (from the menu or the
button next to the message), and the Manage templates dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import Qt  # QtCore's Qt plus convertFromPlainText
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from vtsms_gui.storage.templates import Template, TemplateProblem, TemplateStore
from vtsms_gui.ui.common.feedback import feedback
from vtsms_gui.ui.compose.message_panel import MessagePanel
from vtsms_gui.ui.compose.templates_dialog import TemplatesDialog


class TemplatesMenu(QObject):
    """Fills the insert menus when they open (the file may have changed meanwhile)."""

    def __init__(
        self,
        store: TemplateStore,
        message: MessagePanel,
        show_status: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.store = store
        self._message = message
        self._show_status = show_status

    def attach(self, menu: QMenu) -> None:
        menu.aboutToShow.connect(lambda: self.fill(menu))

    def save(self) -> None:
        text = self._message.text()
        if not text.strip():
            self._show_status("Write a message first, then save it as a template.", 5000)
            return
        name, ok = QInputDialog.getText(self._parent, "Save as template", "Template name:")
        name = name.strip()
        if not ok or not name:
            return
        try:
            existing = {t.name.casefold() for t in self.store.load()}
            if name.casefold() in existing and not feedback().ask(
                self._parent,
                "Save as template",
                f"Replace the template “{name}”?",
                yes="Yes",
                no="No",
            ):
                return
            self.store.put(Template(name, text))
        except TemplateProblem as problem:
            feedback().tell(self._parent, "Templates", str(problem))
            return
        self._show_status(f"Saved the template “{name}”.", 5000)

    def fill(self, menu: QMenu) -> None:
        menu.clear()
        try:
            templates = self.store.load()
        except TemplateProblem as problem:
            menu.addAction(str(problem)).setEnabled(False)
            return
        if not templates:
            menu.addAction("No templates yet").setEnabled(False)
        for template in templates:
            action = menu.addAction(template.name)
            action.setToolTip(Qt.convertFromPlainText(template.text[:200]))
            action.triggered.connect(lambda _=False, t=template: self._message.insert_text(t.text))

    def manage(self) -> None:
        dialog = TemplatesDialog(self.store, self._parent)
        if dialog.exec() == TemplatesDialog.DialogCode.Accepted and dialog.chosen is not None:
            self._message.insert_text(dialog.chosen.text)
