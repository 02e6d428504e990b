"""The main window around the grid and the editor: paste, import, keys, templates, export,
state kept between runs, the smoke test, and a window that appears before zeep is loaded."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.storage.credentials import CredentialStore
from vtsms_gui.ui.common.crash_dialog import build_report
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.connection.connection import LoginRequest
from vtsms_gui.ui.connection.soap_log import SoapLogDialog, describe
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.recipients import recipients_panel
from vtsms_gui.ui.recipients.import_dialog import ColumnMappingDialog
from vtsms_gui.ui.recipients.recipients_model import Column

WAIT = 10_000
EXCEL_COPY = (
    "Client Code\tFirst Name\tSurname\tMobile\r\n"
    "00125\tOlivia\tNguyen\t0491 570 006\r\n"
    "03037\tJack\tWilson\t491570156\r\n"
    "00007\tAarav\tPatel\t12345\r\n"
)


def test_ctrl_v_in_the_grid_adds_rows_copied_from_excel(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.show()
    QGuiApplication.clipboard().setText(EXCEL_COPY)
    view = window.ui.recipients.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    model = window.ui.model
    assert [r.client_code for r in model.recipients] == ["00125", "03037", "00007"]
    assert model.recipient(1).name == "Jack Wilson"
    assert model.index(2, Column.STATE).data() == "Check"  # a bad number, sent by code only
    assert window.ui.recipients.summary.text() == "3 recipients · 1 warning"

    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [r.client_code for r in model.recipients] == ["03037", "00007"]


def test_import_a_file_through_the_column_mapping_dialog(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "students.csv"
    source.write_text(
        "Student ID,Given name,Phone\n00125,Olivia,0491 570 006\n03037,Jack,0491 570 156\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(source), ""))
    seen: list[ColumnMappingDialog] = []

    def answer(dialog: ColumnMappingDialog) -> int:
        seen.append(dialog)
        assert dialog.preview_model.rowCount() == 2
        assert "→ mobile" in dialog.preview_model.headerData(2, Qt.Orientation.Horizontal)
        dialog.name.setCurrentIndex(2)  # the user picks "Given name" as the name column
        return ColumnMappingDialog.DialogCode.Accepted

    monkeypatch.setattr(recipients_panel, "_exec", answer)
    window = make_window()
    window.ui.import_action.trigger()

    qtbot.waitUntil(lambda: window.ui.model.recipient_count == 2, timeout=WAIT)
    assert seen
    assert [(r.client_code, r.mobile, r.name) for r in window.ui.model.recipients] == [
        ("00125", "0491 570 006", "Olivia"),
        ("03037", "0491 570 156", "Jack"),
    ]


def test_an_unreadable_file_is_explained(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    picture = tmp_path / "photo.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    problems: list[str] = []
    monkeypatch.setattr(recipients_panel, "show_import_problem", lambda w, t: problems.append(t))
    window = make_window()
    window.ui.recipients.import_file(str(picture))
    qtbot.waitUntil(lambda: bool(problems), timeout=WAIT)
    assert "picture" in problems[0]
    assert window.ui.model.recipient_count == 0


def test_a_dropped_file_is_imported(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "list.csv"
    source.write_text("Mobile\n0491 570 006\n", encoding="utf-8")
    monkeypatch.setattr(
        recipients_panel, "_exec", lambda dialog: ColumnMappingDialog.DialogCode.Accepted
    )
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    view = window.ui.recipients.view
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(drop)
    qtbot.waitUntil(lambda: window.ui.model.recipient_count == 1, timeout=WAIT)


def test_templates_save_and_insert(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    window.ui.compose.message.set_text("Class is cancelled today.")
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Cancelled", True))
    window.ui.save_template()
    assert [t.name for t in window.ui.templates.load()] == ["Cancelled"]
    assert window.ui.templates.path.suffix == ".json"

    window.ui.compose.message.set_text("")
    window.ui.insert_template_menu.aboutToShow.emit()  # as when the menu opens
    actions = [a for a in window.ui.insert_template_menu.actions() if a.text() == "Cancelled"]
    actions[0].trigger()
    assert window.ui.compose.message.text() == "Class is cancelled today."


def test_export_results_to_csv(
    make_window: Callable[..., MainWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "results.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    window = make_window()
    window.ui.model.replace_recipients([])
    window.ui.model.setData(window.ui.model.index(0, Column.MOBILE), "0491 570 006")
    window.ui.model.setData(window.ui.model.index(0, Column.NAME), "=HYPERLINK(1)")
    window.ui.export_action.trigger()
    with target.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:4] == ["Row", "Client code", "Mobile", "Name"]
    assert rows[1][:5] == ["1", "", "0491 570 006", "'=HYPERLINK(1)", "Ready"]


def test_window_state_is_restored_on_restart(
    qtbot: QtBot, make_window: Callable[..., MainWindow], settings: AppSettings
) -> None:
    first = make_window()
    first.show()
    first.resize(1150, 620)  # the offscreen test screen is only 800 × 800
    first.ui.splitter.setSizes([500, 650])
    first.ui.compose.options.sender_edit.setText("MyCollege")
    settings.low_balance_threshold = 250
    size = first.size()  # as large as the (offscreen) screen allows
    split = first.ui.splitter.sizes()
    first.close()

    second = make_window()
    second.show()
    assert second.size().height() == size.height() == 620
    assert second.ui.compose.options.sender_edit.text() == "MyCollege"
    # The 800-pixel test screen squeezes the restored window, so compare proportions.
    left, right = second.ui.splitter.sizes()
    assert abs(left / (left + right) - split[0] / sum(split)) < 0.05
    assert settings.low_balance_threshold == 250


def test_ctrl_enter_asks_to_sign_in_first(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    with qtbot.waitActive(window):  # shortcuts reach only the active window
        window.show()
        window.activateWindow()
    window.ui.compose.message.editor.setFocus()
    qtbot.keyClick(
        window.ui.compose.message.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert window.ui.login_dialog is not None
    assert "Sign in to VETtrak to send." in window.ui.login_dialog.error.text()
    assert window.ui.compose.message.text() == ""  # the key did not type a new line


def test_widgets_have_accessible_names(make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    for widget in (
        window.ui.recipients.view,
        window.ui.compose.message.editor,
        window.ui.compose.message.counter,
        window.ui.compose.options.sender_edit,
        window.ui.compose.cost,
        window.ui.balance_label,
    ):
        assert widget.accessibleName()


REPO = Path(__file__).resolve().parents[2]


def test_the_window_appears_before_zeep_loads(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from vtsms_gui.ui.connection.connection import Connection\n"
        "from vtsms_gui.ui.main_window import MainWindow\n"
        "from vtsms_gui.ui.common.settings import AppSettings\n"
        "from PySide6.QtCore import QSettings\n"
        "app = QApplication([])\n"
        "window = MainWindow(Connection(), AppSettings(QSettings(sys.argv[1], "
        "QSettings.Format.IniFormat)))\n"
        "window.show(); app.processEvents()\n"
        "loaded = [m for m in ('zeep', 'keyring', 'requests', 'sqlite3') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
        "window.connection.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "probe.ini")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "VTSMS_HOME": str(tmp_path)},
    )
    assert done.stdout.strip() == ""  # none of them loaded yet


def run_python(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Python in a child process, headless, with its own settings and data folders."""
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "VTSMS_HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "xdg"),
        },
    )


