"""Every input of the main window and its dialogs has a name for screen readers, keyboard
focus reaches every input, and the message counter's changes are announced (not only drawn)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import SendOptions, build_plan
from vtsms_gui.ui.common import accessibility
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

INPUTS = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
)


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for the widget: its accessible name, as Qt's accessibility
    interface gives it (the set name, else a button's text or the label that is its buddy)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed_inputs(root: QWidget) -> list[str]:
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INPUTS) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if widget.window() is not root:
            continue  # a combo box's list or a completer's popup: named by its owner
        if isinstance(widget.parent(), (QAbstractSpinBox, QComboBox)):
            continue  # the line edit inside a spin box or combo box: named by its owner
        if not spoken_name(widget) and not widget.accessibleName():
            missing.append(
                f"{type(widget).__name__} {widget.objectName()!r} in {root.objectName()!r}"
            )
    return missing


def dialogs(window: MainWindow) -> list[QWidget]:
    plan = build_plan(
        "Hi",
        check_recipients([Recipient("00125", "0491 570 006")], PhoneParser()),
        SendOptions(),
        balance=100,
    )
    shown: list[QWidget] = [window.ui.show_login(), ConfirmSendDialog(plan, window)]
    shown.append(window.ui.history.show())
    from vtsms_gui.domain.column_mapping import detect_mapping
    from vtsms_gui.domain.tables import table_from_text
    from vtsms_gui.ui.common.small_dialogs import SettingsDialog
    from vtsms_gui.ui.compose.templates_dialog import TemplatesDialog
    from vtsms_gui.ui.recipients.import_dialog import ColumnMappingDialog

    table = table_from_text("Client code\tMobile\n00125\t0491 570 006\n")
    shown.append(ColumnMappingDialog(table, detect_mapping(table), parent=window))
    shown.append(SettingsDialog(50, parent=window))
    shown.append(TemplatesDialog(window.ui.templates, window))
    return shown


def test_every_input_of_the_window_and_its_dialogs_has_an_accessible_name(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.show()
    window.ui.practice.set_demo(True)
    missing = unnamed_inputs(window)
    for dialog in dialogs(window):
        missing += unnamed_inputs(dialog)
    assert missing == [], "\n".join(missing)


def test_the_counter_is_announced_when_it_changes(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[QAccessible.Event, object]] = []

    def record(event: QAccessibleEvent) -> None:
        events.append((event.type(), event.object()))

    monkeypatch.setattr(accessibility, "_update", record)
    window = make_window()
    counter = window.ui.compose.message.counter
    window.ui.compose.message.set_text("Hi class, room 4 tomorrow")
    description = counter.accessibleDescription()
    assert "25 of 160 characters" in description and "1 SMS" in description
    assert (QAccessible.Event.DescriptionChanged, counter) in events
    assert (QAccessible.Event.NameChanged, counter) in events
    events.clear()
    window.ui.compose.message.set_text("Hi class – room 4 tomorrow")  # a dash: Unicode
    assert "Unicode" in counter.accessibleDescription()
    assert events


def test_tab_reaches_the_whole_flow_and_ctrl_enter_sends(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.show()
    ui = window.ui
    chain: list[QWidget] = []
    widget = ui.recipients.view.nextInFocusChain()
    while widget is not None and widget is not ui.recipients.view and len(chain) < 500:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    for needed in (
        ui.recipients.import_button,
        ui.recipients.paste_button,
        ui.compose.message.editor,
        ui.compose.options.sender_edit,
        ui.compose.send_button,
    ):
        assert needed in chain, needed.text() if hasattr(needed, "text") else needed
    assert ui.compose.send_button.isDefault() or ui.compose.send_button.autoDefault()
    keys = {key.toString() for key in ui.send_action.shortcuts()}
    assert {"Ctrl+Return", "Ctrl+Enter"} <= keys
