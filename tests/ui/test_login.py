"""Signing in: success, wrong password, server down, no SMS module, http:// confirmation, stored
token, demo."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.storage.credentials import CredentialStore
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.connection import login_dialog
from vtsms_gui.ui.connection.login_dialog import LoginDialog
from vtsms_gui.ui.main_window import MainWindow

WAIT = 10_000


def fill(dialog: LoginDialog, url: str, username: str, password: str) -> None:
    dialog.url.setCurrentText(url)
    dialog.username.setText(username)
    dialog.password.setText(password)


def test_login_success_shows_status_and_balance(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    settings: AppSettings,
    credentials: CredentialStore,
) -> None:
    window = make_window()
    window.show()
    dialog = window.ui.show_login()
    qtbot.waitUntil(lambda: "Remember my password in" in dialog.remember.text(), timeout=WAIT)
    fill(dialog, simulator.url, "demo", "demo")
    dialog.remember.setChecked(True)
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        dialog.sign_in.click()

    assert window.connection.session is not None
    assert "as demo" in window.ui.connection_status.text()
    assert window.ui.balance_label.text() == "Balance: 5,000 SMS credits"
    assert "balance 5,000" in window.ui.compose.cost.text()
    assert not window.ui.demo_banner.isVisible()
    # Remembered: the URL and username in QSettings, the secrets in the keyring only.
    assert settings.last_url == simulator.url
    assert settings.username == "demo"
    assert credentials.get_password(simulator.url, "demo") == "demo"
    assert credentials.get_token(simulator.url, "demo")
    settings.sync()
    stored = Path(settings.qsettings.fileName()).read_text(encoding="utf-8")
    token = credentials.get_token(simulator.url, "demo")
    assert token and token not in stored
    assert "password" not in stored.lower()


def test_wrong_password_is_said_inline(
    qtbot: QtBot, make_window: Callable[..., MainWindow], simulator: SimulatorServer
) -> None:
    window = make_window()
    dialog = window.ui.show_login()
    fill(dialog, simulator.url, "demo", "wrong")
    with qtbot.waitSignal(window.connection.login_failed, timeout=WAIT):
        dialog.sign_in.click()
    assert dialog.isVisible()
    assert "did not accept this username and password" in dialog.error.text()
    assert dialog.sign_in.isEnabled()
    assert window.connection.session is None


def test_server_down_is_said_inline(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    window = make_window()
    dialog = window.ui.show_login()
    fill(dialog, f"http://127.0.0.1:{port}/VT_API.asmx", "demo", "demo")
    with qtbot.waitSignal(window.connection.login_failed, timeout=WAIT):
        dialog.sign_in.click()
    assert dialog.error.isVisible()
    assert "127.0.0.1" in dialog.error.text() or "connect" in dialog.error.text().lower()


def test_bad_address_and_unencrypted_http(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    dialog = window.ui.show_login()
    fill(dialog, "vettrak.example.edu.au", "demo", "demo")
    dialog.sign_in.click()
    assert "https://" in dialog.error.text()

    asked: list[bool] = []

    def decline(parent: object) -> bool:
        asked.append(True)
        return False

    monkeypatch.setattr(login_dialog, "confirm_http", decline)
    fill(dialog, "http://vettrak.example.edu.au/VT_API.asmx", "demo", "demo")
    dialog.sign_in.click()
    assert asked == [True]
    assert dialog.sign_in.isEnabled()  # declined: nothing was tried


def test_a_stored_token_skips_the_dialog(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    settings: AppSettings,
    credentials: CredentialStore,
) -> None:
    first = make_window()
    dialog = first.ui.show_login()
    fill(dialog, simulator.url, "demo", "demo")
    with qtbot.waitSignal(first.connection.logged_in, timeout=WAIT):
        dialog.sign_in.click()
    first.close()

    second = make_window()
    with qtbot.waitSignal(second.connection.logged_in, timeout=WAIT):
        second.ui.start()
    assert second.ui.login_dialog is None
    assert second.connection.session is not None


def test_an_expired_stored_token_asks_to_sign_in(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    settings: AppSettings,
    credentials: CredentialStore,
) -> None:
    settings.remember_url(simulator.url)
    settings.username = "demo"
    credentials.set_token(simulator.url, "demo", "stale-token")
    window = make_window()
    with qtbot.waitSignal(window.connection.resume_failed, timeout=WAIT):
        window.ui.start()
    qtbot.waitUntil(lambda: window.ui.login_dialog is not None, timeout=WAIT)
    assert window.ui.login_dialog is not None
    assert window.ui.login_dialog.password.hasFocus() or window.ui.login_dialog.isVisible()
    assert credentials.get_token(simulator.url, "demo") is None


def test_try_the_demo_shows_the_banner(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.show()
    dialog = window.ui.show_login()
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        dialog.demo.click()
    assert window.connection.session is not None and window.connection.session.demo
    assert window.ui.demo_banner.isVisible()
    assert "no real SMS will be sent" in window.ui.demo_banner.plain_text()
    assert not dialog.isVisible()


def test_a_vettrak_without_sms_is_said_inline(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    with SimulatorServer(port=0, sms_enabled=False) as simulator:
        window = make_window()
        dialog = window.ui.show_login()
        fill(dialog, simulator.url, "demo", "demo")
        with qtbot.waitSignal(window.connection.login_failed, timeout=WAIT):
            dialog.sign_in.click()
        assert dialog.isVisible() and window.connection.session is None
        assert "registration does not include SMS" in dialog.error.text()
        assert window.ui.connection_status.text() == "Not signed in"
