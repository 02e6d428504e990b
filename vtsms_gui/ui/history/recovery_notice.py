"""The notice shown after signing in when the journal held batches that were being sent when
the app last stopped: which recipients may or may not have received the SMS, and a button to
open each such send in the History. Not a dialog: the window stays usable under it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from vtsms_gui.ui.common import icons
from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.theme import Tone

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import InterruptedBatch

TITLE = (
    "<b>A send was interrupted</b>: vtsms-gui or the computer stopped while it was sending. "
    "Nothing more goes out for it unless you resend."
)
RESUME = "“Resend to failed / not sent” in the History"  # the window's way to resume

DEMO_TITLE = (
    "<b>A practice send in the demo was interrupted</b>: vtsms-gui stopped while it was sending."
)


class RecoveryNotice(Banner):
    """One line per interrupted batch (its `describe()`), each with "Open … in History"."""

    open_send = Signal(str, bool)  # send id, and whether it is in the demo's journal

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("recoveryNotice", parent=parent)
        self.setAccessibleName("Interrupted send")
        self.buttons: list[QPushButton] = []
        self.descriptions: list[str] = []
        self._lines: list[QWidget] = []
        self.close_button.clicked.connect(self._forget)

    def show_batches(self, batches: Sequence[InterruptedBatch], *, demo: bool) -> None:
        """Add these batches to the notice (after those still shown) and show it."""
        if not batches:
            return
        if self.isHidden():
            self._forget()
        for batch in batches:
            self._add_line(batch, demo)
        self.show_message(DEMO_TITLE if demo else TITLE, Tone.UNKNOWN)
        self.setAccessibleDescription(self.plain_text())  # screen readers hear every line

    def _add_line(self, batch: InterruptedBatch, demo: bool) -> None:
        line = QWidget(self)
        layout = QHBoxLayout(line)
        layout.setContentsMargins(0, 0, 0, 0)
        description = batch.describe(resume=RESUME)
        text = QLabel(description, line)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        button = QPushButton(icons.themed_icon("history"), f"Open {batch.send_id} in History", line)
        button.setAccessibleName(f"Open send {batch.send_id} in the history")
        button.clicked.connect(partial(self.open_send.emit, batch.send_id, demo))
        layout.addWidget(text, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.add_row(line)
        self._lines.append(line)
        self.buttons.append(button)
        self.descriptions.append(description)

    def _forget(self) -> None:
        for line in self._lines:
            line.deleteLater()
        self._lines.clear()
        self.buttons.clear()
        self.descriptions.clear()

    def plain_text(self) -> str:
        return "\n".join((super().plain_text(), *self.descriptions))

    def restyle(self) -> None:
        super().restyle()
        for button in self.buttons:
            button.setIcon(icons.themed_icon("history"))
