"""Issue 16, the keyboard alone: sign in, paste a list Excel damaged, repair its codes, write,
send, confirm, read each row's reason and result, open the History window, all by keys sent to
whatever has the focus (never a click, never a widget's method), with the focus always shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.ui.main_window import MainWindow

WAIT = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier
EXCEL_COPY = (  # codes Excel shortened: 3037 is client 03037
    "Client code\tName\tMobile\n"
    "00125\tOlivia Nguyen\t0491 570 006\n"
    "3037\tJack Wilson\t\n"
    "00007\tAarav Patel\t412345678\n"  # a mobile that lost its zero: still a mobile
    "99999\tRiley Unknown\t\n"  # a code VETtrak does not know
)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(focused(), key, modifier)


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 60) -> None:
    """Press Tab until `target` has the focus, as a user would."""
    for _ in range(limit):
        if focused() is target or target.isAncestorOf(focused()):
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.objectName() or target}")


def test_the_whole_flow_with_the_keyboard_alone(
    qtbot: QtBot, make_window: Callable[..., MainWindow], simulator: SimulatorServer
) -> None:
    window = make_window()
    with qtbot.waitActive(window):  # shortcuts reach only the active window
        window.show()
        window.activateWindow()
    ui = window.ui

    # Sign in: Ctrl+Enter before signing in opens the sign-in dialog; type and press Enter.
    ui.compose.message.editor.setFocus()
    press(qtbot, Qt.Key.Key_Return, CTRL)
    dialog = ui.login_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)
    tab_to(qtbot, dialog.url)
    QTest.keyClicks(focused(), simulator.url)
    press(qtbot, Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "demo")
    press(qtbot, Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "demo")
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ui.login_dialog is None, timeout=WAIT)
    window.activateWindow()  # what the window manager does when a dialog closes
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)

    # Paste into the grid (Tab to it, Ctrl+V); the shortened code is flagged.
    QGuiApplication.clipboard().setText(EXCEL_COPY)
    tab_to(qtbot, ui.recipients.view)
    press(qtbot, Qt.Key.Key_V, CTRL)
    qtbot.waitUntil(lambda: ui.model.is_checked and ui.model.recipient_count == 4, timeout=WAIT)
    banner = ui.recipients.leading_zeros
    assert not banner.isHidden()

    # Tab to "Add the zeros" and press Space.
    tab_to(qtbot, banner.pad_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: ui.model.is_checked, timeout=WAIT)
    assert [r.client_code for r in ui.model.recipients] == ["00125", "03037", "00007", "99999"]
    assert banner.isHidden()

    # Write the message.
    tab_to(qtbot, ui.compose.message.editor)
    QTest.keyClicks(focused(), "Room 4 tomorrow at 9 am")
    assert ui.compose.message.text() == "Room 4 tomorrow at 9 am"

    # Ctrl+Enter; the confirmation answers Enter with its default button, Send.
    seen: list[str] = []

    def answer(tries: int = 200) -> None:
        box = QApplication.activeModalWidget()
        widget = QApplication.focusWidget()
        if box is None or widget is None or not box.isAncestorOf(widget):
            if tries:
                QTimer.singleShot(50, lambda: answer(tries - 1))
            elif box is not None:
                box.close()  # never reached by keys: fail below rather than hang
            return
        seen.append(type(box).__name__)
        QTest.keyClick(widget, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(ui.send_flow.finished, timeout=WAIT):
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert seen == ["ConfirmSendDialog"]
    window.activateWindow()  # the window manager's part when the dialog closes
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)

    # Read each row's result by moving through the grid with the arrow keys.
    tab_to(qtbot, ui.recipients.view)
    detail = ui.recipients.row_detail
    press(qtbot, Qt.Key.Key_Home, CTRL)
    qtbot.waitUntil(detail.isVisible, timeout=WAIT)
    assert detail.text().startswith("Row 1 (Olivia Nguyen): Queued for sending")
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Down)
    assert detail.text().startswith("Row 4 (Riley Unknown): VETtrak has no client with this code")

    # Ctrl+H opens the History window; Escape closes it.
    press(qtbot, Qt.Key.Key_H, CTRL)
    history = ui.history.dialog
    assert history is not None
    qtbot.waitUntil(lambda: history.isVisible() and history.idle, timeout=WAIT)
    qtbot.waitUntil(history.isActiveWindow, timeout=WAIT)
    # Tab goes through both tables and out to the buttons (no trap in either table).
    tab_to(qtbot, history.sends_view)
    tab_to(qtbot, history.rows_view)
    tab_to(qtbot, history.export_button)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not history.isVisible(), timeout=WAIT)


def test_the_focus_shows_on_every_tab_stop_of_the_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    """Each widget Tab stops at looks different with the focus than without it (Fusion draws
    a default button as it draws focus: Send used to look the same either way)."""
    window = make_window()
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    ui = window.ui
    ui.practice.set_demo(True)
    ui.practice.add()  # the strip's buttons and a grid with rows
    qtbot.waitUntil(lambda: ui.model.is_checked, timeout=WAIT)
    ui.recipients.view.setFocus()
    press(qtbot, Qt.Key.Key_Tab)  # from here on the focus moves by keyboard
    stops: list[QWidget] = []
    unchanged: list[str] = []
    for _ in range(60):
        widget = focused()
        if widget in stops:
            break  # round the whole chain
        stops.append(widget)
        with_focus = widget.grab().toImage()
        press(qtbot, Qt.Key.Key_Tab)
        if widget.grab().toImage() == with_focus:
            unchanged.append(widget.objectName() or getattr(widget, "text", lambda: "")())
    assert unchanged == []
    # Tab goes in the order things are seen: the list's actions, the strip, the grid, then
    # the message with its tools, the options and Send (not the grid first, not the tools
    # added later after Send).
    order = [
        ui.recipients.import_button,
        ui.recipients.paste_button,
        ui.practice.button,
        ui.recipients.leading_zeros.pad_button,
        ui.recipients.view,
        ui.recipients.problems_only,
        ui.compose.message.editor,
        ui.compose.templates_button,
        ui.compose.options.sender_edit,
        ui.compose.send_button,
    ]
    start = stops.index(ui.recipients.import_button)
    stops = stops[start:] + stops[:start]  # the chain is a circle: read it from Import
    positions = [stops.index(widget) for widget in order]
    assert positions == sorted(positions), [type(stops[i]).__name__ for i in positions]
