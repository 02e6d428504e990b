"""Windows that fit the screen they open on: a dialog or window sized for a large monitor
(the History window asks for 1160x720) shrinks to the screen's available area on a laptop at
1024x600 or 1366x768 with 150 % scaling, and is moved so that its title bar and buttons are
on the screen. Installed once on the application (`install`), so every dialog gets it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

# A window frame and title bar take about this much around a window's client area.
_FRAME = QSize(16, 40)
# Windows and dialogs; not menus, tool tips or a combo box's list.
_WINDOWS = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)


def available_area(widget: QWidget) -> QRect:
    """The part of the widget's screen that windows may use (without the task bar)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(widget: QWidget) -> None:
    """Shrink `widget` (a top-level window) to the available area, and move it inside it."""
    area = available_area(widget)
    room = QSize(max(area.width() - _FRAME.width(), 200), max(area.height() - _FRAME.height(), 150))
    size = widget.size().boundedTo(room)
    if size != widget.size():
        widget.resize(size.expandedTo(widget.minimumSize()))
    if not widget.testAttribute(Qt.WidgetAttribute.WA_Moved):
        # Not placed yet: a dialog centres itself over its window right after this (inside
        # the screen), the window manager places a window. Moving it here would pin it to
        # the screen's top-left corner.
        return
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.x()), max(y, area.y()))


class _FitOnShow(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.windowType() in _WINDOWS
        ):
            fit_to_screen(watched)
        return False


_installed: dict[str, _FitOnShow] = {}  # the one filter, while installed


def install(app: QApplication) -> None:
    """Fit every window the app shows from now on (once per application)."""
    if "filter" not in _installed:
        _installed["filter"] = _FitOnShow(app)
        app.installEventFilter(_installed["filter"])


def uninstall(app: QApplication) -> None:
    """Stop fitting windows (for tests that install it on a shared application)."""
    installed = _installed.pop("filter", None)
    if installed is not None:
        app.removeEventFilter(installed)
        installed.deleteLater()
