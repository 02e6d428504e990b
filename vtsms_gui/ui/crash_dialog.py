"""Uncaught exceptions: a dialog with a report the user can copy to whoever supports them.

The report holds the traceback and versions only; anything that looks like a password or
token in it is masked, and local variables are never included.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui import __version__

_SECRET_ELEMENT = re.compile(
    r"(<(?:[\w.-]+:)?(?:token|Token|sPassword)(?:\s[^>]*)?>)[^<]*(</)", re.IGNORECASE
)
_SECRET_ASSIGNMENT = re.compile(
    r"((?:password|passwd|token|secret)\w*\s*[=:]\s*)(['\"]?)[^\s'\",)]+\2", re.IGNORECASE
)
MASK = "********"


def build_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    import platform  # only when something went wrong: keeps it off the start-up path

    text = "".join(traceback.format_exception(exc_type, exc, tb))
    text = _SECRET_ELEMENT.sub(rf"\1{MASK}\2", text)
    text = _SECRET_ASSIGNMENT.sub(rf"\1{MASK}", text)
    header = (
        f"vtsms-gui {__version__} · Python {platform.python_version()} · "
        f"PySide6 {pyside_version} · {platform.platform()}"
    )
    return f"{header}\n\n{text}"


class CrashDialog(QDialog):
    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.setObjectName("crashDialog")
        intro = QLabel(
            "vtsms-gui ran into a problem it did not expect. Your message and list are still "
            "there. If it happens again, copy this report and send it to whoever supports "
            "vtsms-gui for you. It contains no password or login token.",
            self,
        )
        intro.setWordWrap(True)
        self.report = QPlainTextEdit(report, self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Error report")
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton("&Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook() -> ExceptHook:
    """Show uncaught exceptions in a CrashDialog (and still print them); returns the old hook."""
    previous = sys.excepthook
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        report = build_report(exc_type, exc, tb)
        print(report, file=sys.stderr)
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if showing or QApplication.instance() is None:
            return  # one dialog at a time; a crash inside the dialog must not loop
        showing = True
        try:
            CrashDialog(report, QApplication.activeWindow()).exec()
        finally:
            showing = False

    sys.excepthook = hook
    return previous
