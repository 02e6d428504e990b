"""The sign-in dialog: VETtrak address (recent ones offered), username, password, "Remember my
password" (saying where), SOAP version under Advanced, inline errors, and "Try the demo"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.api.service_url import ServiceUrlError, normalise_service_url
from vtsms_gui.ui.common.feedback import Kind, feedback
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.common.theme import Tone, show_indicator_frames, tone_colour
from vtsms_gui.ui.connection.check_panel import CheckResults, ConnectionCheck
from vtsms_gui.ui.connection.connection import Connection, LoginRequest, Session

if TYPE_CHECKING:
    from vtsms_gui.api.connection_report import CheckStep, ConnectionReport
    from vtsms_gui.storage.credentials import KeyringInfo

URL_EXAMPLE = "https://vettrak.example.edu.au/VT_API.asmx"
HTTP_WARNING = (
    "This address starts with http://, so your password and your students' phone numbers "
    "would travel over the network unencrypted.\n\nUse it only if your IT team confirmed "
    "that this VETtrak server has no https:// address. Connect anyway?"
)


def confirm_http(parent: QWidget) -> bool:
    """Asks before an unencrypted connection; No is the default."""
    return feedback().ask(
        parent, "Unencrypted connection", HTTP_WARNING, yes="Yes", no="No", kind=Kind.WARNING
    )


class LoginDialog(QDialog):
    """Accepted once the connection reports a session; `session` then holds it."""

    def __init__(
        self,
        connection: Connection,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to VETtrak")
        self.setObjectName("loginDialog")
        self._connection = connection
        self._settings = settings
        self.session: Session | None = None

        intro = QLabel(
            "Sign in with the VETtrak API user your organisation set up for sending SMS.", self
        )
        intro.setWordWrap(True)

        self.url = QComboBox(self)
        self.url.setEditable(True)
        self.url.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.url.addItems(settings.recent_urls)
        self.url.setCurrentText(settings.last_url)
        self.url.setAccessibleName("VETtrak address")
        self.url.setMinimumContentsLength(38)
        line_edit = self.url.lineEdit()
        assert line_edit is not None
        line_edit.setPlaceholderText(URL_EXAMPLE)
        self.username = QLineEdit(settings.username, self)
        self.username.setAccessibleName("Username")
        self.username.setMaxLength(50)
        self.password = QLineEdit(self)
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(50)
        self.remember = QCheckBox("&Remember my password", self)
        show_indicator_frames((self.remember,))
        self.keyring_note = QLabel("Looking for this computer's password store…", self)
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setObjectName("keyringNote")
        self.advanced = QToolButton(self)
        self.advanced.setText("Advanced")
        self.advanced.setCheckable(True)
        self.advanced.setAutoRaise(True)
        self.advanced.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.soap = QComboBox(self)
        self.soap.addItem("SOAP 1.1 (usual)", "1.1")
        self.soap.addItem("SOAP 1.2", "1.2")
        self.soap.setCurrentIndex(max(0, self.soap.findData(settings.soap_version)))
        self.soap.setAccessibleName("SOAP version")
        self.soap_label = QLabel("SOAP &version:", self)
        self.soap_label.setBuddy(self.soap)

        self.error = QLabel(self)
        self.error.setObjectName("loginError")
        # Plain: the text may carry the typed address or the server's words, never markup.
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Sign-in problem")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QLabel("Signing in…", self)
        self.busy.setObjectName("loginBusy")

        self.demo = QPushButton("Try the &demo", self)
        self.demo.setToolTip("Practise with a built-in pretend VETtrak. No real SMS is sent.")
        self.demo.setAutoDefault(False)
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.setToolTip(
            "Check step by step whether this computer can reach the VETtrak address, and say "
            "what to tell IT if it cannot. Nothing is sent."
        )
        self.test_button.setAutoDefault(False)
        self.check_results = CheckResults(self)
        self._check = ConnectionCheck(connection, self)
        self.buttons = QDialogButtonBox(self)
        self.sign_in = self.buttons.addButton("&Sign in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field in (
            ("VETtrak &address:", self.url),
            ("&Username:", self.username),
            ("&Password:", self.password),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow("", self.remember)
        form.addRow("", self.keyring_note)
        form.addRow(self.advanced)
        form.addRow(self.soap_label, self.soap)
        bottom = QHBoxLayout()
        bottom.addWidget(self.demo)
        bottom.addWidget(self.test_button)
        bottom.addStretch(1)
        bottom.addWidget(self.busy)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.check_results)
        layout.addSpacing(6)
        layout.addLayout(bottom)

        self.advanced.toggled.connect(self._show_advanced)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.demo.clicked.connect(self._start_demo)
        self.test_button.clicked.connect(self.test_connection)
        self._check.step_done.connect(self._check_step)
        self._check.finished.connect(self._check_finished)
        self._check.failed.connect(self._check_failed)
        connection.logged_in.connect(self._logged_in)
        connection.login_failed.connect(self._failed)
        connection.keyring_known.connect(self._show_keyring)
        self._listening = True
        connection.load_keyring_info()

        self._show_advanced(False)
        self._set_busy(False)
        self.show_error(message)
        (self.password if self.url.currentText() and self.username.text() else self.url).setFocus()
        # A fixed width lets the wrapped notes and errors grow the dialog downwards only.
        self.setFixedWidth(max(540, self.sizeHint().width()))

    # --- shown state ---

    def show_error(self, message: str) -> None:
        colour = tone_colour(Tone.BAD).name()
        self.error.setStyleSheet(f"color: {colour};")
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.adjustSize()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.url, self.username, self.password, self.remember, self.soap):
            widget.setEnabled(not busy)
        self.sign_in.setEnabled(not busy)
        self.demo.setEnabled(not busy)
        self.busy.setVisible(busy)

    def _show_advanced(self, shown: bool) -> None:
        self.advanced.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.soap.setVisible(shown)
        self.soap_label.setVisible(shown)

    def _show_keyring(self, info: KeyringInfo) -> None:
        if info.secure:
            self.remember.setText(f"&Remember my password in {info.description}")
            self.keyring_note.setVisible(False)
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.keyring_note.setText(
                f"Passwords cannot be remembered: there is {info.description}. "
                "You will be asked again next time."
            )
            self.keyring_note.setVisible(True)
        self.adjustSize()

    # --- actions ---

    def _submit(self) -> None:
        server = self._checked_url()
        if server is None:
            return
        if not self.username.text().strip():
            self.show_error("Enter your VETtrak username.")
            self.username.setFocus()
            return
        if not self.password.text():
            self.show_error("Enter your password.")
            self.password.setFocus()
            return
        self.show_error("")
        self._set_busy(True)
        self._connection.log_in(
            LoginRequest(
                server=server,
                username=self.username.text().strip(),
                password=self.password.text(),
                remember=self.remember.isChecked(),
                soap_version=str(self.soap.currentData()),
            )
        )

    def _checked_url(self) -> str | None:
        text = self.url.currentText().strip()
        try:
            return normalise_service_url(text)
        except ServiceUrlError as problem:
            if text.lower().startswith("http://"):
                try:
                    server = normalise_service_url(text, allow_http=True)
                except ServiceUrlError:
                    pass
                else:
                    if confirm_http(self):
                        return server
                    return None
            self.show_error(str(problem))
            self.url.setFocus()
            return None

    def test_connection(self) -> None:
        """Run the step-by-step check of the address (and the sign-in, if a password is
        typed) on the network worker; the results appear under the form."""
        if self._check.running:
            return
        server = self._checked_url()
        if server is None:
            return
        self.show_error("")
        self.test_button.setEnabled(False)
        self.check_results.begin()
        self.adjustSize()
        self._check.start(
            server,
            str(self.soap.currentData()),
            self.username.text().strip(),
            self.password.text(),
        )

    def _check_step(self, step: CheckStep) -> None:
        self.check_results.add(step)
        self.adjustSize()  # grow downwards with each line: nothing clipped

    def _check_finished(self, report: ConnectionReport) -> None:
        self.test_button.setEnabled(True)
        self.check_results.end(report)
        self.adjustSize()

    def _check_failed(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.check_results.hide()
        self.show_error(message)

    def _start_demo(self) -> None:
        self.show_error("")
        self._set_busy(True)
        self.busy.setText("Starting the demo…")
        self._connection.start_demo()

    def _logged_in(self, session: Session) -> None:
        self.session = session
        if not session.demo:
            self._settings.remember_url(session.server)
            self._settings.username = session.username
            self._settings.soap_version = str(self.soap.currentData())
        self.password.clear()
        self.accept()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.busy.setText("Signing in…")
        self.show_error(message)
        self.password.selectAll()
        self.password.setFocus()

    def done(self, result: int) -> None:
        # This dialog is shown again after a sign-out: leave no connection to a closed dialog.
        if self._listening:
            self._listening = False
            for signal, slot in (
                (self._connection.logged_in, self._logged_in),
                (self._connection.login_failed, self._failed),
                (self._connection.keyring_known, self._show_keyring),
            ):
                signal.disconnect(slot)
        super().done(result)
