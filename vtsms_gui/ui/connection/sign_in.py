"""The window's side of the session: resuming the last one at start, the sign-in dialog, the
demo, signing out, the connection and balance in the status bar, and the network settings
(proxy, CA file) handed to the connection."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import Qt  # QtCore's Qt plus convertFromPlainText
from PySide6.QtWidgets import QWidget

from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.common.small_dialogs import SettingsDialog
from vtsms_gui.ui.common.theme import Tone
from vtsms_gui.ui.connection.connection import Connection, Session
from vtsms_gui.ui.connection.login_dialog import LoginDialog
from vtsms_gui.ui.status_bar import StatusBar

if TYPE_CHECKING:
    from vtsms_gui.api.client import SmsStatus

DEMO_NOTICE = (
    "<b>Demo mode.</b> You are connected to a built-in practice VETtrak with pretend students: "
    "<b>no real SMS will be sent</b>. Use File › Sign in to connect to your own VETtrak."
)
NOT_SIGNED_IN = "Not signed in · File › Sign in"


class SignIn(QObject):
    """Signals what the rest of the window follows: a session began or ended, a new balance."""

    signed_in = Signal(object)  # Session
    signed_out = Signal()
    balance_changed = Signal(object)  # int | None

    def __init__(
        self,
        connection: Connection,
        settings: AppSettings,
        status: StatusBar,
        demo_banner: Banner,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.connection = connection
        self.settings = settings
        self._status = status
        self._demo_banner = demo_banner
        self.login_dialog: LoginDialog | None = None
        connection.logged_in.connect(self._logged_in)
        connection.resume_failed.connect(self.show_login)
        connection.status_changed.connect(self._status_changed)
        connection.status_failed.connect(self._status_failed)

    def apply_network_settings(self) -> None:
        self.connection.set_network(
            ca_file=self.settings.ca_file,
            proxy=self.settings.proxy,
            proxy_username=self.settings.proxy_username,
        )

    def start(self) -> None:
        """Resume the last session with its stored token, or ask to sign in."""
        self.apply_network_settings()
        server, username = self.settings.last_url, self.settings.username
        if server and username:
            host = urlsplit(server).hostname or server
            self._status.set_connection(f"Connecting to {host}…")
            self.connection.resume(server, username, self.settings.soap_version)
        else:
            QTimer.singleShot(0, self.show_login)

    def start_demo(self) -> None:
        self._status.set_connection("Starting the demo…")
        self.connection.start_demo()

    def show_login(self, message: str = "") -> LoginDialog:
        dialog = LoginDialog(self.connection, self.settings, self._parent, message=message)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._login_closed)
        dialog.show()
        self.login_dialog = dialog
        return dialog

    def _login_closed(self) -> None:
        self.login_dialog = None
        if self.connection.session is None and not self.connection.busy:
            self._status.set_connection(NOT_SIGNED_IN)

    def sign_out(self) -> None:
        self.connection.sign_out()
        self._demo_banner.hide()
        self._status.set_connection(NOT_SIGNED_IN)
        self.balance_changed.emit(None)
        self.signed_out.emit()

    def _logged_in(self, session: Session) -> None:
        host = urlsplit(session.server).hostname or session.server
        where = "the demo server" if session.demo else host
        self._status.set_connection(
            f"Signed in to {where} as {session.username}",
            Qt.convertFromPlainText(session.server),
        )
        if session.demo:
            self._demo_banner.show_message(DEMO_NOTICE, Tone.INFO)
        else:
            self._demo_banner.hide()
        self._status.warn_low_balance_again()
        self._status_changed(session.status)
        self.signed_in.emit(session)

    def _status_changed(self, status: SmsStatus) -> None:
        self.balance_changed.emit(status.balance)
        if status.message:
            self._status.add_connection_note(f"SMS service: {status.message}")

    def _status_failed(self, message: str) -> None:
        self._status.show(f"Could not read the balance: {message}", 10_000)

    def current_balance(self) -> int | None:
        session = self.connection.session
        return session.status.balance if session else None

    def show_settings(self) -> None:
        settings = self.settings
        dialog = SettingsDialog(
            settings.low_balance_threshold,
            settings.proxy,
            settings.ca_file,
            self._parent,
            proxy_username=settings.proxy_username,
        )
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            settings.low_balance_threshold = dialog.low_balance.value()
            settings.proxy = dialog.proxy_setting()
            settings.ca_file = dialog.ca_file.text().strip()
            settings.proxy_username = dialog.proxy_username.text().strip()
            password = dialog.proxy_password.text()
            if password and settings.proxy and settings.proxy_username:
                self.connection.keep_proxy_password(
                    settings.proxy, settings.proxy_username, password
                )
            self.apply_network_settings()
            self._status.warn_low_balance_again()
            self.balance_changed.emit(self.current_balance())
