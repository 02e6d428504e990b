"""The one VETtrak session of both faces: signing in (or resuming a stored token, or the demo),
the token in the keyring, one re-login when VETtrak says the token expired, the SMS status and
balance, and the one rule for dropping a token.

Not thread-safe: each face calls a Session from one thread at a time (the window from its
network worker, the command line from its main thread). zeep, the keyring and the simulator
load with the first call that needs them, not at import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vtsms_gui.api.errors import ServerRefused, SmsNotEnabled, TokenExpired

if TYPE_CHECKING:
    from vtsms_gui.api.client import SmsStatus, VettrakClient
    from vtsms_gui.api.config import ClientConfig
    from vtsms_gui.api.soap_log import SoapExchange
    from vtsms_gui.simulator.server import SimulatorServer
    from vtsms_gui.storage.credentials import CredentialStore, KeyringInfo

PasswordSource = Callable[[str, str], "str | None"]
"""(server, username) -> a password typed or found now, or None if there is none."""


@dataclass(frozen=True)
class SignIn:
    """What a sign-in needs. `password` never shows in a repr (a crash report may hold one)."""

    server: str  # normalised service URL
    username: str
    password: str = field(default="", repr=False)
    remember: bool | None = False  # None: a password already kept stays as it is kept
    soap_version: str = "1.1"


@dataclass(frozen=True)
class SessionInfo:
    """A signed-in VETtrak (or the demo). The token lives in the client and the keyring only."""

    server: str
    username: str
    demo: bool
    status: SmsStatus


def token_refused(error: BaseException) -> bool:
    """The one rule for dropping a stored token: VETtrak refused it (expired or otherwise).

    A VETtrak without the SMS extension refuses the call, not the token: that token stays.
    """
    return isinstance(error, ServerRefused) and not isinstance(error, SmsNotEnabled)


class Session:
    """Owns the VETtrak client of one signed-in user (or the demo's simulator)."""

    def __init__(
        self,
        *,
        credentials: Callable[[], CredentialStore] | None = None,
        ask_password: PasswordSource | None = None,
        on_exchange: Callable[[SoapExchange], None] | None = None,
        on_note: Callable[[str], None] | None = None,
        read_timeout: float = 60,
        ca_file: str | None = None,
        proxy: str | None = None,
        proxy_username: str | None = None,
    ) -> None:
        """`credentials` makes the CredentialStore when first needed (tests inject one);
        `ask_password` is asked when a re-login finds no kept password; `on_note` hears
        plain-English notes about the keyring (a password kept in memory only, say)."""
        self._make_credentials = credentials or _system_credentials
        self._credentials: CredentialStore | None = None
        self._ask_password = ask_password
        self._on_exchange = on_exchange
        self._on_note = on_note
        self._read_timeout = read_timeout
        self.set_network(ca_file=ca_file, proxy=proxy, proxy_username=proxy_username)
        self._client: VettrakClient | None = None
        self._info: SessionInfo | None = None
        self._simulator: SimulatorServer | None = None
        self._identity: tuple[str, str] = ("", "")
        self._may_ask = True
        # Replaced whole, never changed in place: read from any thread by known_secrets().
        self._secrets: tuple[str, ...] = ()

    # --- state ---

    @property
    def info(self) -> SessionInfo | None:
        return self._info

    @property
    def client(self) -> VettrakClient | None:
        return self._client

    @property
    def simulator(self) -> SimulatorServer | None:
        return self._simulator

    def keyring_info(self) -> KeyringInfo:
        """Which keyring keeps the secrets (may wait on the OS)."""
        return self._store().info

    def known_secrets(self) -> tuple[str, ...]:
        """The passwords and tokens this session has held in memory, for masking crash reports
        and logs (callable from any thread). The demo's public password is not among them."""
        client = self._client
        token = client.token if client is not None else None
        return (*self._secrets, token) if token and token not in self._secrets else self._secrets

    def set_network(
        self, *, ca_file: str | None, proxy: str | None, proxy_username: str | None = None
    ) -> None:
        """The organisation CA file (added to the computer's trust store), the proxy setting
        (None: the environment's and the system's) and the user the proxy knows, for the next
        sign-in. The proxy's password is looked up in the keyring then."""
        from vtsms_gui.api.proxy import normalise_proxy_url

        self._ca_file = ca_file or None
        self._proxy = normalise_proxy_url(proxy) if proxy else None  # the keyring's key too
        self._proxy_username = proxy_username or None

    def keep_proxy_password(self, proxy: str, username: str, password: str) -> None:
        """Remember the proxy's password in the keyring (in memory if there is none)."""
        self._store().set_proxy_password(proxy, username, password, remember=True)

    def keep_proxy_password_for_now(self, proxy: str, username: str, password: str) -> None:
        """The proxy's password in memory for this session only."""
        self._store().set_proxy_password(proxy, username, password, remember=False)

    # --- signing in ---

    def sign_in(self, request: SignIn) -> SessionInfo:
        """Log in with a password; the token (and the password, in memory at least, so that a
        token expiring mid-send can be renewed) go to the credential store."""
        client = self._new_client(request.server, request.soap_version)
        self._identity = (request.server, request.username)
        self._hold(request.password)
        result = client.login(request.username, request.password)
        self._hold(result.token)
        store = self._store()
        store.set_token(request.server, request.username, result.token)
        if request.remember is not None:
            store.set_password(
                request.server, request.username, request.password, remember=request.remember
            )
        self._note(store)
        return self._signed_in(request.server, request.username, demo=False)

    def resume(
        self, server: str, username: str, soap_version: str = "1.1", *, may_ask: bool = False
    ) -> SessionInfo:
        """Use the stored token while VETtrak accepts it. An expired one is renewed with a kept
        password (or, if `may_ask`, one asked for). A refused token is dropped, and the error
        raised: the caller then signs in with a password."""
        store = self._store()
        token = store.get_token(server, username)
        if not token:
            raise TokenExpired("Sign in to continue.", status=None)
        self._hold(token)
        client = self._new_client(server, soap_version)
        self._identity = (server, username)
        client.token = token
        self._may_ask = may_ask
        try:
            return self._signed_in(server, username, demo=False)
        except Exception as error:
            if token_refused(error):
                store.delete_token(server, username)
            raise
        finally:
            self._may_ask = True

    def connect(self, server: str, username: str, soap_version: str = "1.1") -> SessionInfo:
        """The command line's way in: the stored token if VETtrak still takes it, else a
        password (kept, else asked for) sign-in, kept in memory for a re-login."""
        try:
            return self.resume(server, username, soap_version, may_ask=True)
        except Exception as error:
            if not (token_refused(error) or _no_token(error)):
                raise
        password = self._password_for(server, username, may_ask=True)
        if not password:
            raise TokenExpired(f"No password for {username} was given.", status=None)
        return self.sign_in(
            SignIn(server, username, password, remember=None, soap_version=soap_version)
        )

    def start_demo(self) -> SessionInfo:
        """Start the built-in simulator (once) and log in to it as the demo user."""
        from vtsms_gui.simulator.server import DEMO_PASSWORD, DEMO_USERNAME, SimulatorServer

        if self._simulator is None:
            self._simulator = SimulatorServer(port=0).start()
        url = self._simulator.url
        client = self._new_client(url, "1.1", local=True)
        self._identity = (url, DEMO_USERNAME)
        client.login(DEMO_USERNAME, DEMO_PASSWORD)
        # In memory only, like any password not remembered: a token expiry renews silently.
        self._store().set_password(url, DEMO_USERNAME, DEMO_PASSWORD, remember=False)
        return self._signed_in(url, DEMO_USERNAME, demo=True)

    def refresh_status(self) -> SmsStatus:
        """GetSMSStatus again: the SMS service's state and the credit left."""
        if self._client is None or self._info is None:
            raise TokenExpired("Sign in to continue.", status=None)
        status = self._client.get_sms_status()
        info = self._info
        self._info = SessionInfo(info.server, info.username, info.demo, status)
        return status

    # --- ending ---

    def sign_out(self) -> None:
        """Forget the token (and a remembered password) of this session; stop the demo."""
        info, self._info = self._info, None
        if info is not None and not info.demo:
            self._store().forget(info.server, info.username)
        self.close()

    def close(self) -> None:
        """Close the client and stop the demo server; the stored token stays for next time."""
        client, self._client = self._client, None
        simulator, self._simulator = self._simulator, None
        if client is not None:
            client.close()
        if simulator is not None:
            simulator.stop()

    # --- inside ---

    def _store(self) -> CredentialStore:
        if self._credentials is None:
            self._credentials = self._make_credentials()
        return self._credentials

    def _new_client(self, server: str, soap_version: str, *, local: bool = False) -> VettrakClient:
        """`local`: the demo's simulator on this computer, reached directly, never by proxy."""
        from vtsms_gui.api.client import VettrakClient

        if self._client is not None:
            self._client.close()
        self._client = None
        config = self.client_config(server, soap_version, local=local)
        self._client = VettrakClient(config, relogin=self._relogin, on_exchange=self._on_exchange)
        return self._client

    def client_config(
        self, server: str, soap_version: str = "1.1", *, local: bool = False
    ) -> ClientConfig:
        """How a sign-in to `server` reaches it: the organisation CA file, the proxy setting
        and the proxy's password from the keyring (held, so logs mask it). The connection
        check uses it too, so "Test connection" takes the same way as the sign-in.
        `local`: the demo's simulator on this computer, reached directly, never by proxy."""
        from vtsms_gui.api.config import ClientConfig

        proxy_user, proxy_password = None, None
        if not local and self._proxy and self._proxy != "direct" and self._proxy_username:
            proxy_user = self._proxy_username
            proxy_password = self._store().get_proxy_password(self._proxy, proxy_user)
            if proxy_password:
                self._hold(proxy_password)
        return ClientConfig(
            service_url=server,
            soap_version=soap_version,
            read_timeout=self._read_timeout,
            ca_file=None if local else self._ca_file,
            proxy="direct" if local else self._proxy,
            proxy_username=proxy_user if proxy_password else None,
            proxy_password=proxy_password,
        )

    def _signed_in(self, server: str, username: str, *, demo: bool) -> SessionInfo:
        assert self._client is not None
        self._info = SessionInfo(server, username, demo, self._client.get_sms_status())
        return self._info

    def _relogin(self) -> str:
        """The client's callback when VETtrak says the token expired: log in once more."""
        server, username = self._identity
        password = self._password_for(server, username, may_ask=self._may_ask)
        if not password:
            raise TokenExpired("The VETtrak login expired and no password was given.", status=None)
        assert self._client is not None
        self._hold(password)
        result = self._client.login(username, password)
        self._hold(result.token)
        store = self._store()
        store.set_token(server, username, result.token)
        with contextlib.suppress(ValueError):
            store.set_password(server, username, password, remember=False)
        self._note(store)
        return result.token

    def _password_for(self, server: str, username: str, *, may_ask: bool) -> str | None:
        password = self._store().get_password(server, username)
        if not password and may_ask and self._ask_password is not None:
            password = self._ask_password(server, username)
            if password:
                # Kept in memory for this session only: a re-login after an expiry needs it.
                with contextlib.suppress(ValueError):
                    self._store().set_password(server, username, password, remember=False)
        return password or None

    def _hold(self, *secrets: str) -> None:
        new = tuple(s for s in secrets if s and s not in self._secrets)
        if new:
            self._secrets = (*self._secrets, *new)

    def _note(self, store: CredentialStore) -> None:
        if store.last_problem and self._on_note is not None:
            self._on_note(store.last_problem)


def _no_token(error: BaseException) -> bool:
    return isinstance(error, TokenExpired) and error.status is None


def _system_credentials() -> CredentialStore:
    from vtsms_gui.storage.credentials import CredentialStore

    return CredentialStore()


__all__ = ["PasswordSource", "Session", "SessionInfo", "SignIn", "token_refused"]
