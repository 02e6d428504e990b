"""The window's link to VETtrak: logging in (or resuming a stored token, or the demo), the SMS
status and balance, and the one worker thread every network call runs on.

zeep, the keyring and the simulator load inside the worker, after the window is on screen.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from vtsms_gui.api.errors import ServerRefused, SmsNotEnabled, TokenExpired, VettrakError
from vtsms_gui.ui import wording
from vtsms_gui.ui.workers import GuiCall, Task, run_task

if TYPE_CHECKING:
    from vtsms_gui.api.client import SmsStatus, VettrakClient
    from vtsms_gui.simulator.server import SimulatorServer
    from vtsms_gui.storage.credentials import CredentialStore


@dataclass(frozen=True)
class LoginRequest:
    """What the login dialog asks for. `password` is never stored here beyond the call, and
    never shown in a repr (a crash report may hold one)."""

    server: str  # normalised service URL
    username: str
    password: str = field(default="", repr=False)
    remember: bool = False
    soap_version: str = "1.1"


@dataclass(frozen=True)
class Session:
    """A logged-in VETtrak (or the demo). The token lives in the client and the keyring only."""

    server: str
    username: str
    demo: bool
    status: SmsStatus


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
        self._make_credentials = credentials or _system_credentials
        self._credentials: CredentialStore | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # a VettrakClient is used from one thread at a time
        self._pool.setExpiryTimeout(-1)
        self._client: VettrakClient | None = None
        self._session: Session | None = None
        self._simulator: SimulatorServer | None = None
        self._ask_password = ask_password
        self._password_prompt = GuiCall(self._prompt_for_password, self)
        self._pending_identity: tuple[str, str] = ("", "")
        self._may_prompt = True
        # Replaced whole, never changed in place: read from any thread by known_secrets().
        self._secrets: tuple[str, ...] = ()
        self.busy = False

    # --- state ---

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def client(self) -> VettrakClient | None:
        return self._client

    @property
    def pool(self) -> QThreadPool:
        """The network thread: run anything that uses `client` here."""
        return self._pool

    @property
    def simulator(self) -> SimulatorServer | None:
        return self._simulator

    def known_secrets(self) -> tuple[str, ...]:
        """The passwords and tokens this session has held in memory, for masking crash reports
        (callable from any thread). The demo's public password is not among them."""
        client = self._client
        token = client.token if client is not None else None
        return (*self._secrets, token) if token and token not in self._secrets else self._secrets

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

    def load_keyring_info(self) -> None:
        """Find out which keyring is in use (may wait on the OS): answers with keyring_known."""
        self.run(lambda: self._store().info, self.keyring_known.emit)

    def log_in(self, request: LoginRequest) -> None:
        self._start(lambda: self._log_in(request), self.login_failed)

    def resume(self, server: str, username: str, soap_version: str = "1.1") -> None:
        """Use the stored token, if the server still accepts it; else resume_failed."""
        request = LoginRequest(server, username, soap_version=soap_version)
        self._start(lambda: self._resume(request), self.resume_failed)

    def start_demo(self) -> None:
        """Start the built-in simulator and log in to it as demo/demo."""
        self._start(self._demo, self.login_failed)

    def refresh_status(self) -> None:
        if self._client is None:
            return
        client = self._client
        self.run(client.get_sms_status, self._status_arrived, self._status_error)

    def sign_out(self) -> None:
        """Forget the token (and a remembered password) of this session; stop the demo."""
        session, self._session = self._session, None
        client, self._client = self._client, None
        simulator, self._simulator = self._simulator, None

        def work() -> None:
            if session is not None and not session.demo:
                self._store().forget(session.server, session.username)
            if client is not None:
                client.close()
            if simulator is not None:
                simulator.stop()

        self.run(work)

    def close(self) -> None:
        """Stop the demo server and close the client; waits for the worker to finish."""
        client, self._client = self._client, None
        simulator, self._simulator = self._simulator, None

        def work() -> None:
            if client is not None:
                client.close()
            if simulator is not None:
                simulator.stop()

        self.run(work)
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

    def _store(self) -> CredentialStore:
        if self._credentials is None:
            self._credentials = self._make_credentials()
        return self._credentials

    def _new_client(self, server: str, soap_version: str) -> VettrakClient:
        # Imported here, as in the other worker functions: the window shows before the api loads.
        from vtsms_gui.api.client import VettrakClient
        from vtsms_gui.api.config import ClientConfig

        if self._client is not None:
            self._client.close()
        self._client = None
        config = ClientConfig(service_url=server, soap_version=soap_version)
        client = VettrakClient(config, relogin=self._relogin, on_exchange=self.exchange.emit)
        self._client = client
        return client

    def _log_in(self, request: LoginRequest) -> Session:
        client = self._new_client(request.server, request.soap_version)
        self._pending_identity = (request.server, request.username)
        self._hold_secrets(request.password)
        result = client.login(request.username, request.password)
        self._hold_secrets(result.token)
        store = self._store()
        store.set_token(request.server, request.username, result.token)
        # Kept (in memory at least) so a token that expires during a send can be renewed.
        store.set_password(
            request.server, request.username, request.password, remember=request.remember
        )
        return Session(request.server, request.username, False, client.get_sms_status())

    def _resume(self, request: LoginRequest) -> Session:
        store = self._store()
        token = store.get_token(request.server, request.username)
        if not token:
            raise TokenExpired("Sign in to continue.", status=None)
        self._hold_secrets(token)
        client = self._new_client(request.server, request.soap_version)
        self._pending_identity = (request.server, request.username)
        client.token = token
        # A remembered password renews an expired token silently; without one, the login
        # dialog (not the small password prompt) is the right way to ask.
        self._may_prompt = False
        try:
            return Session(request.server, request.username, False, client.get_sms_status())
        except ServerRefused as refused:
            if not isinstance(refused, SmsNotEnabled):  # the token itself was refused
                store.delete_token(request.server, request.username)
            raise
        finally:
            self._may_prompt = True

    def _demo(self) -> Session:
        from vtsms_gui.simulator.server import (
            DEMO_PASSWORD,
            DEMO_USERNAME,
            SimulatorServer,
        )

        if self._simulator is None:
            self._simulator = SimulatorServer(port=0).start()
        client = self._new_client(self._simulator.url, "1.1")
        self._pending_identity = (self._simulator.url, DEMO_USERNAME)
        client.login(DEMO_USERNAME, DEMO_PASSWORD)
        # In memory only, like any password not remembered: a token expiry renews silently.
        self._store().set_password(
            self._simulator.url, DEMO_USERNAME, DEMO_PASSWORD, remember=False
        )
        return Session(self._simulator.url, DEMO_USERNAME, True, client.get_sms_status())

    def _relogin(self) -> str:
        """The client's callback when VETtrak says the token expired (runs on the worker)."""
        server, username = self._pending_identity
        store = self._store()
        password = store.get_password(server, username)
        if not password and self._may_prompt:
            password = self._password_prompt()
        if not password:
            raise TokenExpired("The VETtrak login expired and no password was given.", status=None)
        assert self._client is not None
        self._hold_secrets(password)
        result = self._client.login(username, password)
        self._hold_secrets(result.token)
        store.set_token(server, username, result.token)
        with contextlib.suppress(ValueError):
            store.set_password(server, username, password, remember=False)
        return result.token

    def _hold_secrets(self, *secrets: str) -> None:
        new = tuple(s for s in secrets if s and s not in self._secrets)
        if new:
            self._secrets = (*self._secrets, *new)

    def _prompt_for_password(self) -> str | None:
        if self._ask_password is None:
            return None
        server, username = self._pending_identity
        return self._ask_password(server, username)

    def _status_arrived(self, status: SmsStatus) -> None:
        if self._session is not None:
            self._session = Session(
                self._session.server, self._session.username, self._session.demo, status
            )
        self.status_changed.emit(status)

    def _status_error(self, exc: BaseException) -> None:
        self.status_failed.emit(_explain(exc))


def _system_credentials() -> CredentialStore:
    from vtsms_gui.storage.credentials import CredentialStore

    return CredentialStore()


def _explain(exc: BaseException) -> str:
    """Plain English for the user. VettrakError messages already are; anything else is a bug
    whose type is named so a support person can find it (its text may hold data: left out)."""
    if isinstance(exc, VettrakError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"The demo server could not start: {wording.sentence(exc.strerror or str(exc))}"
    return f"Something went wrong inside vtsms-gui ({type(exc).__name__}). Please try again."


__all__ = ["Connection", "LoginRequest", "Session"]
