"""VETtrak tokens and passwords in the operating system's keyring, or in memory when it has none.

Keys: every secret is stored under the service name ``vtsms-gui`` with the keyring "username"
``f"{normalised_server_url}|{username}|token"`` or ``...|password`` (a proxy's password:
``f"{proxy_url}|{proxy_username}|proxy-password"``), where the server URL has its
scheme and host lower-cased and everything else kept as typed (see `normalise_server_url`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.backends.chainer import ChainerBackend
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
)

try:  # secretstorage exists only where keyring uses it (Linux); elsewhere nothing raises these.
    from secretstorage.exceptions import LockedException, PromptDismissedException

    _LOCKED_ERRORS: tuple[type[Exception], ...] = (
        KeyringLocked,
        LockedException,
        PromptDismissedException,
    )
except ImportError:  # pragma: no cover - depends on the platform
    _LOCKED_ERRORS = (KeyringLocked,)

SERVICE_NAME = "vtsms-gui"

_FREEDESKTOP_KEYRING = "the desktop keyring (Secret Service)"
# Backends that keep secrets encrypted by the operating system, by class (subclasses count too);
# named as a user would know them. Class paths, so none of them has to import on other platforms.
_SYSTEM_KEYRINGS = {
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.SecretService.Keyring": _FREEDESKTOP_KEYRING,
    "keyring.backends.libsecret.Keyring": _FREEDESKTOP_KEYRING,
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
}
_NO_KEYRING_BACKENDS = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}
NO_KEYRING = "no secure keyring on this computer"

SecretKind = Literal["token", "password", "proxy-password"]
_WHAT = {
    "token": "your VETtrak login",
    "password": "your password",
    "proxy-password": "the proxy password",
}

# Backends are process-wide and some (D-Bus ones) are not thread-safe: one lock for all stores.
_KEYRING_LOCK = threading.RLock()
# Backend failures: calls into a backend catch Exception because backends are plug-ins raising
# their own types besides KeyringError (jeepney's DBusErrorResponse, secretstorage's errors,
# dbus-python's DBusException, pywintypes.error, OSError from a dead socket), and a keyring
# failure must never crash a send. Each such try holds the backend call alone.
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyringInfo:
    """Which keyring holds the secrets, and whether it is one we trust with them."""

    secure: bool
    """False: secrets are kept in memory only, until the app closes."""
    backend_name: str
    """The keyring backend's class, for bug reports."""
    description: str
    """Plain English for the user, e.g. "macOS Keychain" or "no secure keyring on this computer"."""

    @property
    def summary(self) -> str:
        """One sentence for the login dialog or the command line."""
        if self.secure:
            return f"Sign-ins are saved in {self.description}."
        return f"Sign-ins are kept only until the program closes: there is {self.description}."


def normalise_server_url(url: str) -> str:
    """The server URL as keyed in the keyring: scheme and host lower-cased, the rest as typed.

    (urllib drops an empty trailing "?" or "#", which changes nothing the server sees.)
    """
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{userinfo}{at}{host.lower()}"))


def keyring_key(server: str, username: str, kind: SecretKind) -> str:
    """The keyring "username" under which one secret is stored (service name `SERVICE_NAME`).

    URLs and VETtrak usernames are not expected to contain "|"; the plain layout keeps the
    entries readable in the system's keyring manager.
    """
    if not server.strip():
        raise ValueError("The server address is empty.")
    if not username:
        raise ValueError("The username is empty.")
    return f"{normalise_server_url(server)}|{username}|{kind}"


