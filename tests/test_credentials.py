"""CredentialStore against injected keyring backends, and the app folders of storage.paths."""

from __future__ import annotations

import logging
import stat
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, Windows, chainer, fail, kwallet, libsecret, macOS, null
from keyring.compat.properties import classproperty
from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError
from secretstorage.exceptions import PromptDismissedException

from vtsms_gui.storage import paths
from vtsms_gui.storage.credentials import (
    NO_KEYRING,
    SERVICE_NAME,
    CredentialStore,
    inspect_keyring,
    keyring_key,
    normalise_server_url,
)

SERVER = "https://vt.example.edu.au/VT_API.asmx"
OTHER_SERVER = "https://other.example.edu.au/VT_API.asmx"
VETTRAK_TOKEN = "'&7%+>-\"6(+!56$0>345"  # a real token's shape, from VETTRAK_API.md


class MemoryKeyring(KeyringBackend):
    """A recommended (priority 1) keyring that keeps entries in a dict, like the real ones do."""

    priority: float = 1
    # Not a candidate for keyring's own discovery: this process's real keyring stays real.
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")  # as SecretService and WinVault do


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's PlaintextKeyring (a base64 file), as keyring would load it."""

    __module__ = "keyrings.alt.file"
    priority = 0.5


class AltRegistryKeyring(MemoryKeyring):
    """Any keyrings.alt backend is refused, whatever priority it claims."""

    __module__ = "keyrings.alt.Windows"
    priority = 5


class UnrecommendedKeyring(MemoryKeyring):
    """A third-party backend that keyring itself does not recommend (priority below 1)."""

    priority = 0.9


class FailingKeyring(MemoryKeyring):
    """A recommended keyring whose every call raises `error` (locked, D-Bus gone, ...)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class EmptyChainer(chainer.ChainerBackend):
    """keyring's chainer on a machine where it found nothing to chain."""

    backends: list[KeyringBackend] = []  # noqa: RUF012 - shadows keyring's class property
    viable = False


@pytest.fixture
def backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store(backend: MemoryKeyring) -> CredentialStore:
    return CredentialStore(backend)


# --- round trips and the key scheme


@pytest.mark.parametrize(
    "token", [VETTRAK_TOKEN, "&<>\"'", "<a>&amp;</a>", " spaces kept ", "ünïcødé ✓ 🙂"]
)
def test_token_round_trips_intact_through_the_keyring(
    store: CredentialStore, backend: MemoryKeyring, token: str
) -> None:
    store.set_token(SERVER, "jo", token)

    assert backend.entries == {(SERVICE_NAME, f"{SERVER}|jo|token"): token}
    assert CredentialStore(backend).get_token(SERVER, "jo") == token  # a new session reads it
    assert store.last_problem is None


def test_keys_follow_the_documented_scheme() -> None:
    assert SERVICE_NAME == "vtsms-gui"
    assert keyring_key(SERVER, "jo", "token") == f"{SERVER}|jo|token"
    assert keyring_key(SERVER, "jo", "password") == f"{SERVER}|jo|password"


def test_server_url_normalising_lowers_scheme_and_host_only() -> None:
    assert (
        normalise_server_url("HTTPS://Jo:Pw@VT.Example.EDU.au:8443/VETtrak/VT_API.asmx?WSDL")
        == "https://Jo:Pw@vt.example.edu.au:8443/VETtrak/VT_API.asmx?WSDL"
    )
    assert normalise_server_url("http://[::1]:8080/Api") == "http://[::1]:8080/Api"


def test_the_same_server_typed_differently_finds_the_same_token(store: CredentialStore) -> None:
    store.set_token("HTTPS://VT.EXAMPLE.EDU.AU/VT_API.asmx", "jo", "t1")

    assert store.get_token(SERVER, "jo") == "t1"
    assert store.get_token("https://vt.example.edu.au/vt_api.asmx", "jo") is None  # path kept


