"""Renders the window's main states to PNG for review and for README.md:
`python -m tools.screenshots [folder]` (headless: QT_QPA_PLATFORM=offscreen).

Uses the built-in simulator, a throw-away settings file and home folder: nothing of the
user's is read or written.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyleFactory, QWidget

from vtsms_gui.domain.outcomes import Outcome, RecipientOutcome
from vtsms_gui.domain.recipients import Recipient
from vtsms_gui.domain.send_plan import SendOptions, SendPlan, build_plan
from vtsms_gui.simulator.faults import Fault
from vtsms_gui.ui.app import create_application
from vtsms_gui.ui.common import icons
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.connection.connection import Connection
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

SIZE = (1280, 800)
MESSAGE = (
    "Hi from Riverside College – tomorrow’s First Aid class moves to Room 4 “B block”. "
    "Please bring your ID. Questions? Call the office on 07 3000 1234."
)
_FIRST = ("Olivia", "Jack", "Aarav", "Mia", "Kirra", "Liam", "Priya", "Ethan", "Zoe", "Noah")
_LAST = ("Nguyen", "Wilson", "Patel", "Thompson", "Walker", "O'Brien", "Sharma", "Chen", "Kim")


def sample_recipients(count: int) -> list[Recipient]:
    """Realistic rows: the demo's students by client code, others by mobile only, and a few
    invalid numbers, landlines, duplicates and codes VETtrak does not know."""
    from vtsms_gui.simulator.sample_clients import demo_clients  # only for the pictures

    rows = [Recipient(c.code, c.mobile, c.full_name) for c in demo_clients()][: count // 5]
    for i in range(len(rows), count):
        name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i * 7) % len(_LAST)]}"
        mobile = f"0412 {500 + (i // 100) % 10:03d} {i % 1000:03d}"
        code = None
        if i % 53 == 7:
            mobile = "0412 57"  # cut short
        elif i % 71 == 11:
            mobile = "(07) 3000 1234"  # a landline
        elif i % 61 == 5:
            code = f"{90000 + i}"  # a code VETtrak does not know
        elif i % 89 == 3:
            mobile = rows[-1].mobile or mobile  # the row above again
        rows.append(Recipient(code, mobile, name))
    return rows


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("The window did not reach the state to capture.")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def settle(msecs: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(msecs, loop.quit)
    loop.exec()


def save(widget: QWidget, folder: Path, name: str) -> Path:
    settle()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    print(path)
    return path


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2d30"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1e1f22"),
        (QPalette.ColorRole.AlternateBase, "#26282b"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Button, "#3a3d41"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#2f65ca"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.ToolTipBase, "#3a3d41"),
        (QPalette.ColorRole.ToolTipText, "#e6e6e6"),
        (QPalette.ColorRole.PlaceholderText, "#8c8f94"),
        (QPalette.ColorRole.Mid, "#505357"),
    ):
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor("#7a7d82"))
    palette.setColor(disabled, QPalette.ColorRole.Base, QColor("#2b2d30"))
    return palette


def new_window(home: Path) -> MainWindow:
    settings = AppSettings(QSettings(str(home / "screens.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Connection(), settings)
    window.resize(*SIZE)
    window.show()
    return window


def render_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="vtsms-screens-"))
    os.environ["VTSMS_HOME"] = str(home)
    app = create_application([sys.argv[0]])
    app.setStyle(QStyleFactory.create("Fusion"))  # the same look on every machine
    shots: list[Path] = []

    window = new_window(home)
    shots.append(save(window, folder, "01-empty"))

    dialog = window.ui.show_login()
    dialog.url.setCurrentText("https://vettrak.riverside.edu.au/VT_API.asmx")
    dialog.username.setText("sms.office")
    wait_until(lambda: not dialog.keyring_note.text().startswith("Looking"), 10)
    shots.append(save(dialog, folder, "02-login"))
    dialog.password.setText("wrong")
    dialog.show_error("VETtrak did not accept this username and password.")
    shots.append(save(dialog, folder, "02b-login-error"))
    dialog.reject()

    window.ui.start_demo()
    wait_until(lambda: window.connection.session is not None)
    window.ui.model.replace_recipients(sample_recipients(200))
    window.ui.compose.message.set_text(MESSAGE)
    window.ui.compose.options.sender_edit.setText("Riverside")
    wait_until(lambda: window.ui.model.is_checked)
    shots.append(save(window, folder, "03-demo-unicode-message"))

    simulator = window.connection.simulator
    assert simulator is not None

    def confirm(plan: SendPlan) -> bool:
        dialog = ConfirmSendDialog(plan, window)
        dialog.show()
        shots.append(save(dialog, folder, "04-confirm"))
        dialog.close()
        return True

    # The capture answers for the user.
    window.ui.sending.confirm = confirm  # type: ignore[method-assign]

    simulator.inject(Fault.SLOW, seconds=1.5, times=2)
    window.ui.request_send()
    wait_until(lambda: window.ui.compose.progress.maximum() > 0)
    shots.append(save(window, folder, "05-sending"))
    wait_until(lambda: not window.ui.send_flow.running, 30)
    shots.append(save(window, folder, "06-results"))

    light = app.palette()
    app.setPalette(dark_palette())
    icons.clear_cache()
    settle(300)
    shots.append(save(window, folder, "07-results-dark"))

    window.close()
    window.connection.close()
    app.setPalette(light)
    icons.clear_cache()
    shots.extend(render_history(folder, home))
    return shots


INTERRUPTED_MESSAGE = (
    "Reminder: your Certificate III assessment is due this Friday 5 pm. Upload it to the "
    "student portal or bring it to reception."
)


def plant_interrupted_send() -> str:
    """A practice send whose second batch was in flight when the app "died" (the journal
    cannot tell such a batch from a real crash, which is the point)."""
    from vtsms_gui.domain.phone import PhoneParser
    from vtsms_gui.domain.recipients import check_recipients
    from vtsms_gui.storage.journal import Journal, default_journal_path

    checked = check_recipients(sample_recipients(160)[40:], PhoneParser())
    options = SendOptions(sender="Riverside", batch_size=50)
    plan = build_plan(INTERRUPTED_MESSAGE, checked, options, balance=4800)
    with Journal(default_journal_path(demo=True)) as journal:
        send_id = journal.create_send(
            plan, server="http://127.0.0.1:8080/VT_API.asmx", username="demo"
        )
        recorder = journal.recorder(send_id)
        first = plan.batches[0]
        recorder.batch_started(first)
        recorder.batch_finished(
            first,
            [
                RecipientOutcome(
                    r.row, r.client_code, r.mobile, 1, Outcome.SENT, "queued for sending", 1
                )
                for r in first.recipients
            ],
            balance=4750,
        )
        recorder.batch_started(plan.batches[1])
        recorder.close()  # left in flight, as by a crash
    return send_id


def render_history(folder: Path, home: Path) -> list[Path]:
    """The notice after an interrupted send, the History window, and the warning before
    resending to recipients whose outcome is unknown."""
    from PySide6.QtWidgets import QAbstractItemView, QMessageBox

    from vtsms_gui.ui.history import history_prompts

    shots: list[Path] = []
    send_id = plant_interrupted_send()
    window = new_window(home)
    window.ui.start_demo()
    wait_until(lambda: not window.ui.recovery_notice.isHidden())
    shots.append(save(window, folder, "08-recovery-notice"))

    window.ui.recovery_notice.buttons[0].click()
    dialog = window.ui.history.dialog
    assert dialog is not None
    wait_until(lambda: dialog.idle and dialog.record is not None)
    dialog.resize(1180, 720)
    dialog.rows_view.scrollTo(
        dialog.rows_proxy.index(44, 0), QAbstractItemView.ScrollHint.PositionAtTop
    )  # where the answered batch meets the one that was in flight
    shots.append(save(dialog, folder, "09-history"))

    def capture(box: QMessageBox) -> int:
        shots.append(save(box, folder, "10-resend-unknown-warning"))
        return 0

    original = QMessageBox.exec
    setattr(QMessageBox, "exec", capture)  # noqa: B010 - the capture answers for the user
    try:
        history_prompts.confirm_resend_unknown(dialog, 50, send_id)
    finally:
        setattr(QMessageBox, "exec", original)  # noqa: B010

    dialog.close()
    window.close()
    window.connection.close()
    return shots


def offscreen_screen(width: int, height: int) -> None:
    """Make Qt's offscreen platform one screen of this size (its own is 800x800, to which every
    window would now be shrunk on show) before the application starts."""
    config = Path(tempfile.mkdtemp(prefix="vtsms-screen-")) / "screen.json"
    screen = {"name": "screen", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    default = Path(__file__).resolve().parents[1] / "resources" / "screenshots"  # tools/..
    folder = Path(args[0]) if args else default
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        offscreen_screen(1920, 1080)  # room for the window at SIZE
    render_all(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