def inspect_keyring(backend: KeyringBackend) -> KeyringInfo:
    """Say whether `backend` is a real system keyring, and name it for the user."""
    storing = backend
    if isinstance(backend, ChainerBackend):
        # The chainer writes to the first (highest priority) backend it chains, if any.
        chained = _chained_backends(backend)
        if not chained:
            return KeyringInfo(False, _class_path(type(backend)), NO_KEYRING)
        storing = chained[0]
    name = _class_path(type(storing))
    priority = _priority(storing)
    if priority is None:  # not viable here, e.g. no Secret Service on the D-Bus session bus
        return KeyringInfo(False, name, NO_KEYRING)
    for cls in type(storing).__mro__:
        if _class_path(cls) in _NO_KEYRING_BACKENDS:
            return KeyringInfo(False, name, NO_KEYRING)
        if (system_name := _SYSTEM_KEYRINGS.get(_class_path(cls))) is not None:
            return KeyringInfo(True, name, system_name)
    display = type(storing).__name__
    # keyring itself recommends only backends of priority 1 or more; keyrings.alt is its
    # collection of files "less secure" than a system keyring (its PlaintextKeyring is base64).
    if name.startswith("keyrings.alt.") or priority < 1:
        return KeyringInfo(
            False, name, f"{NO_KEYRING} ({display} was found, but it does not protect passwords)"
        )
    return KeyringInfo(True, name, f"the {display} keyring")


class CredentialStore:
    """Tokens and passwords per server and username: in the keyring when it is secure, else in
    memory for this session. Keyring trouble never raises: it is noted in `last_problem`.

    Calls may wait for the user (a keyring unlock prompt): make them from a worker thread.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        """`backend`: None for the system's keyring (as keyring chooses it); tests inject one."""
        with _KEYRING_LOCK:
            if backend is None:
                backend = _system_backend()
            self._backend = backend
            self._info = inspect_keyring(backend)
        self._memory = _SessionSecrets()
        self._last_problem: str | None = None

    @property
    def info(self) -> KeyringInfo:
        """The keyring in use, for the login dialog."""
        return self._info

    @property
    def last_problem(self) -> str | None:
        """A plain-English note when the latest call could not use the keyring, else None."""
        return self._last_problem

    def get_token(self, server: str, username: str) -> str | None:
        """The saved token, or None."""
        return self._get(keyring_key(server, username, "token"))

    def set_token(self, server: str, username: str, token: str) -> None:
        """Save the token (in memory only, with a `last_problem` note, if the keyring can't)."""
        self._save(keyring_key(server, username, "token"), token, "token")

    def delete_token(self, server: str, username: str) -> None:
        """Forget the token, wherever it is kept."""
        self._delete_all([(keyring_key(server, username, "token"), "token")])

    def get_password(self, server: str, username: str) -> str | None:
        """The password from this session, else the remembered one, else None."""
        return self._get(keyring_key(server, username, "password"))

    def set_password(self, server: str, username: str, password: str, *, remember: bool) -> None:
        """Keep the password: in the keyring if `remember`, else only in memory for this session
        (to log in again when the token expires) and any remembered one is deleted."""
        key = keyring_key(server, username, "password")
        if remember:
            self._save(key, password, "password")
            return
        if not password:
            raise ValueError("The password is empty.")
        with _KEYRING_LOCK:
            self._last_problem = None
            self._memory.put(key, password)
            self._delete_from_keyring(key, "password")

    def get_proxy_password(self, proxy_url: str, username: str) -> str | None:
        """The proxy's password for `username` (keyed by the proxy's address), or None."""
        return self._get(keyring_key(proxy_url, username, "proxy-password"))

    def set_proxy_password(
        self, proxy_url: str, username: str, password: str, *, remember: bool
    ) -> None:
        """Keep a proxy password: in the keyring if `remember`, else in memory only."""
        key = keyring_key(proxy_url, username, "proxy-password")
        if remember:
            self._save(key, password, "proxy-password")
            return
        if not password:
            raise ValueError("The proxy password is empty.")
        with _KEYRING_LOCK:
            self._last_problem = None
            self._memory.put(key, password)
            self._delete_from_keyring(key, "proxy-password")

    def forget_proxy_password(self, proxy_url: str, username: str) -> None:
        self._delete_all([(keyring_key(proxy_url, username, "proxy-password"), "proxy-password")])

    def forget(self, server: str, username: str) -> None:
        """Forget the token and the password of this server and username."""
        self._delete_all(
            [
                (keyring_key(server, username, "token"), "token"),
                (keyring_key(server, username, "password"), "password"),
            ]
        )

    def __repr__(self) -> str:
        return (
            f"CredentialStore(keyring={self._info.description!r}, secure={self._info.secure}, "
            f"in_memory={self._memory!r})"
        )

    def _get(self, key: str) -> str | None:
        with _KEYRING_LOCK:
            self._last_problem = None
            remembered = self._memory.get(key)
            if remembered is not None or not self._info.secure:
                return remembered
            try:
                return self._backend.get_password(SERVICE_NAME, key)
            except Exception as error:  # noqa: BLE001 - see "Backend failures" above
                self._note(error, f"Could not read from {self._info.description}", secret=None)
                return None

    def _save(self, key: str, secret: str, kind: SecretKind) -> None:
        if not secret:
            raise ValueError(f"The {kind} is empty.")
        with _KEYRING_LOCK:
            self._last_problem = None
            if not self._info.secure:
                self._memory.put(key, secret)
                what = _WHAT[kind]
                self._last_problem = (
                    f"{what[:1].upper()}{what[1:]} is kept only until the program closes: "
                    f"there is {self._info.description}."
                )
                return
            try:
                self._backend.set_password(SERVICE_NAME, key, secret)
            except Exception as error:  # noqa: BLE001 - see "Backend failures" above
                self._memory.put(key, secret)
                self._note(
                    error,
                    f"Could not save {_WHAT[kind]} in {self._info.description}",
                    secret=secret,
                    then="It is kept only until the program closes.",
                )
            else:
                self._memory.pop(key)  # the keyring now holds the newest one

    def _delete_all(self, keys: list[tuple[str, SecretKind]]) -> None:
        with _KEYRING_LOCK:
            self._last_problem = None
            for key, kind in keys:
                self._memory.pop(key)
                self._delete_from_keyring(key, kind)

    def _delete_from_keyring(self, key: str, kind: SecretKind) -> None:
        if not self._info.secure:
            return
        try:
            self._backend.delete_password(SERVICE_NAME, key)
        except PasswordDeleteError:
            pass  # what backends raise when nothing was stored
        except Exception as error:  # noqa: BLE001 - see "Backend failures" above
            self._note(
                error, f"Could not remove {_WHAT[kind]} from {self._info.description}", secret=None
            )

    def _note(self, error: Exception, failed: str, *, secret: str | None, then: str = "") -> None:
        """Keep a plain-English note of a keyring failure, and log it without the secret."""
        self._last_problem = " ".join(filter(None, [f"{failed}: {_reason(error)}.", then]))
        detail = str(error)
        if secret:  # as typed, and as a repr() inside the message would escape it
            for shown in (secret, repr(secret)[1:-1]):
                detail = detail.replace(shown, _SessionSecrets.MASK)
        _log.warning("%s (%s: %s)", failed, type(error).__name__, detail)