def test_tokens_are_kept_apart_per_server_and_username(store: CredentialStore) -> None:
    store.set_token(SERVER, "jo", "jo-here")
    store.set_token(SERVER, "sam", "sam-here")
    store.set_token(OTHER_SERVER, "jo", "jo-there")

    assert store.get_token(SERVER, "jo") == "jo-here"
    assert store.get_token(SERVER, "sam") == "sam-here"
    assert store.get_token(OTHER_SERVER, "jo") == "jo-there"
    assert store.get_token(OTHER_SERVER, "sam") is None
    assert store.get_password(SERVER, "jo") is None  # a token is not a password


def test_setting_a_token_again_replaces_it(store: CredentialStore) -> None:
    store.set_token(SERVER, "jo", "old")
    store.set_token(SERVER, "jo", "new")

    assert store.get_token(SERVER, "jo") == "new"


def test_delete_token_removes_it_and_deleting_nothing_is_fine(
    store: CredentialStore, backend: MemoryKeyring
) -> None:
    store.set_token(SERVER, "jo", "t1")
    store.delete_token(SERVER, "jo")
    store.delete_token(SERVER, "jo")

    assert store.get_token(SERVER, "jo") is None
    assert backend.entries == {}
    assert store.last_problem is None


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.set_token(SERVER, "jo", ""),
        lambda s: s.set_password(SERVER, "jo", "", remember=True),
        lambda s: s.set_password(SERVER, "jo", "", remember=False),
        lambda s: s.get_token(" ", "jo"),
        lambda s: s.get_token(SERVER, ""),
    ],
)
def test_empty_values_are_refused(
    store: CredentialStore, call: Callable[[CredentialStore], object]
) -> None:
    with pytest.raises(ValueError, match="empty"):
        call(store)


# --- passwords: remember me, forget


def test_a_remembered_password_is_in_the_keyring(
    store: CredentialStore, backend: MemoryKeyring
) -> None:
    store.set_password(SERVER, "jo", VETTRAK_TOKEN, remember=True)

    assert backend.entries == {(SERVICE_NAME, f"{SERVER}|jo|password"): VETTRAK_TOKEN}
    assert CredentialStore(backend).get_password(SERVER, "jo") == VETTRAK_TOKEN


def test_a_password_not_remembered_lasts_the_session_only_and_unsaves_the_old_one(
    store: CredentialStore, backend: MemoryKeyring
) -> None:
    store.set_password(SERVER, "jo", "remembered", remember=True)
    store.set_password(SERVER, "jo", "this-session", remember=False)

    assert store.get_password(SERVER, "jo") == "this-session"  # for re-login after expiry
    assert backend.entries == {}
    assert CredentialStore(backend).get_password(SERVER, "jo") is None  # the next session
    assert store.last_problem is None


def test_remembering_a_session_password_later_saves_it(
    store: CredentialStore, backend: MemoryKeyring
) -> None:
    store.set_password(SERVER, "jo", "pw", remember=False)
    store.set_password(SERVER, "jo", "pw", remember=True)

    assert CredentialStore(backend).get_password(SERVER, "jo") == "pw"


def test_forget_removes_token_and_password_of_that_login_only(
    store: CredentialStore, backend: MemoryKeyring
) -> None:
    store.set_token(SERVER, "jo", "t1")
    store.set_password(SERVER, "jo", "pw", remember=True)
    store.set_password(OTHER_SERVER, "jo", "pw2", remember=False)
    store.set_token(SERVER, "sam", "t2")

    store.forget(SERVER, "jo")
    store.forget(OTHER_SERVER, "jo")

    assert store.get_token(SERVER, "jo") is None
    assert store.get_password(SERVER, "jo") is None
    assert store.get_password(OTHER_SERVER, "jo") is None
    assert backend.entries == {(SERVICE_NAME, f"{SERVER}|sam|token"): "t2"}
    assert store.last_problem is None


# --- which keyring, and memory when there is none


def test_a_recommended_backend_is_secure(store: CredentialStore) -> None:
    assert store.info.secure
    assert store.info.backend_name == f"{MemoryKeyring.__module__}.MemoryKeyring"
    assert store.info.summary == "Sign-ins are saved in the MemoryKeyring keyring."


