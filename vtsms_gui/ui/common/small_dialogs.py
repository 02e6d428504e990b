"""Small dialogs: the password asked for when a login expires mid-send, and the settings."""

from __future__ import annotations

import html
from pathlib import Path

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
    def __init__(
        self,
        low_balance: int,
        proxy: str = "",
        ca_file: str = "",
        parent: QWidget | None = None,
        *,
        proxy_username: str = "",
    ) -> None:
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
        self.proxy = QLineEdit(proxy, self)
        self.proxy.setPlaceholderText("as this computer is set up")
        self.proxy.setAccessibleName("Proxy")
        self.proxy.setToolTip(
            "Leave empty to use this computer's proxy settings. Type direct for none, or an "
            "address such as proxy.example.org:8080 (your IT team knows it)."
        )
        self.proxy_username = QLineEdit(proxy_username, self)
        self.proxy_username.setPlaceholderText("only if the proxy asks for a sign-in")
        self.proxy_username.setAccessibleName("Proxy username")
        self.proxy_password = QLineEdit(self)
        self.proxy_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.proxy_password.setPlaceholderText("kept in this computer's password store")
        self.proxy_password.setAccessibleName("Proxy password")
        self.ca_file = QLineEdit(ca_file, self)
        self.ca_file.setPlaceholderText("none: this computer's certificates only")
        self.ca_file.setAccessibleName("Organisation CA certificate file")
        self.ca_file.setToolTip(
            "A certificate file (PEM) from your IT team, trusted as well as the certificates "
            "this computer already trusts. Certificate checks can never be turned off."
        )
        for field in (self.proxy, self.proxy_username, self.proxy_password, self.ca_file):
            field.setMinimumWidth(320)  # room for the hints they show when empty
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Warn when the balance falls below:", self.low_balance)
        form.addRow("&Proxy:", self.proxy)
        form.addRow("Proxy &username:", self.proxy_username)
        form.addRow("Proxy pass&word:", self.proxy_password)
        form.addRow("Organisation &CA file:", self.ca_file)
        hint = QLabel(
            "0 turns the warning off. Network settings apply from the next sign-in.", self
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)

    def proxy_setting(self) -> str:
        """The proxy as typed, made into an address ("" follows the computer)."""
        from vtsms_gui.api.proxy import normalise_proxy_url

        text = self.proxy.text().strip()
        return normalise_proxy_url(text) if text else ""

    def _check_and_accept(self) -> None:
        """Refuse a proxy or CA file the app could not use, saying why, and keep the dialog."""
        problem = ""
        try:
            self.proxy_setting()
        except ValueError as error:
            problem = str(error)
        path = self.ca_file.text().strip()
        if not problem and path and not Path(path).is_file():
            problem = f"There is no file {path}: check the CA file's name and folder."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        if not problem:
            self.accept()

    def _show_unit(self, value: int) -> None:
        self.low_balance.setSuffix(" credit" if value == 1 else " credits")
