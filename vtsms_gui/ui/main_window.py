"""The main window itself: title, size and place (remembered), its menu bar and status bar,
and the workspace inside it.

`deferred=True` (what `vtsms-gui` uses) paints the empty window first and builds the workspace
right after: the window is on screen as fast as a bare Qt window, and the SMS rules, phone
number data and widgets load while the user's eyes find it. This module stays light for that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from vtsms_gui.ui.common.settings import AppSettings

if TYPE_CHECKING:
    from vtsms_gui.core.sending import RecorderHook
    from vtsms_gui.storage.templates import TemplateStore
    from vtsms_gui.ui.connection.connection import Connection
    from vtsms_gui.ui.workspace import Workspace

DEFAULT_SIZE = QSize(1180, 720)


class MainWindow(QMainWindow):
    """`ui` is the Workspace (grid, editor, menus, sending) once built; `ready` says so."""

    ready = Signal()
    # Class-level defaults: Qt sends events while __init__ is still running.
    _deferred = False
    _ui: Workspace | None = None
    _restyling = False

    def __init__(
        self,
        connection: Connection,
        settings: AppSettings,
        *,
        templates: TemplateStore | None = None,
        recorder_hook: RecorderHook | None = None,
        deferred: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("vtsms-gui · SMS to students")
        self.setObjectName("mainWindow")
        self.connection = connection
        self.settings = settings
        self._templates = templates
        self._recorder_hook = recorder_hook
        self._deferred = deferred
        self._ui: Workspace | None = None
        self._restyling = False
        geometry = settings.layout("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)
        if not deferred:
            self.build()

    @property
    def ui(self) -> Workspace:
        if self._ui is None:
            raise RuntimeError("The window's workspace is not built yet (wait for `ready`).")
        return self._ui

    @property
    def is_ready(self) -> bool:
        return self._ui is not None

    def build(self) -> Workspace:
        """Create the menus, the status bar and the workspace (once); `ready` is emitted when
        they are there."""
        if self._ui is None:
            # Imported here, not at the top: this is the heavy part the first paint skips.
            from vtsms_gui.ui.main_menu import MainMenu
            from vtsms_gui.ui.status_bar import StatusBar
            from vtsms_gui.ui.workspace import Workspace

            menu = MainMenu(self.menuBar(), self)
            status = StatusBar(self.statusBar(), self.settings, parent=self)
            self._ui = Workspace(
                self,
                self.connection,
                self.settings,
                menu=menu,
                status=status,
                templates=self._templates,
                recorder_hook=self._recorder_hook,
            )
            self.setCentralWidget(self._ui)
            # Again, now that the workspace's minimum size is known (a small screen may have
            # clamped the first try); the splitter inside is restored against this size.
            geometry = self.settings.layout("geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)
            self._ui.restore_layout()
            self.ready.emit()
        return self._ui

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if self._deferred and self._ui is None and event.type() == QEvent.Type.Paint:
            self._deferred = False
            QTimer.singleShot(0, self.build)  # after this paint reached the screen
        return handled

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._ui is not None and not self._ui.may_close():
            event.ignore()
            return
        self.settings.set_layout("geometry", self.saveGeometry())
        self.settings.sync()
        if self._ui is not None:
            self._ui.history.close()
        self.connection.close()
        event.accept()

    def changeEvent(self, event: QEvent) -> None:
        # Qt's word that the palette or style changed, passed on to the one theme signal that
        # widgets and models follow. Children's style sheets change their own palettes, never
        # this window's: no loop, but a restyle that somehow comes back is not followed.
        themed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange)
        if themed and self._ui is not None and not self._restyling:
            from vtsms_gui.ui.common import theme  # with the workspace, after the first paint

            self._restyling = True
            try:
                theme.palette_changed()
            finally:
                self._restyling = False
        super().changeEvent(event)
