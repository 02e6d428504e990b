"""Qt fixtures for the window's tests: isolated QSettings, an in-memory keyring, a simulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.storage.credentials import CredentialStore
from vtsms_gui.storage.templates import TemplateStore
from vtsms_gui.ui.common.feedback import ScriptedFeedback, use_feedback
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.connection.connection import Connection
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

HERE = Path(__file__).parent
# Qt's offscreen platform (headless tests) says these whenever a window with a layout is shown
# or brought to the front; they are about the platform plugin, not the app, so not failures.
OFFSCREEN_NOISE = (
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


class MemoryKeyring(KeyringBackend):
    """A keyring in a dict: tests never reach the real user's keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path: Path) -> Iterator[Path]:
    """Any bare QSettings() a test creates lands in tmp_path, never in the user's registry."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "vtsms-gui.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def credentials(keyring_backend: MemoryKeyring) -> CredentialStore:
    return CredentialStore(keyring_backend)


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0) as server:
        yield server


@pytest.fixture
def make_window(
    qtbot: QtBot, settings: AppSettings, credentials: CredentialStore, tmp_path: Path
) -> Iterator[Callable[..., MainWindow]]:
    """Builds main windows wired to the in-memory keyring and tmp_path settings/templates;
    closes them (stopping any demo server) after the test."""
    windows: list[MainWindow] = []

    def make(
        *, ask_password: Callable[[str, str], str | None] | None = None, **options: Any
    ) -> MainWindow:
        connection = Connection(credentials=lambda: credentials, ask_password=ask_password)
        window = MainWindow(
            connection, settings, templates=TemplateStore(tmp_path / "templates.json"), **options
        )
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.connection.close()


@pytest.fixture
def accept_confirmation(monkeypatch: pytest.MonkeyPatch) -> list[ConfirmSendDialog]:
    """Answers every send confirmation with Send, without showing it; lists the dialogs."""
    shown: list[ConfirmSendDialog] = []

    def accept(dialog: ConfirmSendDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConfirmSendDialog, "exec", accept)
    return shown


@pytest.fixture
def scripted_feedback() -> Iterator[ScriptedFeedback]:
    """Every question and message of the window goes here instead of a dialog: questions are
    answered from `.answers` (then `.default`, no), and `.asked` lists what was said."""
    scripted = ScriptedFeedback()
    previous = use_feedback(scripted)
    yield scripted
    use_feedback(previous)