def test_smoke_test_exits_zero(tmp_path: Path) -> None:
    done = run_python(["-m", "vtsms_gui.ui.app", "--smoke-test"], tmp_path)
    assert done.returncode == 0, done.stderr


def test_soap_log_shows_exchanges_without_secrets(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    credentials: CredentialStore,
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(LoginRequest(simulator.url, "demo", "demo"))
    qtbot.waitUntil(lambda: len(window.ui.soap_log.items()) >= 2, timeout=WAIT)
    dialog = SoapLogDialog(window.ui.soap_log, window)
    qtbot.addWidget(dialog)
    shown = "\n".join(describe(e) for e in window.ui.soap_log.items())
    token = credentials.get_token(simulator.url, "demo")
    assert "ValidateClient" in shown and "GetSMSStatus" in shown
    assert token and token not in shown
    assert "<sPassword>demo</sPassword>" not in shown.replace(" ", "")
    assert dialog.list.count() == len(window.ui.soap_log.items())
    assert "GetSMSStatus" in dialog.text.toPlainText()


def test_low_balance_warning_follows_the_threshold(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    settings: AppSettings,
) -> None:
    settings.low_balance_threshold = 6000
    window = make_window()
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(LoginRequest(simulator.url, "demo", "demo"))
    assert "(low)" in window.ui.balance_label.text()
    settings.low_balance_threshold = 100
    window.ui.show_balance(5000)
    assert window.ui.balance_label.text() == "Balance: 5,000 SMS credits"


def test_crash_report_masks_secrets() -> None:
    try:
        raise RuntimeError("login failed: password='hunter2' <Token>&7%+>-6</Token>")
    except RuntimeError as error:
        report = build_report(type(error), error, error.__traceback__)
    assert "hunter2" not in report
    assert "&7%+>-6" not in report
    assert "RuntimeError" in report and "vtsms-gui" in report


def test_smoke_test_exits_one_when_the_window_cannot_be_built(tmp_path: Path) -> None:
    # The workspace is built after the first paint, inside the event loop: an error there
    # must end the smoke test with 1 and the report, not leave it waiting for a dialog.
    script = (
        "import sys\n"
        "from vtsms_gui.ui import app, workspace\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('workspace broke')\n"
        "workspace.Workspace.__init__ = broken\n"
        "sys.exit(app.main(['--smoke-test']))\n"
    )
    done = run_python(["-c", script], tmp_path)
    assert done.returncode == 1
    assert "workspace broke" in done.stderr


def test_crash_report_masks_the_sessions_secrets_however_they_are_spelt() -> None:
    password, token = "pa'ss word\\1", "TOKEN-abc-123"
    try:
        raise RuntimeError(f"failed for {LoginRequest('s', 'u', password)!r} {[password]} {token}")
    except RuntimeError as error:
        report = build_report(type(error), error, error.__traceback__, [password, token, ""])
    assert "pa'ss" not in report and "pa\\'ss" not in report and "TOKEN-abc" not in report
    assert "username='u'" in report  # the rest of the message stays readable


def test_a_login_request_never_shows_its_password() -> None:
    assert "hunter2" not in repr(LoginRequest("https://x/VT_API.asmx", "amy", "hunter2"))


def test_a_long_paste_is_read_in_a_worker_with_the_grid_locked(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.show()
    rows = recipients_panel.PASTE_IN_WORKER_ABOVE + 500
    QGuiApplication.clipboard().setText(
        "Client Code\tMobile\n" + "".join(f"{n:05d}\t04{n:08d}\n" for n in range(rows))
    )
    panel = window.ui.recipients
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert panel.reading and window.ui.model.locked  # the rows arrive later, from the worker
    qtbot.waitUntil(lambda: not panel.reading, timeout=WAIT)
    assert window.ui.model.recipient_count == rows
    assert window.ui.model.recipient(rows - 1).client_code == f"{rows - 1:05d}"
    assert not window.ui.model.locked
