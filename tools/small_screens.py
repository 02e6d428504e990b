"""Renders the window and its dialogs on a small screen, to check nothing is clipped:
`python -m tools.small_screens PREFIX WIDTH HEIGHT [FOLDER]` (run with QT_SCALE_FACTOR=1.5 for
150 % scaling). Uses Qt's offscreen platform with a screen of that size; writes
PREFIX_<size>_<what>.png and prints each widget's size against the available screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings


def main(argv: list[str]) -> int:
    prefix, width, height = argv[0], int(argv[1]), int(argv[2])
    folder = Path(argv[3]) if len(argv) > 3 else Path(tempfile.gettempdir()) / "shots16"
    folder.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="vtsms-screens-"))
    os.environ["VTSMS_HOME"] = str(home)  # before any of the app's modules are imported
    from tools.screenshots import offscreen_screen

    offscreen_screen(width, height)

    from PySide6.QtWidgets import QStyleFactory, QWidget

    from tools.screenshots import sample_recipients, settle, wait_until
    from vtsms_gui.domain.send_plan import SendPlan
    from vtsms_gui.ui.app import create_application
    from vtsms_gui.ui.common.settings import AppSettings
    from vtsms_gui.ui.connection.connection import Connection
    from vtsms_gui.ui.main_window import MainWindow
    from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

    app = create_application([sys.argv[0]])
    app.setStyle(QStyleFactory.create("Fusion"))
    screen = app.primaryScreen().availableGeometry()
    scale = os.environ.get("QT_SCALE_FACTOR", "1")
    tag = f"{width}x{height}" + (f"@{scale}" if scale != "1" else "")
    print(f"screen {tag}: available {screen.width()}x{screen.height()} logical")

    def save(widget: QWidget, what: str) -> None:
        settle()
        hint = widget.sizeHint()
        size = widget.size()
        fits = size.width() <= screen.width() and size.height() <= screen.height()
        print(
            f"  {what}: size {size.width()}x{size.height()} hint {hint.width()}x"
            f"{hint.height()} min {widget.minimumSizeHint().width()}x"
            f"{widget.minimumSizeHint().height()} {'fits' if fits else 'DOES NOT FIT'}"
        )
        widget.grab().save(str(folder / f"{prefix}_{tag}_{what}.png"))

    settings = AppSettings(QSettings(str(home / "screens.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Connection(), settings)
    window.setGeometry(screen)
    window.show()
    settle(300)
    save(window, "01-empty")
    dialog = window.ui.show_login()
    settle(300)
    save(dialog, "02-login")
    dialog.reject()

    window.ui.start_demo()
    wait_until(lambda: window.connection.session is not None)
    window.ui.practice.button.click()  # the demo's students and sample message, as a user would
    window.ui.model.append_recipients(sample_recipients(60)[12:])  # a list long enough to scroll
    wait_until(lambda: window.ui.model.is_checked)
    view = window.ui.recipients.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 1))  # the code Excel shortened: its reason shows
    send = window.ui.compose.send_button
    corner = send.mapTo(window, send.rect().bottomRight())
    inside = window.rect().contains(corner) and screen.contains(
        window.geometry().topLeft() + corner
    )
    print(f"  send button on the screen: {inside} (visible: {send.isVisible()})")
    save(window, "03-demo")

    def confirm(plan: SendPlan) -> bool:
        box = ConfirmSendDialog(plan, window)
        box.show()
        save(box, "04-confirm")
        box.close()
        return True

    window.ui.sending.confirm = confirm  # type: ignore[method-assign]  # asked there, not on ui
    window.ui.request_send()
    wait_until(lambda: not window.ui.send_flow.running, 30)
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 1))  # its result, and what to do
    save(window, "05-results")
    history = window.ui.history.show()
    if history is not None:
        wait_until(lambda: history.idle)
        save(history, "06-history")
        history.close()
    window.close()
    window.connection.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
