"""The sign-in dialog's "Test connection": the api's step-by-step check (name lookup, TCP, TLS,
HTTP, WSDL, sign-in) run on the connection's worker, each step shown as it finishes, the
failing one with what to tell IT."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from vtsms_gui.ui.common.theme import Tone, tone_colour

if TYPE_CHECKING:
    from vtsms_gui.api.connection_report import CheckStep, ConnectionReport
    from vtsms_gui.ui.connection.connection import Connection

_MARKS = {"ok": ("✔", Tone.GOOD), "failed": ("✘", Tone.BAD), "skipped": ("–", Tone.INFO)}


def step_html(step: CheckStep) -> str:
    mark, tone = _MARKS.get(step.status.value, ("?", Tone.INFO))
    colour = tone_colour(tone).name()
    line = (
        f'<span style="color:{colour}">{mark}</span> <b>{html.escape(step.name)}</b>: '
        f"{html.escape(step.details)}"
    )
    if step.tell_it:
        line += f"<br>&nbsp;&nbsp;&nbsp;<i>Tell IT:</i> {html.escape(step.tell_it)}"
    return line


class ConnectionCheck(QObject):
    """Runs one check at a time; `step_done` and `finished` arrive on the GUI thread."""

    step_done = Signal(object)  # CheckStep
    finished = Signal(object)  # ConnectionReport
    failed = Signal(str)

    def __init__(self, connection: Connection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection = connection
        self.running = False

    def start(self, server: str, soap_version: str, username: str = "", password: str = "") -> None:
        self.running = True

        def work() -> ConnectionReport:
            from vtsms_gui.api.connection_check import check_connection

            # The sign-in's own way to the server: the organisation CA file, the proxy
            # setting and the proxy's password from the keyring, not the bare defaults.
            return check_connection(
                self._connection.client_config(server, soap_version),
                username=username or None,
                password=password or None,
                on_step=self.step_done.emit,
            )

        self._connection.run(work, self._finished, self._failed)

    def _finished(self, report: ConnectionReport) -> None:
        self.running = False
        self.finished.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.failed.emit(f"The check could not run ({type(error).__name__}).")


class CheckResults(QLabel):
    """The steps, one line each, readable by a screen reader as one text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionCheck")
        self.setAccessibleName("Connection test results")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._lines: list[str] = []
        self.hide()

    def begin(self) -> None:
        self._lines = ["Testing the connection…"]
        self._show()

    def add(self, step: CheckStep) -> None:
        if self._lines and self._lines[0].startswith("Testing"):
            self._lines = []
        self._lines.append(step_html(step))
        self._show()

    def end(self, report: ConnectionReport) -> None:
        self._lines = [step_html(step) for step in report.steps]
        summary = (
            "<b>Everything this computer needs to reach VETtrak works.</b>"
            if report.ok
            else "<b>The connection does not work yet: see the step marked ✘.</b>"
        )
        self._lines.insert(0, summary)
        self._show()

    def plain_text(self) -> str:
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(self.text())
        return document.toPlainText()

    def _show(self) -> None:
        self.setText("<br>".join(self._lines))
        self.setAccessibleDescription(self.plain_text())
        self.show()
