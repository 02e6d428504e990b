"""Small dialogs: the password asked for when a login expires mid-send, and the settings."""

from __future__ import annotations

import html

from PySide6.QtGui import Qt  # QtCore's Qt plus its text functions (convertFromPlainText)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


class PasswordDialog(QDialog):
    def __init__(self, server: str, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in again")
        self.setObjectName("passwordDialog")
        # The username is typed by the user: escaped, "<b>x</b>&" shows as typed, not as markup.
        self.note = note = QLabel(self)
        note.setTextFormat(Qt.TextFormat.RichText)
        note.setText(
            f"Your VETtrak login expired. Enter the password of <b>{html.escape(username)}</b> "
            "to carry on: only the batch VETtrak refused is sent again."
        )
        note.setWordWrap(True)
        # A tooltip guesses plain or rich text from its content; the server's address is
        # user-typed too, so it goes in as escaped rich text whatever it holds.
        note.setToolTip(Qt.convertFromPlainText(server, Qt.WhiteSpaceMode.WhiteSpaceNoWrap))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        form = QFormLayout()
        form.addRow("&Password:", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(380)


def ask_password(server: str, username: str, parent: QWidget | None = None) -> str | None:
    """The password typed, or None when the user cancels (tests patch this)."""
    dialog = PasswordDialog(server, username, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.password.text():
        return dialog.password.text()
    return None


class SettingsDialog(QDialog):
    def __init__(self, low_balance: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.low_balance = QSpinBox(self)
        self.low_balance.setRange(0, 1_000_000)
        self.low_balance.setSingleStep(50)
        self.low_balance.setGroupSeparatorShown(True)
        self.low_balance.setValue(low_balance)
        self._show_unit(self.low_balance.value())
        self.low_balance.valueChanged.connect(self._show_unit)
        self.low_balance.setAccessibleName("Warn when the SMS balance falls below")
        form = QFormLayout()
        form.addRow("&Warn when the balance falls below:", self.low_balance)
        hint = QLabel("0 turns the warning off.", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def _show_unit(self, value: int) -> None:
        self.low_balance.setSuffix(" credit" if value == 1 else " credits")
