"""The demo's "Add practice students" button: a list to try the whole flow with in a minute.

Shown only while signed in to the demo. The rows come from the simulator's own client table
(`simulator.practice_students`), so every code the list uses exists on the demo server, and
among them are the rows a real list holds: a code Excel shortened, a landline, a number cut
short, a student who opted out of marketing and a code VETtrak does not know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton

from vtsms_gui.domain.recipients import Recipient

if TYPE_CHECKING:
    from vtsms_gui.ui.compose.compose_panel import ComposePanel
    from vtsms_gui.ui.recipients.recipients_panel import RecipientsPanel

BUTTON_TEXT = "Add &practice students"
TOOL_TIP = (
    "Demo only: add the demo's students (with a landline, a number cut short, a code Excel "
    "shortened and one VETtrak does not know) and a sample message, to try a send"
)


def practice_recipients() -> list[Recipient]:
    """The simulator's practice rows as the grid holds them (cells as typed)."""
    from vtsms_gui.simulator import practice_students

    headers = ("Client code", "Name", "Mobile")
    return [
        Recipient(code or None, mobile or None, name, headers=headers, cells=(code, name, mobile))
        for code, name, mobile in practice_students()
    ]


def practice_message() -> str:
    from vtsms_gui.simulator import PRACTICE_MESSAGE

    return PRACTICE_MESSAGE


class PracticeStudents(QObject):
    """The button (in the recipients panel's row of actions) and what it does."""

    def __init__(self, recipients: RecipientsPanel, compose: ComposePanel) -> None:
        super().__init__(recipients)
        self._recipients = recipients
        self._compose = compose
        self.button = QPushButton(BUTTON_TEXT, recipients)
        self.button.setObjectName("practiceStudentsButton")
        self.button.setToolTip(TOOL_TIP)
        self.button.setAccessibleName("Add practice students")
        self.button.setAccessibleDescription(TOOL_TIP)
        self.button.hide()
        recipients.add_action(self.button)
        self.button.clicked.connect(self.add)

    def set_demo(self, demo: bool) -> None:
        self.button.setVisible(demo)

    def add(self) -> None:
        if self._recipients.model.locked:
            return
        rows = practice_recipients()
        self._recipients.model.append_recipients(rows)
        if not self._compose.message.text().strip():
            self._compose.message.set_text(practice_message())
        self._recipients.message.emit(
            f"Added {len(rows)} practice students and a sample message; try Send…"
        )