@pytest.mark.parametrize(
    ("system_class", "description"),
    [
        (Windows.WinVaultKeyring, "Windows Credential Manager"),
        (macOS.Keyring, "macOS Keychain"),
        (SecretService.Keyring, "the desktop keyring (Secret Service)"),
        (libsecret.Keyring, "the desktop keyring (Secret Service)"),
        (kwallet.DBusKeyring, "KWallet"),
        (kwallet.DBusKeyringKWallet4, "KWallet"),
    ],
)
def test_system_keyrings_are_named_as_users_know_them(
    system_class: type[KeyringBackend], description: str
) -> None:
    # A subclass viable here, so the real class's platform probe (D-Bus, Windows API) is skipped.
    viable_here = type("ViableHere", (system_class,), {"priority": 5, "viable": False})

    info = inspect_keyring(viable_here())

    assert info.secure
    assert info.description == description
    assert info.summary == f"Sign-ins are saved in {description}."


def _not_viable_secret_service() -> KeyringBackend:
    def no_service(cls: type) -> float:
        raise RuntimeError("The Secret Service daemon is neither running nor activatable")

    cls = type(
        "NoDaemon",
        (SecretService.Keyring,),
        {"priority": classproperty(no_service), "viable": False},
    )
    return cls()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "make_backend",
    [
        fail.Keyring,
        null.Keyring,
        EmptyChainer,
        _not_viable_secret_service,
        PlaintextKeyring,
        AltRegistryKeyring,
        UnrecommendedKeyring,
    ],
    ids=[
        "fail",
        "null",
        "empty-chainer",
        "secret-service-not-running",
        "plaintext",
        "keyrings.alt",
        "priority<1",
    ],
)
def test_without_a_secure_keyring_secrets_stay_in_memory_and_the_user_is_told(
    make_backend: Callable[[], KeyringBackend],
) -> None:
    backend = make_backend()
    store = CredentialStore(backend)

    assert not store.info.secure
    assert store.info.description.startswith(NO_KEYRING)
    assert store.info.summary.startswith("Sign-ins are kept only until the program closes")

    store.set_token(SERVER, "jo", VETTRAK_TOKEN)
    assert store.last_problem == (
        "Your VETtrak login is kept only until the program closes: "
        f"there is {store.info.description}."
    )
    store.set_password(SERVER, "jo", "pw", remember=True)
    assert store.last_problem is not None
    assert store.last_problem.startswith("Your password is kept only until the program closes")

    assert store.get_token(SERVER, "jo") == VETTRAK_TOKEN
    assert store.get_password(SERVER, "jo") == "pw"
    assert store.last_problem is None  # reading memory is no problem
    assert getattr(backend, "entries", {}) == {}  # nothing ever reached the backend
    assert CredentialStore(backend).get_token(SERVER, "jo") is None  # gone with the session
    store.forget(SERVER, "jo")
    assert store.get_token(SERVER, "jo") is None
    assert store.get_password(SERVER, "jo") is None


def test_a_plaintext_backend_is_refused_by_name(store: CredentialStore) -> None:
    info = CredentialStore(PlaintextKeyring()).info

    assert info.backend_name == "keyrings.alt.file.PlaintextKeyring"
    assert info.description == (
        f"{NO_KEYRING} (PlaintextKeyring was found, but it does not protect passwords)"
    )


def test_a_chainer_is_judged_by_the_backend_it_writes_to(backend: MemoryKeyring) -> None:
    class SecureFirst(chainer.ChainerBackend):
        backends = [backend, PlaintextKeyring()]  # noqa: RUF012 - shadows keyring's property
        viable = False

    class PlaintextFirst(chainer.ChainerBackend):
        backends = [PlaintextKeyring(), backend]  # noqa: RUF012 - shadows keyring's property
        viable = False

    secure = CredentialStore(SecureFirst())
    secure.set_token(SERVER, "jo", "t1")

    assert secure.info.secure
    assert secure.info.backend_name == f"{MemoryKeyring.__module__}.MemoryKeyring"
    assert backend.entries == {(SERVICE_NAME, f"{SERVER}|jo|token"): "t1"}
    assert not CredentialStore(PlaintextFirst()).info.secure


