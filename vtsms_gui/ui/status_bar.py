"""The main window's status bar: who is signed in where, the SMS balance (with its low-balance
warning), and short notes that fade."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFrame, QLabel, QStatusBar

from vtsms_gui.ui.common import wording
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.common.theme import Tone, tone_colour


class StatusBar(QObject):
    """Adds the connection and balance labels to the window's `QStatusBar` and keeps them."""

    def __init__(self, bar: QStatusBar, settings: AppSettings, parent: QObject | None = None):
        super().__init__(parent)
        self.bar = bar
        self._settings = settings
        # The low balance is said once a session (or until the threshold changes), not at
        # every balance the send's progress brings.
        self._low_balance_warned = False
        self.connection_status = QLabel("Not signed in", bar)
        self.connection_status.setObjectName("connectionStatus")
        self.connection_status.setAccessibleName("VETtrak connection")
        self.balance_label = QLabel(bar)
        self.balance_label.setObjectName("balanceStatus")
        self.balance_label.setAccessibleName("SMS balance")
        for label in (self.connection_status, self.balance_label):
            label.setContentsMargins(10, 0, 10, 0)
        separator = QFrame(bar)
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        bar.addPermanentWidget(self.connection_status)
        bar.addPermanentWidget(separator)
        bar.addPermanentWidget(self.balance_label)

    def show(self, text: str, msecs: int = 8000) -> None:
        """A note for `msecs` (0: until replaced)."""
        self.bar.showMessage(text, msecs)

    def clear(self) -> None:
        self.bar.clearMessage()

    def current(self) -> str:
        return self.bar.currentMessage()

    def set_connection(self, text: str, tooltip: str | None = None) -> None:
        self.connection_status.setText(text)
        if tooltip is not None:
            self.connection_status.setToolTip(tooltip)

    def add_connection_note(self, note: str) -> None:
        """A line added to the connection's tooltip (the SMS service's own message)."""
        self.connection_status.setToolTip(f"{self.connection_status.toolTip()}\n{note}".strip())

    def warn_low_balance_again(self) -> None:
        """A new session or a new threshold: a low balance is said once more."""
        self._low_balance_warned = False

    def show_balance(self, balance: int | None) -> None:
        label = self.balance_label
        if balance is None:
            label.setText("Balance: —")
            label.setStyleSheet("")
            label.setToolTip("Sign in to see the SMS balance")
            return
        threshold = self._settings.low_balance_threshold
        if threshold and balance < threshold:
            colour = tone_colour(Tone.WARN).name()
            label.setText(f"⚠ Balance: {wording.count(balance, 'SMS credit')} (low)")
            label.setStyleSheet(f"color: {colour}; font-weight: bold;")
            label.setToolTip(
                f"Below your warning level of {wording.count(threshold, 'credit')} "
                "(Tools › Settings). "
                "Top up the SMS credit in VETtrak before a large send."
            )
            if not self._low_balance_warned:
                self._low_balance_warned = True
                self.show(
                    f"The SMS balance is low: {wording.count(balance, 'credit')} left.", 15_000
                )
        else:
            label.setText(f"Balance: {wording.count(balance, 'SMS credit')}")
            label.setStyleSheet("")
            label.setToolTip("Prepaid SMS credits left in VETtrak")
