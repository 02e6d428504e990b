"""Test-wide settings: headless Qt, an isolated home for app data, deterministic hypothesis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Before anything imports Qt: no screen is needed (tests that need a real X server start Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Shared CI machines are slow and noisy: judge hypothesis examples by their result, not speed.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own app folders: no test reads or writes the real user's data."""
    home = tmp_path_factory.mktemp("vtsms-home")
    monkeypatch.setenv("VTSMS_HOME", str(home))
    monkeypatch.delenv("VTSMS_PASSWORD", raising=False)
    yield home


@pytest.fixture(autouse=True)
def no_support_log_left_behind() -> Iterator[None]:
    """`vtsms` commands run in-process start the support log on the root logger: stop it after
    each test, and forget the session's secrets, so no test's log set-up reaches the next."""
    yield
    from vtsms_gui.api.soap_log import SESSION_SECRETS
    from vtsms_gui.storage.support_log import installed_log

    log = installed_log()
    if log is not None:
        log.close()
    SESSION_SECRETS.clear()


@pytest.fixture(autouse=True)
def no_os_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests never touch the developer's real keyring: the default backend is keyring's null
    one (so secrets stay in memory), except in the tests written for a real Secret Service."""
    if request.node.get_closest_marker("secret_service"):
        yield
        return
    import keyring
    from keyring.backends import null

    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(previous)
