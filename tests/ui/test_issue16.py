"""Issue 16, what a new office user trips on: codes Excel shortened (flagged, one click to pad),
practice students in the demo, keyboard and screen-reader access, small screens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from vtsms_gui.domain.recipients import Recipient, RowState
from vtsms_gui.simulator import demo_clients, practice_students
from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.ui.connection.connection import LoginRequest
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.recipients.practice_students import practice_recipients
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

WAIT = 20_000


def checked(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.ui.model.is_checked, timeout=WAIT)


# --- 1. codes Excel shortened ------------------------------------------------------------------


def test_shortened_codes_are_flagged_and_padded_in_one_click(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    model = window.ui.model
    model.replace_recipients(
        [
            Recipient("00125", None, "Olivia"),
            Recipient("3038", None, "Jack", headers=("Code",), cells=("3038",)),
            Recipient("10452", None, "Isabella"),
            Recipient(None, "412345678", "Mobile without its zero"),
        ]
    )
    checked(qtbot, window)
    banner = window.ui.recipients.leading_zeros
    assert not banner.isHidden()
    assert "Excel may have removed a leading zero: 3038 → 03038?" in banner.plain_text()
    row = model.checked()[1]
    assert row.state is RowState.WARNING and "3038 → 03038?" in row.reason
    # The mobile that lost its zero is still read as a mobile (0412 345 678).
    assert model.checked()[3].state is RowState.OK

    banner.pad_button.click()
    checked(qtbot, window)
    assert [r.client_code for r in model.recipients][:3] == ["00125", "03038", "10452"]
    assert model.recipients[1].cells == ("03038",)
    assert model.checked()[1].state is RowState.OK
    assert banner.isHidden()


def test_pasted_codes_that_lost_their_zeros_show_the_banner(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    from PySide6.QtGui import QGuiApplication

    window = make_window()
    QGuiApplication.clipboard().setText(
        "Client code\tName\n00125\tOlivia\n3037\tJack\n00007\tAarav\n"
    )
    window.ui.recipients.paste()
    checked(qtbot, window)
    assert window.ui.model.recipient_count == 3
    assert not window.ui.recipients.leading_zeros.isHidden()


# --- 3. practice students ----------------------------------------------------------------------


def test_practice_students_come_from_the_demo_s_own_clients() -> None:
    codes = {client.code for client in demo_clients()}
    rows = practice_students()
    known = [code for code, _, _ in rows if code in codes]
    assert len(known) >= 5
    opted_out = {client.code for client in demo_clients() if client.marketing_opt_out}
    assert opted_out & set(known)  # one student opted out of marketing
    assert any(code and code not in codes for code, _, _ in rows)  # a code VETtrak lacks


def test_practice_students_button_only_in_the_demo_and_the_flow_shows_warnings_and_a_failure(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = make_window()
    window.show()
    button = window.ui.practice.button
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(LoginRequest(simulator.url, "demo", "demo"))
    assert button.isHidden()  # a real server (the simulator reached as one) has no practice

    window.ui.start_demo()
    qtbot.waitUntil(
        lambda: window.connection.session is not None and window.connection.session.demo,
        timeout=WAIT,
    )
    assert button.isVisible() and button.accessibleName()
    button.click()
    checked(qtbot, window)
    model = window.ui.model
    assert model.recipients == practice_recipients()
    assert window.ui.compose.message.text()  # the sample message
    states = {item.state for item in model.checked()}
    assert {RowState.OK, RowState.WARNING, RowState.INVALID} <= states
    assert any("landline" in item.reason for item in model.checked())
    assert not window.ui.recipients.leading_zeros.isHidden()

    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()
    results = [model.result(row) for row in range(model.recipient_count)]
    texts = [label.text for label in results if label]
    assert "queued" in texts and "client code not found" in texts

    window.ui.sign_out()
    assert button.isHidden()


# --- 5. small screens --------------------------------------------------------------------------

SMALL_SCREENS = [(1024, 600), (910, 512)]  # 1024x600; 1366x768 at 150 % (logical)


def test_the_window_fits_small_screens_with_send_visible(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = make_window()
    window.show()
    window.ui.start_demo()
    qtbot.waitUntil(lambda: window.connection.session is not None, timeout=WAIT)
    window.ui.practice.button.click()  # the demo banner, the zeros strip, every button
    checked(qtbot, window)
    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()
    assert not window.ui.result_banner.isHidden()
    for width, height in SMALL_SCREENS:
        minimum = window.minimumSizeHint()
        assert minimum.width() <= width and minimum.height() <= height, (width, height)
        window.resize(width, height)
        target = QSize(width, height)

        def resized(target: QSize = target) -> bool:
            return window.size() == target

        qtbot.waitUntil(resized, timeout=WAIT)
        send = window.ui.compose.send_button
        corner = send.mapTo(window, send.rect().bottomRight())
        assert send.isVisible() and window.rect().contains(corner), (width, height)


def test_dialogs_shrink_to_the_available_screen(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    from PySide6.QtWidgets import QApplication

    from vtsms_gui.ui.common import fit_screen

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = make_window()
    window.show()
    fit_screen.install(app)
    try:
        dialog = window.ui.history.show()
        qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    finally:
        fit_screen.uninstall(app)  # the other tests' windows keep their own sizes
    area = fit_screen.available_area(dialog)
    assert dialog.frameGeometry().width() <= area.width()
    assert dialog.frameGeometry().height() <= area.height()
    assert area.contains(dialog.frameGeometry().topLeft())
    assert dialog.minimumSizeHint().width() <= 910 and dialog.minimumSizeHint().height() <= 512
    dialog.close()
    login = window.ui.show_login()
    assert login.minimumSizeHint().width() <= 910 and login.minimumSizeHint().height() <= 512
    login.reject()
