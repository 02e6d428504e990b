"""Uncaught exceptions: a dialog with a report the user can copy to whoever supports them.

The report holds the traceback and versions only; the password and tokens of this session are
masked wherever they appear, anything else that looks like one too, and local variables are
never included.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable, Iterable
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

MASK = "********"

# The fallbacks, for secrets this session never held: a token or password element's text, and
# `password=…` / `'token': …` with a quoted value (escaped quotes and spaces included) or a bare
# word.
_SECRET_ELEMENT = re.compile(
    r"(<(?:[\w.-]+:)?(?:token|Token|sPassword)(?:\s[^>]*)?>)[^<]*(</)", re.IGNORECASE
)
_SECRET_ASSIGNMENT = re.compile(
    r"""((?:password|passwd|token|secret)\w*['"]?\s*[=:]\s*)"""
    r"""(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|[^\s,;)\]}]+)""",
    re.IGNORECASE,
)

SecretSource = Callable[[], Iterable[str]]


def build_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    secrets: Iterable[str] = (),
) -> str:
    """The report for `exc`, with each of `secrets` masked however it is spelt in the text."""
    # Only when something went wrong: keeps them (and lxml) off the start-up path.
    import platform

    from vtsms_gui.api.soap_log import redact

    text = "".join(traceback.format_exception(exc_type, exc, tb))
    forms = {form for secret in secrets if secret for form in _spellings(secret)}
    # Longest first: a secret that contains another is masked whole, not around the other.
    longest_first: list[str] = sorted(forms, key=len, reverse=True)
    text = redact(text, longest_first)
    text = _SECRET_ELEMENT.sub(rf"\1{MASK}\2", text)
    text = _SECRET_ASSIGNMENT.sub(rf"\1{MASK}", text)
    header = (
        f"vtsms-gui {__version__} · Python {platform.python_version()} · "
        f"PySide6 {pyside_version} · {platform.platform()}"
    )
    return f"{header}\n\n{text}"


def _spellings(secret: str) -> set[str]:
    # As typed, inside a repr() (\\' for a quote) and inside JSON; redact() adds the XML forms.
    return {secret, repr(secret)[1:-1], json.dumps(secret)[1:-1]}


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


def install_excepthook(secrets: SecretSource = tuple, *, dialog: bool = True) -> ExceptHook:
    """Show uncaught exceptions in a CrashDialog (and still print them); returns the old hook.

    `secrets()` gives the passwords and tokens to mask (the connection's). With `dialog=False`
    (the smoke test) the report is printed and the event loop ends with exit code 1: nobody
    is there to close a dialog.
    """
    previous = sys.excepthook
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        report = build_report(exc_type, exc, tb, _known(secrets))
        print(report, file=sys.stderr)
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if not dialog:
            QApplication.exit(1)
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


def _known(secrets: SecretSource) -> tuple[str, ...]:
    try:
        return tuple(secrets())
    except Exception:  # noqa: BLE001 - the report must still be made; the patterns still mask
        return ()
