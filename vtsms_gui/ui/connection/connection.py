"""The window's link to VETtrak: logging in (or resuming a stored token, or the demo), the SMS
status and balance, and the one worker thread every network call runs on.

zeep, the keyring and the simulator load inside the worker, after the window is on screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from vtsms_gui.api.errors import VettrakError
from vtsms_gui.core.session import Session as CoreSession
from vtsms_gui.core.session import SessionInfo, SignIn
from vtsms_gui.ui.common import wording
from vtsms_gui.ui.common.workers import GuiCall, Task, run_task

if TYPE_CHECKING:
    from vtsms_gui.api.client import SmsStatus, VettrakClient
    from vtsms_gui.api.config import ClientConfig
    from vtsms_gui.simulator.server import SimulatorServer
    from vtsms_gui.storage.credentials import CredentialStore


# The window's names for the core's values (the login dialog asks for a SignIn).
LoginRequest = SignIn
Session = SessionInfo


class Connection(QObject):
    """Owns the VETtrak client and runs all its calls, one at a time, on one worker thread."""

    logged_in = Signal(object)  # Session
    login_failed = Signal(str)  # plain English
    resume_failed = Signal(str)  # a stored token did not work: show the login dialog
    status_changed = Signal(object)  # SmsStatus
    status_failed = Signal(str)
    keyring_known = Signal(object)  # KeyringInfo
    exchange = Signal(object)  # SoapExchange (from the worker; delivered on the GUI thread)

    def __init__(
        self,
        *,
        credentials: Callable[[], CredentialStore] | None = None,
        ask_password: Callable[[str, str], str | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`credentials` makes the CredentialStore (tests inject one with an in-memory keyring);
        `ask_password(server, username)` runs on the GUI thread when a re-login needs one."""
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # a VettrakClient is used from one thread at a time
        self._pool.setExpiryTimeout(-1)
        self._ask_password = ask_password
        self._password_prompt = GuiCall(self._prompt_for_password, self)
        self._asking: tuple[str, str] = ("", "")
        self._core = CoreSession(
            credentials=credentials, ask_password=self._ask, on_exchange=self.exchange.emit
        )
        self._session: Session | None = None
        self.busy = False

    # --- state ---

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def client(self) -> VettrakClient | None:
        return self._core.client

    @property
    def pool(self) -> QThreadPool:
        """The network thread: run anything that uses `client` here."""
        return self._pool

    @property
    def simulator(self) -> SimulatorServer | None:
        return self._core.simulator

    def known_secrets(self) -> tuple[str, ...]:
        """The passwords and tokens this session has held in memory, for masking crash reports
        (callable from any thread). The demo's public password is not among them."""
        return self._core.known_secrets()

    def run(
        self,
        fn: Callable[[], Any],
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> Task:
        return run_task(self._pool, fn, on_result, on_error, on_finished)

    def wait(self, msecs: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(msecs))

    # --- logging in ---

    def set_network(
        self, *, ca_file: str | None, proxy: str | None, proxy_username: str | None = None
    ) -> None:
        """The organisation CA file and proxy settings, for the next sign-in (on the worker,
        where the session lives)."""
        self.run(
            lambda: self._core.set_network(
                ca_file=ca_file, proxy=proxy, proxy_username=proxy_username
            )
        )

    def client_config(self, server: str, soap_version: str = "1.1") -> ClientConfig:
        """How a sign-in reaches `server` (CA file, proxy, the proxy's password from the
        keyring). Call it on the worker: the keyring may wait for the user to unlock it."""
        return self._core.client_config(server, soap_version)

    def keep_proxy_password(self, proxy: str, username: str, password: str) -> None:
        """Into the keyring, on the worker (a keyring may wait for the user to unlock it)."""
        self.run(lambda: self._core.keep_proxy_password(proxy, username, password))

    def load_keyring_info(self) -> None:
        """Find out which keyring is in use (may wait on the OS): answers with keyring_known."""
        self.run(self._core.keyring_info, self.keyring_known.emit)

    def log_in(self, request: LoginRequest) -> None:
        self._start(lambda: self._core.sign_in(request), self.login_failed)

    def resume(self, server: str, username: str, soap_version: str = "1.1") -> None:
        """Use the stored token, if the server still accepts it; else resume_failed. A kept
        password renews an expired token silently; without one, the login dialog (not the
        small password prompt) is the right way to ask."""
        self._start(
            lambda: self._core.resume(server, username, soap_version, may_ask=False),
            self.resume_failed,
        )

    def start_demo(self) -> None:
        """Start the built-in simulator and log in to it as demo/demo."""
        self._start(self._core.start_demo, self.login_failed)

    def refresh_status(self) -> None:
        if self._session is None:
            return
        self.run(self._core.refresh_status, self._status_arrived, self._status_error)

    def sign_out(self) -> None:
        """Forget the token (and a remembered password) of this session; stop the demo."""
        self._session = None
        self.run(self._core.sign_out)

    def close(self) -> None:
        """Stop the demo server and close the client; waits for the worker to finish."""
        self.run(self._core.close)
        self.wait()

    # --- worker side ---

    def _start(self, work: Callable[[], Session], failed: Any) -> None:
        self.busy = True

        def done(session: Session) -> None:
            self._session = session
            self.logged_in.emit(session)

        def error(exc: BaseException) -> None:
            failed.emit(_explain(exc))

        def finished() -> None:
            self.busy = False

        self.run(work, done, error, finished)

    def _ask(self, server: str, username: str) -> str | None:
        """The core's question for a password (on the worker), answered on the GUI thread."""
        self._asking = (server, username)
        answer: str | None = self._password_prompt()
        return answer

    def _prompt_for_password(self) -> str | None:
        if self._ask_password is None:
            return None
        return self._ask_password(*self._asking)

    def _status_arrived(self, status: SmsStatus) -> None:
        if self._session is not None:
            self._session = dataclasses.replace(self._session, status=status)
        self.status_changed.emit(status)

    def _status_error(self, exc: BaseException) -> None:
        self.status_failed.emit(_explain(exc))


def _explain(exc: BaseException) -> str:
    """Plain English for the user. VettrakError messages already are; anything else is a bug
    whose type is named so a support person can find it (its text may hold data: left out)."""
    if isinstance(exc, VettrakError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"The demo server could not start: {wording.sentence(exc.strerror or str(exc))}"
    return f"Something went wrong inside vtsms-gui ({type(exc).__name__}). Please try again."


__all__ = ["Connection", "LoginRequest", "Session"]
