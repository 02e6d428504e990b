"""'Send a test to me': before a bulk send, the first row's own text to a number the user gives
(remembered in settings), sent in a worker through the core's test plan and recorded in the
history as a test."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QPushButton, QWidget

from vtsms_gui.domain.send_plan import build_plan
from vtsms_gui.ui.common.feedback import Kind, feedback
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.compose.compose_panel import ComposePanel
from vtsms_gui.ui.connection.connection import Connection
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel

if TYPE_CHECKING:
    from vtsms_gui.api.send_runner import SendReport

TITLE = "Send a test to me"


def ask_number(parent: QWidget, current: str) -> str | None:
    """The number to send the test to; None when the user cancels. (Tests replace this.)"""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(TITLE)
    dialog.setLabelText(
        "Your mobile number. The first recipient's message, with their values filled in, is "
        "sent to it (1 test SMS, charged as usual):"
    )
    dialog.setTextValue(current)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    line = dialog.findChild(QLineEdit)
    if line is not None:
        line.setAccessibleName("Your mobile number for the test")
    if not dialog.exec():
        return None
    return dialog.textValue().strip() or None


class SendToMe(QObject):
    """The button and the send of one test SMS."""

    finished = Signal(str)  # what happened, in words

    def __init__(
        self,
        *,
        connection: Connection,
        settings: AppSettings,
        model: RecipientsModel,
        compose: ComposePanel,
        show_status: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._connection = connection
        self._settings = settings
        self._model = model
        self._compose = compose
        self._show_status = show_status
        self._parent = parent
        self.running = False
        self.button = QPushButton("Test to me…", compose.message)
        self.button.setObjectName("testSendButton")
        self.button.setAccessibleName("Send a test to me")
        self.button.setToolTip(
            "Before sending to everyone: send the first recipient's message to your own mobile"
        )
        self.button.clicked.connect(self.request)
        compose.message.add_tool(self.button)

    def request(self) -> None:
        parent = self._parent
        session = self._connection.session
        if session is None or self._connection.client is None:
            feedback().tell(parent, TITLE, "Sign in to VETtrak to send a test.", Kind.INFO)
            return
        if self.running:
            return
        if not self._model.is_checked:
            self._show_status("Still checking the list: try again in a moment.", 5000)
            return
        number = ask_number(parent, self._settings.test_mobile)
        if number is None:
            return
        from vtsms_gui.core import sending

        plan = build_plan(
            self._compose.message_text(),
            self._model.checked(),
            self._compose.send_options(),
            balance=session.status.balance,
        )
        if not plan.can_send:
            problems = " ".join(issue.message for issue in plan.blockers)
            feedback().tell(parent, TITLE, f"The test cannot be sent: {problems}")
            return
        try:
            test = sending.test_plan(plan, number)
        except ValueError as error:
            feedback().tell(parent, TITLE, f"The test cannot be sent: {error}")
            return
        self._settings.test_mobile = number
        self.running = True
        self.button.setEnabled(False)
        place = sending.SendPlace(session.server, session.username, session.demo, test=True)
        client = self._connection.client

        def work() -> SendReport:
            with sending.open_journal(session.demo) as journal:
                return sending.send(client, test, journal, place)[1]

        self._show_status(f"Sending a test to {number}…", 0)
        self._connection.run(work, lambda r: self._done(r, number), self._failed)

    def _done(self, report: SendReport, number: str) -> None:
        self._end()
        text = (
            f"Test sent to {number}: check your phone, then send to everyone."
            if report.sms_sent
            else f"The test to {number} was not accepted: see History for why."
        )
        self._show_status(text, 10_000)
        self.finished.emit(text)

    def _failed(self, error: BaseException) -> None:
        self._end()
        text = f"The test could not be sent: {error}"
        feedback().tell(self._parent, TITLE, text)
        self.finished.emit(text)

    def _end(self) -> None:
        self.running = False
        self.button.setEnabled(True)
