"""CredentialStore's production path against a real Secret Service (gnome-keyring) on D-Bus.

Skipped where none is reachable; `.ci/secret-service.sh` provides one and makes a missing one fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from vtsms_gui.storage.credentials import SERVICE_NAME, CredentialStore, SecretKind, keyring_key

pytestmark = pytest.mark.secret_service

HELPER = Path(__file__).resolve().parents[1] / ".ci" / "secret-service.sh"
VETTRAK_TOKEN = "'&7%+>-\"6(+!56$0>345"  # a real token's shape, from VETTRAK_API.md


def _why_no_secret_service() -> str | None:
    """None when the session bus has a Secret Service with an unlocked default collection."""
    if sys.platform != "linux":
        return "the Secret Service is the Linux desktop keyring"
    import secretstorage
    from keyring.backends.SecretService import Keyring

    if not Keyring.viable:
        return "no Secret Service on the D-Bus session bus (run under .ci/secret-service.sh)"
    try:
        with closing(secretstorage.dbus_init()) as connection:
            # Collection(), not get_default_collection(): that one would create a collection,
            # prompting on a desktop.
            if secretstorage.Collection(connection).is_locked():
                return "the default keyring is locked (tests must not prompt to unlock it)"
    except secretstorage.exceptions.SecretStorageException as error:
        return f"the Secret Service has no usable default keyring ({error})"
    return None


@pytest.fixture(scope="module")
def real_secret_service() -> None:
    reason = _why_no_secret_service()
    if reason and os.environ.get("VTSMS_EXPECT_SECRET_SERVICE"):
        pytest.fail(f"secret-service.sh promised a Secret Service, but {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture
def server(real_secret_service: None) -> Iterator[str]:
    """A server URL of this test alone; whatever it stored is removed from the real keyring."""
    url = f"https://VT-{uuid.uuid4().hex}.Example.invalid/VT_API.asmx"
    yield url
    CredentialStore().forget(url, "jo")


def _stored_in_daemon(server: str, kind: SecretKind) -> str | None:
    """The secret as the daemon holds it, read with secretstorage rather than keyring."""
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        query = {"service": SERVICE_NAME, "username": keyring_key(server, "jo", kind)}
        items = list(secretstorage.Collection(connection).search_items(query))
        return items[0].get_secret().decode() if items else None


def test_the_real_keyring_is_the_desktop_secret_service(real_secret_service: None) -> None:
    info = CredentialStore().info

    assert info.secure
    assert "Secret Service" in info.description
    assert info.backend_name == "keyring.backends.SecretService.Keyring"


@pytest.mark.parametrize("token", [VETTRAK_TOKEN, "<x a=\"1\">&amp;</x> 'q' 🙂"])
def test_a_token_round_trips_through_the_daemon(server: str, token: str) -> None:
    CredentialStore().set_token(server, "jo", token)

    assert _stored_in_daemon(server, "token") == token  # really in gnome-keyring, not memory
    fresh = CredentialStore()
    assert fresh.get_token(server.replace("https:", "HTTPS:"), "jo") == token
    assert fresh.last_problem is None

    fresh.delete_token(server, "jo")

    assert _stored_in_daemon(server, "token") is None
    assert CredentialStore().get_token(server, "jo") is None


def test_remember_me_decides_whether_the_daemon_keeps_the_password(server: str) -> None:
    store = CredentialStore()

    store.set_password(server, "jo", VETTRAK_TOKEN, remember=True)
    assert _stored_in_daemon(server, "password") == VETTRAK_TOKEN

    store.set_password(server, "jo", "session-only", remember=False)
    assert _stored_in_daemon(server, "password") is None
    assert store.get_password(server, "jo") == "session-only"
    assert CredentialStore().get_password(server, "jo") is None


def test_forget_clears_the_daemon(server: str) -> None:
    store = CredentialStore()
    store.set_token(server, "jo", "t1")
    store.set_password(server, "jo", "pw", remember=True)

    store.forget(server, "jo")

    assert _stored_in_daemon(server, "token") is None
    assert _stored_in_daemon(server, "password") is None


_LOCKED_SESSION = """
import secretstorage
from contextlib import closing
from vtsms_gui.storage.credentials import CredentialStore

with closing(secretstorage.dbus_init()) as connection:
    secretstorage.Collection(connection).lock()
store = CredentialStore()
store.set_token("https://vt.example.invalid", "jo", "t1")
print(store.last_problem)
print(store.get_token("https://vt.example.invalid", "jo"))
"""


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-run-session and gnome-keyring-daemon (Debian: dbus, gnome-keyring)",
)
def test_a_locked_keyring_degrades_to_memory_without_hanging(tmp_path: Path) -> None:
    # A private daemon to lock, so the shared one stays unlocked. No display: the unlock prompt
    # fails at once, as when a user cancels it.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(HELPER.parents[1])
    done = subprocess.run(
        [str(HELPER), sys.executable, "-c", _LOCKED_SESSION],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    problem, token = done.stdout.splitlines()
    assert problem == (
        "Could not save your VETtrak login in the desktop keyring (Secret Service): "
        "it is locked, and unlocking it was cancelled or failed. "
        "It is kept only until the program closes."
    )
    assert token == "t1"