class _SessionSecrets:
    """Secrets kept in memory for this session; its repr never shows them."""

    MASK = "********"
    __slots__ = ("_secrets",)

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._secrets.get(key)

    def put(self, key: str, secret: str) -> None:
        self._secrets[key] = secret

    def pop(self, key: str) -> None:
        self._secrets.pop(key, None)

    def __repr__(self) -> str:
        return f"<{len(self._secrets)} secret(s) {self.MASK}>"


def _reason(error: Exception) -> str:
    if isinstance(error, _LOCKED_ERRORS):
        return "it is locked, and unlocking it was cancelled or failed"
    if isinstance(error, (NoKeyringError, InitError)):
        return "it could not be opened"
    if isinstance(error, KeyringError):
        return "it refused the request"
    return f"it did not answer properly (technical detail: {type(error).__name__})"


def _system_backend() -> KeyringBackend:
    try:
        return keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring set-up (bad keyringrc) must not stop the app
        _log.warning("Could not load the system keyring", exc_info=True)
        return fail.Keyring()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated


def _chained_backends(chainer: ChainerBackend) -> list[KeyringBackend]:
    try:
        return list(type(chainer).backends)
    except Exception:  # noqa: BLE001 - probing third-party backends; failing means none usable
        _log.warning("Could not list the chained keyrings", exc_info=True)
        return []


def _priority(backend: KeyringBackend) -> float | None:
    """The backend's priority, or None if it is not viable here (keyring's own convention)."""
    try:
        return float(type(backend).priority)
    except Exception:  # noqa: BLE001 - priority raises whatever the backend's probe raised
        return None


def _class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
