"""The main window's menus: the actions, their names, shortcuts and icons, and which of them
may be used now. What an action does is wired by the workspace, which owns the parts they act
on; this module knows none of them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from vtsms_gui.ui.common import icons

SEND_SHORTCUTS = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"))


@dataclass(frozen=True)
class MenuState:
    """What the window is doing, as far as the menus care."""

    busy: bool  # a send, a plan being built or a long paste being read holds the list still
    signed_in: bool
    has_invalid: bool
    has_duplicates: bool
    has_non_gsm: bool
    has_rows: bool


class MainMenu(QObject):
    """File, Edit, Message, Tools and Help in `bar`; the templates button's menu for `owner`."""

    def __init__(self, bar: QMenuBar, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        file_menu = bar.addMenu("&File")
        self.sign_in_action = self._action(file_menu, "&Sign in…")
        self.sign_out_action = self._action(file_menu, "Sign &out")
        self.demo_action = self._action(file_menu, "Try the &demo")
        file_menu.addSeparator()
        self.import_action = self._action(
            file_menu, "&Import recipients…", QKeySequence.StandardKey.Open, "import"
        )
        self.export_action = self._action(file_menu, "&Export results…", "Ctrl+Shift+E", "export")
        self.history_action = self._action(file_menu, "&History…", "Ctrl+H", "history")
        self.history_action.setToolTip("Past sends: outcomes, export, and resending failures")
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit)

        # Edit actions carry no Ctrl+V / Delete shortcut: those keys belong to the focused
        # widget (the grid adds rows, the message editor pastes text).
        edit_menu = bar.addMenu("&Edit")
        self.paste_action = self._action(edit_menu, "&Paste recipients")
        self.delete_action = self._action(edit_menu, "&Remove selected rows", icon="remove")
        edit_menu.addSeparator()
        self.remove_invalid_action = self._action(edit_menu, "Remove &invalid rows")
        self.remove_duplicates_action = self._action(edit_menu, "Remove &duplicates")
        self.clear_action = self._action(edit_menu, "&Clear the list…")

        message_menu = bar.addMenu("&Message")
        self.replace_action = self._action(message_menu, "&Replace with plain characters")
        message_menu.addSeparator()
        self.save_template_action = self._action(
            message_menu, "&Save as template…", icon="template"
        )
        self.insert_template_menu = message_menu.addMenu("&Insert template")
        self.manage_templates_action = self._action(message_menu, "&Manage templates…")
        message_menu.addSeparator()
        self.send_action = self._action(message_menu, "Se&nd…", icon="send")
        self.send_action.setShortcuts(list(SEND_SHORTCUTS))
        self.send_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        # The same template actions again, for the button next to the message.
        self.templates_button_menu = QMenu(owner)
        self.templates_button_menu.addAction(self.save_template_action)
        self.templates_insert_menu = self.templates_button_menu.addMenu("Insert template")
        self.templates_button_menu.addAction(self.manage_templates_action)

        tools_menu = bar.addMenu("&Tools")
        self.refresh_action = self._action(tools_menu, "&Refresh balance", "F5")
        self.soap_log_action = self._action(tools_menu, "&SOAP log…", icon="log")
        tools_menu.addSeparator()
        self.settings_action = self._action(tools_menu, "Se&ttings…")

        help_menu = bar.addMenu("&Help")
        self.diagnostics_action = self._action(help_menu, "Copy &diagnostics")
        self.diagnostics_action.setToolTip(
            "Put the versions, the network situation and the last errors on the clipboard, "
            "to paste into a message to support (no passwords, numbers or messages)"
        )
        self.about_action = self._action(help_menu, "&About vtsms-gui")

    def _action(
        self,
        menu: QMenu,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: str | None = None,
    ) -> QAction:
        # Owned by the workspace (as before the split), so their shortcuts work in its window.
        action = QAction(text, self._owner)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            action.setIcon(icons.themed_icon(icon))
        menu.addAction(action)
        return action

    def update(self, state: MenuState) -> None:
        """Enable what may be used now: nothing that changes the list or the message while it
        is held still."""
        free = not state.busy
        for action in (
            self.import_action,
            self.paste_action,
            self.delete_action,
            self.clear_action,
            self.send_action,
            self.sign_in_action,
            self.demo_action,
            self.save_template_action,
            self.manage_templates_action,
        ):
            action.setEnabled(free)
        self.remove_invalid_action.setEnabled(free and state.has_invalid)
        self.remove_duplicates_action.setEnabled(free and state.has_duplicates)
        self.replace_action.setEnabled(free and state.has_non_gsm)
        self.sign_out_action.setEnabled(state.signed_in and free)
        self.insert_template_menu.setEnabled(free)
        self.export_action.setEnabled(state.has_rows)