def test_the_default_is_the_keyring_that_keyring_chooses(
    monkeypatch: pytest.MonkeyPatch, backend: MemoryKeyring
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)

    CredentialStore().set_token(SERVER, "jo", "t1")

    assert backend.entries == {(SERVICE_NAME, f"{SERVER}|jo|token"): "t1"}


def test_a_broken_keyring_set_up_means_no_keyring_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> KeyringBackend:
        raise ValueError("keyringrc.cfg names a backend that is not installed")

    monkeypatch.setattr(keyring, "get_keyring", broken)

    assert CredentialStore().info.description == NO_KEYRING


# --- keyring errors degrade, never crash


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (KeyringLocked("Failed to unlock the collection!"), "it is locked"),
        (PromptDismissedException("Prompt dismissed."), "it is locked"),
        (PasswordSetError("reason"), "it refused the request"),
        (ConnectionResetError("D-Bus connection closed"), "ConnectionResetError"),
    ],
)
def test_a_failing_keyring_keeps_the_token_for_the_session_and_says_why(
    error: Exception, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = CredentialStore(FailingKeyring(error))

    store.set_token(SERVER, "jo", VETTRAK_TOKEN)

    assert store.last_problem is not None
    assert store.last_problem.startswith(
        "Could not save your VETtrak login in the FailingKeyring keyring: "
    )
    assert reason in store.last_problem
    assert store.last_problem.endswith("It is kept only until the program closes.")
    assert store.get_token(SERVER, "jo") == VETTRAK_TOKEN  # from memory: the keyring is not asked
    assert store.last_problem is None
    assert [r.levelno for r in caplog.records] == [logging.WARNING]


def test_failing_reads_and_deletes_are_reported_not_raised() -> None:
    store = CredentialStore(FailingKeyring(KeyringLocked("Failed to unlock the item!")))

    assert store.get_token(SERVER, "jo") is None
    assert store.last_problem == (
        "Could not read from the FailingKeyring keyring: "
        "it is locked, and unlocking it was cancelled or failed."
    )
    store.delete_token(SERVER, "jo")
    assert store.last_problem is not None
    assert store.last_problem.startswith(
        "Could not remove your VETtrak login from the FailingKeyring keyring"
    )
    store.set_password(SERVER, "jo", "pw", remember=False)  # must un-save: the delete fails
    assert store.last_problem is not None
    assert store.last_problem.startswith("Could not remove your password")
    assert store.get_password(SERVER, "jo") == "pw"
    store.forget(SERVER, "jo")
    assert store.get_password(SERVER, "jo") is None


def test_a_keyring_that_recovers_is_used_again(backend: MemoryKeyring) -> None:
    class FlakyKeyring(MemoryKeyring):
        down = True

        def set_password(self, service: str, username: str, password: str) -> None:
            if self.down:
                raise KeyringLocked("Failed to unlock the collection!")
            super().set_password(service, username, password)

    flaky = FlakyKeyring()
    store = CredentialStore(flaky)
    store.set_token(SERVER, "jo", "while-locked")
    flaky.down = False
    store.set_token(SERVER, "jo", "after-unlock")

    assert store.last_problem is None
    assert CredentialStore(flaky).get_token(SERVER, "jo") == "after-unlock"
    assert store.get_token(SERVER, "jo") == "after-unlock"  # the stale memory copy is gone


# --- secrets never shown


@pytest.mark.parametrize("secret", [VETTRAK_TOKEN, "back\\slash", "tab\tand\nnewline"])
def test_no_repr_or_log_shows_a_secret(secret: str, caplog: pytest.LogCaptureFixture) -> None:
    class Leaky(FailingKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise PasswordSetError(f"could not store {password!r} (as typed: {password})")

    store = CredentialStore(Leaky(KeyringLocked("locked")))
    store.set_token(SERVER, "jo", secret)
    store.set_password(SERVER, "jo", f"pw-{secret}", remember=False)
    insecure = CredentialStore(null.Keyring())
    insecure.set_token(SERVER, "jo", secret)

    shown = [repr(store), str(store), repr(insecure), repr(vars(store)), caplog.text]
    shown += [str(store.last_problem), str(insecure.last_problem)]
    for text in shown:
        assert secret not in text
        assert repr(secret)[1:-1] not in text
    assert "in_memory=<2 secret(s) ********>" in repr(store)
    assert "could not store '" in caplog.text  # the backend's own words are logged...
    assert "(as typed: ********)" in caplog.text  # ...with the secret masked


# --- threads


class NotThreadSafeKeyring(MemoryKeyring):
    """Counts calls that overlap, as happens to D-Bus backends used from two threads at once."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = 0
        self.overlaps = 0

    def _enter(self) -> None:
        self.inside += 1
        if self.inside > 1:
            self.overlaps += 1
        time.sleep(0.0002)  # widen the window a second thread would need
        self.inside -= 1

    def get_password(self, service: str, username: str) -> str | None:
        self._enter()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._enter()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._enter()
        super().delete_password(service, username)


def test_threads_hammering_the_keyring_never_overlap() -> None:
    backend = NotThreadSafeKeyring()
    stores = [CredentialStore(backend), CredentialStore(backend)]  # one lock for all stores

    def session(worker: int) -> None:
        store, user = stores[worker % 2], f"user{worker}"
        for round_ in range(40):
            store.set_token(SERVER, user, f"{VETTRAK_TOKEN}{round_}")
            assert store.get_token(SERVER, user) == f"{VETTRAK_TOKEN}{round_}"
            store.set_password(SERVER, user, f"pw{round_}", remember=round_ % 2 == 0)
            assert store.get_password(SERVER, user) == f"pw{round_}"
        store.delete_token(SERVER, user)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(session, range(8)))

    assert backend.overlaps == 0
    assert backend.entries == {}  # the last passwords were not remembered, tokens were deleted
    assert all(store.last_problem is None for store in stores)


# --- app folders (storage.paths)


def test_vtsms_home_puts_every_folder_under_it_created_on_demand(isolated_home: Path) -> None:
    folders = paths.app_folders()

    assert folders == paths.AppFolders(
        data=isolated_home / "data",
        config=isolated_home / "config",
        cache=isolated_home / "cache",
        log=isolated_home / "log",
    )
    assert not folders.data.exists()  # working them out creates nothing
    made = [paths.data_dir(), paths.config_dir(), paths.cache_dir(), paths.log_dir()]
    assert made == [folders.data, folders.config, folders.cache, folders.log]
    assert all(folder.is_dir() for folder in made)
    assert paths.data_dir() == folders.data  # a second call is fine


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_created_folders_are_private_to_the_user(isolated_home: Path) -> None:
    assert stat.S_IMODE(paths.data_dir().stat().st_mode) == 0o700


def test_a_relative_vtsms_home_is_made_absolute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(paths.HOME_ENV, "portable")

    assert paths.log_dir() == tmp_path / "portable" / "log"


def test_without_vtsms_home_the_platform_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HOME_ENV)
    folders = paths.app_folders()

    for folder in (folders.data, folders.config, folders.cache, folders.log):
        assert folder.is_absolute()
        assert "vtsms-gui" in folder.parts
        assert folder.parts.count("vtsms-gui") == 1  # no "vtsms-gui/vtsms-gui" app-author level


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are the Linux convention")
def test_linux_folders_follow_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.HOME_ENV, "")  # set but empty counts as unset
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable))

    assert paths.data_dir() == tmp_path / "XDG_DATA_HOME" / "vtsms-gui"
    assert paths.config_dir() == tmp_path / "XDG_CONFIG_HOME" / "vtsms-gui"
    assert paths.cache_dir() == tmp_path / "XDG_CACHE_HOME" / "vtsms-gui"
    assert paths.log_dir() == tmp_path / "XDG_STATE_HOME" / "vtsms-gui" / "log"
    assert paths.data_dir().is_dir()


def test_a_proxy_password_is_kept_like_the_others() -> None:
    from keyring.backends import null as null_backend

    store = CredentialStore(null_backend.Keyring())
    proxy = "http://proxy.example.org:8080"
    store.set_proxy_password(proxy, "office", "pr0xy&pass", remember=True)
    assert store.get_proxy_password(proxy, "office") == "pr0xy&pass"
    assert "pr0xy" not in repr(store)
    store.forget_proxy_password(proxy, "office")
    assert store.get_proxy_password(proxy, "office") is None
