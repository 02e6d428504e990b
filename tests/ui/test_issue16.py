"""Issue 16, what a new office user trips on: codes Excel shortened (flagged, one click to pad),
practice students in the demo, keyboard and screen-reader access, small screens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QSize
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


def test_a_single_shortened_code_is_caught_once_past_sends_show_the_length(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A list of one has nothing to compare with: the codes this VETtrak accepted before do."""
    from vtsms_gui.cli.main import main

    codes = [c.code for c in simulator.clients if c.mobile and not c.marketing_opt_out][:5]
    monkeypatch.setenv("VTSMS_PASSWORD", "demo")
    argv = ["send", "--server", simulator.url, "--username", "demo", "--yes", "--message", "Hi"]
    assert main([*argv, *(a for code in codes for a in ("--to", code))]) == 0  # a past send

    window = make_window()
    window.ui.model.replace_recipients([Recipient("3037", None, "Jack")])
    checked(qtbot, window)
    assert window.ui.model.checked()[0].state is RowState.OK  # nothing to compare with yet
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(LoginRequest(simulator.url, "demo", "demo"))
    qtbot.waitUntil(lambda: window.ui.model.known_code_length == 5, timeout=WAIT)
    checked(qtbot, window)
    row = window.ui.model.checked()[0]
    assert row.state is RowState.WARNING and "3037 → 03037?" in (row.reason or "")
    banner = window.ui.recipients.leading_zeros
    assert not banner.isHidden() and "3037 → 03037?" in banner.plain_text()

    window.ui.sign_out()
    assert window.ui.model.known_code_length is None  # another VETtrak may differ


# --- 2. plain reasons --------------------------------------------------------------------------


def test_the_current_row_s_reason_and_result_show_under_the_grid(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    """A tooltip needs a mouse: the row the cursor is on says why it is marked, in the words
    the person typed, and after the send what became of it and what to do."""
    window = make_window()
    window.show()
    window.ui.start_demo()
    qtbot.waitUntil(lambda: window.connection.session is not None, timeout=WAIT)
    window.ui.practice.button.click()
    checked(qtbot, window)
    view, detail = window.ui.recipients.view, window.ui.recipients.row_detail
    assert detail.isHidden()  # no current row yet
    view.setCurrentIndex(view.model().index(6, 1))
    assert detail.text() == (
        "Row 7 (Sam Visitor): 0412 3 has too few digits for an Australian mobile (they look "
        "like 0412 345 678); fix the number or remove the row."
    )
    assert detail.isVisible() and "+61" not in detail.text()
    view.setCurrentIndex(view.model().index(1, 1))
    assert "Excel may have removed a leading zero: 3037 → 03037?" in detail.text()
    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()
    assert detail.text().startswith("Row 2 (Jack Wilson): VETtrak has no client with this code")
    assert "Excel may have removed a leading zero" in detail.text()  # what to do
    view.setCurrentIndex(view.model().index(0, 1))
    assert detail.text() == "Row 1 (Olivia Nguyen): Queued for sending."


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
        assert_message_and_options_fit_sideways(qtbot, window, (width, height))


def assert_message_and_options_fit_sideways(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    """The message and options scroll up and down on a small screen, never sideways (the
    editor's right edge, the sender note and the time were cut off at 1024x600), and the
    message's tools wrap under each other instead of covering the editor."""
    from PySide6.QtWidgets import QScrollArea

    scroll = window.findChild(QScrollArea, "composeScroll")
    assert scroll is not None
    message = window.ui.compose.message
    for text in ("Room 4 tomorrow", "Room 4 – tomorrow’s class"):  # the second shows Replace
        message.set_text(text)

        def settled(scroll: QScrollArea = scroll) -> bool:
            body = scroll.widget()
            return body is not None and body.width() <= scroll.viewport().width()

        qtbot.waitUntil(settled, timeout=WAIT)
        assert not scroll.horizontalScrollBar().isVisible(), (size, text)
        editor = message.editor.geometry()
        for tool in (message.replace_button, window.ui.compose.templates_button):
            if tool.isVisible():
                where = tool.geometry().translated(tool.mapTo(message, QPoint()) - tool.pos())
                assert where.top() >= editor.bottom(), (size, text, tool.text())
                assert message.rect().contains(where), (size, text, tool.text())


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


def test_a_fitted_dialog_still_opens_over_its_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    """Fitting a dialog to the screen on show used to move it before Qt centred it, which
    pinned every dialog (sign-in, confirmation, History) to the screen's top-left corner."""
    from PySide6.QtWidgets import QApplication

    from vtsms_gui.ui.common import fit_screen

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = make_window()
    window.setGeometry(fit_screen.available_area(window).adjusted(100, 100, -100, -100))
    window.show()
    fit_screen.install(app)
    try:
        login = window.ui.show_login()
        qtbot.waitUntil(login.isVisible, timeout=WAIT)
    finally:
        fit_screen.uninstall(app)
    centre = login.frameGeometry().center() - window.frameGeometry().center()
    assert abs(centre.x()) <= 20 and abs(centre.y()) <= 40, centre
    login.reject()
