"""The window's side of office networks: "Test connection" in the sign-in dialog and
Help > Copy diagnostics, against the simulator on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from vtsms_gui import __version__
from vtsms_gui.core.session import SignIn
from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.storage.credentials import CredentialStore
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.common.small_dialogs import SettingsDialog
from vtsms_gui.ui.main_window import MainWindow

WAIT = 15_000


def test_test_connection_goes_step_by_step_and_signs_in(
    qtbot: QtBot, make_window: Callable[..., MainWindow], simulator: SimulatorServer
) -> None:
    window = make_window()
    window.show()
    dialog = window.ui.show_login()
    dialog.url.setCurrentText(simulator.url)
    dialog.username.setText("demo")
    dialog.password.setText("demo")
    steps: list[object] = []
    dialog._check.step_done.connect(steps.append)
    with qtbot.waitSignal(dialog._check.finished, timeout=WAIT) as blocker:
        dialog.test_button.click()
    report = blocker.args[0]

    assert report.ok and len(steps) == 6  # each step was shown as it finished
    text = dialog.check_results.plain_text()
    assert "Everything this computer needs to reach VETtrak works" in text
    for name in ("Name lookup", "TCP connect", "HTTP", "Sign-in"):
        assert name in text
    assert dialog.check_results.accessibleDescription() == text  # read out as one text
    assert dialog.test_button.isEnabled()
    assert simulator.sent == []  # a check sends nothing
    assert window.connection.session is None  # and does not sign the window in


def test_a_server_that_is_not_there_is_named_as_the_failing_step(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    window = make_window()
    dialog = window.ui.show_login()
    dialog.url.setCurrentText(f"http://127.0.0.1:{port}/VT_API.asmx")
    with qtbot.waitSignal(dialog._check.finished, timeout=WAIT) as blocker:
        dialog.test_button.click()

    report = blocker.args[0]
    assert not report.ok and report.failed_step.name == "TCP connect"
    text = dialog.check_results.plain_text()
    assert "does not work yet" in text and "✘ TCP connect" in text


def test_test_connection_takes_the_sign_ins_way_ca_file_and_proxy_from_the_settings(
    *,
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    settings: AppSettings,
    credentials: CredentialStore,
    simulator: SimulatorServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The organisation CA file and the proxy (with its password from the keyring) set in the
    settings count in "Test connection" as in the sign-in: not the bare defaults."""
    pytest.importorskip("cryptography")
    from network_servers import ConnectProxy, TlsFront, make_pki

    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    (tmp_path / "no-certs").mkdir()
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "no-certs"))  # the OS store lacks the CA
    pki = make_pki(tmp_path / "pki")
    backend_port = int(simulator.url.split(":")[2].split("/")[0])
    with (
        TlsFront(pki, backend_port) as front,
        ConnectProxy(credentials=("office", "pr0xy&pass")) as proxy,
    ):
        settings.ca_file = str(pki.ca_file)
        settings.proxy = proxy.url
        settings.proxy_username = "office"
        credentials.set_proxy_password(proxy.url, "office", "pr0xy&pass", remember=True)
        window = make_window()
        window.ui.sign_in.apply_network_settings()
        dialog = window.ui.show_login()
        dialog.url.setCurrentText(front.url)
        with qtbot.waitSignal(dialog._check.finished, timeout=WAIT) as blocker:
            dialog.test_button.click()
        report = blocker.args[0]

        assert report.ok, report.as_dict()
        tls = next(step for step in report.steps if step.name == "TLS certificate")
        assert "organisation's CA file" in tls.details
        assert "with a proxy username" in report.proxy
        assert proxy.tunnels >= 1
        assert "pr0xy&pass" not in dialog.check_results.plain_text()


def test_copy_diagnostics_puts_versions_on_the_clipboard_without_secrets(
    qtbot: QtBot, make_window: Callable[..., MainWindow], simulator: SimulatorServer
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(SignIn(simulator.url, "demo", "demo"))
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    window.ui.diagnostics_action.trigger()
    qtbot.waitUntil(lambda: bool(clipboard.text()), timeout=WAIT)

    text = clipboard.text()
    assert f"vtsms-gui {__version__}" in text and "Qt: " in text and "Proxy:" in text
    token = window.connection.client.token if window.connection.client else None
    assert token and token not in text
    assert "Diagnostics copied" in window.statusBar().currentMessage()


def test_copy_diagnostics_names_the_ca_file_and_proxy_of_the_settings(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    settings: AppSettings,
    simulator: SimulatorServer,
    tmp_path: Path,
) -> None:
    ca = tmp_path / "org-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    window = make_window()
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(SignIn(simulator.url, "demo", "demo"))
    settings.ca_file = str(ca)
    settings.proxy = "http://proxy.example.org:8080"
    window.ui.sign_in.apply_network_settings()  # as the settings dialog does when closed
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    window.ui.diagnostics_action.trigger()
    qtbot.waitUntil(lambda: bool(clipboard.text()), timeout=WAIT)

    text = clipboard.text()
    assert f"Organisation CA file (added to the store): {ca} (found)" in text
    assert "proxy.example.org:8080" in text


def test_settings_keep_the_proxy_and_ca_file_and_refuse_what_cannot_work(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = SettingsDialog(100, "", "")
    qtbot.addWidget(dialog)
    dialog.proxy.setText("socks5://proxy.example.org:1080")
    dialog._check_and_accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert dialog.problem.isVisibleTo(dialog) and dialog.problem.text()

    dialog.proxy.setText("user:secret@proxy.example.org:8080")
    dialog._check_and_accept()
    assert "secret" not in dialog.problem.text()  # refused, and not repeated back

    dialog.proxy.setText("proxy.example.org:8080")
    dialog.ca_file.setText(str(tmp_path / "missing.pem"))
    dialog._check_and_accept()
    assert "missing.pem" in dialog.problem.text()

    ca = tmp_path / "org-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    dialog.ca_file.setText(str(ca))
    dialog._check_and_accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert dialog.proxy_setting() == "http://proxy.example.org:8080"
