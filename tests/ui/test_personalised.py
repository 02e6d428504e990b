"""Personalised messages in the window: Insert field, placeholders highlighted (unknown marked),
the block message, the preview following the selection, the range and exact credits, a row
left out for an empty value ("no Course") in the grid and the confirmation, and the simulator
receiving each recipient's own text."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QTextCharFormat
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from vtsms_gui.core.history import resend_choices
from vtsms_gui.domain.recipients import Recipient
from vtsms_gui.domain.send_plan import SendOptions, build_plan
from vtsms_gui.simulator.faults import Fault
from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.storage.journal import Journal, default_journal_path
from vtsms_gui.ui.common import accessibility
from vtsms_gui.ui.connection.connection import LoginRequest
from vtsms_gui.ui.history import history_prompts
from vtsms_gui.ui.history.history_dialog import ResendRequest
from vtsms_gui.ui.history.history_models import RowColumn, SendColumn, SendRowsModel, SendsModel
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.recipients.recipients_model import RAW_ROLE, Column
from vtsms_gui.ui.send import send_controller, send_to_me
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

WAIT = 20_000
HEADERS = ("Client code", "Mobile", "First name", "Course")


def row(code: str | None, mobile: str, first: str, course: str) -> Recipient:
    cells = (code or "", mobile, first, course)
    extra = (("First name", first), ("Course", course))
    return Recipient(code, mobile, first, extra, HEADERS, cells)


ROWS = [
    row(None, "0412 000 001", "Olivia", "Cert III Individual Support"),
    row(None, "0412 000 002", "Zoë", "Cert IV Ageing Support"),
    row(None, "0412 000 003", "Jack", ""),  # no Course: left out
]


def load(window: MainWindow, text: str, rows: list[Recipient] = ROWS) -> None:
    window.ui.model.replace_recipients(rows)
    window.ui.compose.message.set_text(text)
    window.ui.personaliser.flush()


def sign_in(qtbot: QtBot, window: MainWindow, simulator: SimulatorServer) -> None:
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(LoginRequest(simulator.url, "demo", "demo"))


def test_insert_field_lists_the_columns_and_inserts_at_the_cursor(
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window()
    load(window, "Hi , see you")
    menu = window.ui.personaliser.field_menu
    menu.rebuild()
    names = [a.text() for a in menu.field_menu.actions()]
    assert names[:2] == ["Client code", "Mobile"]
    assert "First name" in names and "Course" in names
    editor = window.ui.compose.message.editor
    cursor = editor.textCursor()
    cursor.setPosition(3)
    editor.setTextCursor(cursor)
    next(a for a in menu.field_menu.actions() if a.text() == "First name").trigger()
    assert window.ui.compose.message.text() == "Hi {First name}, see you"
    assert menu.accessibleName() == "Insert field"


def _format_at(window: MainWindow, position: int) -> QTextCharFormat:
    block = window.ui.compose.message.editor.document().firstBlock()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= position < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)
    return QTextCharFormat()


def test_an_unknown_placeholder_is_marked_and_named_with_the_fields_there_are(
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window()
    load(window, "Hi {First name}, your {Curse} class")
    known = _format_at(window, 4)
    unknown = _format_at(window, 23)
    assert known.fontWeight() > 400
    assert unknown.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    span = window.ui.personaliser.highlighter.span_at(23)
    assert span is not None and span.name == "Curse"
    problem = window.ui.personaliser.panel.problem
    assert not problem.isHidden()
    assert 'no column called "Curse"' in html.unescape(problem.text())
    assert "Course" in problem.text() and "First name" in problem.text()
    # The message is at fault, not the rows: none is flagged.
    assert window.ui.model.value_problems == {}


def test_an_unclosed_brace_is_reported_with_its_position(
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window()
    load(window, "Hi {First name, see you")
    text = window.ui.personaliser.panel.problem.text()
    assert "character 4" in text


def test_an_unknown_placeholder_blocks_the_send_naming_it(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(send_controller, "show_cannot_send", lambda w, t: shown.append(t))
    window = make_window()
    sign_in(qtbot, window, simulator)
    load(window, "Hi {First name}, your {Curse} class")
    window.ui.request_send()
    message = html.unescape(shown[0]) if shown else ""
    assert 'There is no column called "Curse" for {Curse}' in message
    assert "The fields there are: Client code, Mobile, First name, Course" in message
    assert accept_confirmation == []
    assert simulator.sent == []


def test_the_preview_follows_the_selected_row(make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    load(window, "Hi {First name}, your {Course|course} class")
    preview = window.ui.personaliser.panel.preview
    assert "Hi Olivia, your Cert III Individual Support class" in preview.text()
    view = window.ui.recipients.view
    view.setCurrentIndex(view.model().index(1, Column.NAME))
    assert "Hi Zoë, your Cert IV Ageing Support class" in preview.text()
    assert "ë" in preview.text() and "Unicode" in preview.text()
    window.ui.compose.message.set_text("Hello {First name}")
    window.ui.personaliser.flush()
    assert "Hello Zoë" in preview.text()


def test_the_counter_gives_the_range_and_the_cost_is_the_exact_sum(
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window()
    # 150 characters of plain text: Olivia's fits one SMS, Zoë's (Unicode, 70 a part) needs 3.
    text = "Hi {First name}, " + "x" * 130 + " {Course|course}"
    rows = [*ROWS[:2], row(None, "0412 000 004", "Al", "Cert I")]
    load(window, text, rows)
    p = window.ui.personaliser.personalisation
    assert p is not None
    parts = [a.segments for a in p.analyses]
    assert min(parts) < max(parts)
    counter = window.ui.compose.message.counter.text()
    assert counter == f"{min(parts)}–{max(parts)} SMS per recipient"
    notes = window.ui.personaliser.panel.range.text()
    assert "1 recipient needs Unicode because of their values" in notes
    assert "row 2 (ë)" in notes and "names are sent as they are" in notes
    cost = window.ui.compose.cost.text()
    assert f"= {sum(parts)} credits" in cost
    assert f"{min(parts)}–{max(parts)} SMS × 3 recipients" in cost


def test_an_empty_value_is_flagged_in_the_grid_and_the_confirmation_says_so(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = make_window()
    sign_in(qtbot, window, simulator)
    load(window, "Hi {First name}, your {Course} class is on Monday.")
    model = window.ui.model
    assert model.data(model.index(2, Column.RESULT)) == "no Course"
    assert model.data(model.index(0, Column.RESULT)) in (None, "")
    counter = window.ui.personaliser.panel.range.text()
    assert "1 recipient is left out because of an empty value" in counter
    assert "× 2 recipients" in window.ui.compose.cost.text()

    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()

    dialog = accept_confirmation[0]
    assert dialog.rows["Left out"].text() == "1 row"
    excluded = dialog.findChild(QPlainTextEdit, "excludedRows")
    assert excluded is not None and "Row 3: no Course" in excluded.toPlainText()
    # Each recipient received their own text; the row with no Course got nothing.
    received = {sms.mobile: sms.message for sms in simulator.sent}
    assert received == {
        "0412000001": "Hi Olivia, your Cert III Individual Support class is on Monday.",
        "0412000002": "Hi Zoë, your Cert IV Ageing Support class is on Monday.",
    }


def test_a_test_to_me_sends_the_first_rows_text_and_is_recorded_as_a_test(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def answer(parent: object, current: str) -> str:
        asked.append(current)
        return "0412 999 999"

    monkeypatch.setattr(send_to_me, "ask_number", answer)
    window = make_window()
    sign_in(qtbot, window, simulator)
    load(window, "Hi {First name}, your {Course} class is on Monday.")
    assert window.ui.send_to_me.button.accessibleName() == "Send a test to me"

    with qtbot.waitSignal(window.ui.send_to_me.finished, timeout=WAIT) as blocker:
        window.ui.send_to_me.button.click()

    assert "Test sent to 0412 999 999" in blocker.args[0]
    assert [(s.mobile, s.message) for s in simulator.sent] == [
        ("0412999999", "Hi Olivia, your Cert III Individual Support class is on Monday.")
    ]
    assert window.settings.test_mobile == "0412 999 999"
    with Journal(default_journal_path()) as journal:
        sends = journal.list_sends()
    assert len(sends) == 1 and sends[0].test  # recorded in the history as a test
    model = SendsModel()
    model.set_sends(sends)
    assert model.data(model.index(0, SendColumn.MESSAGE)).startswith("Test to me · Hi {First")
    # Asked again, the number is offered back.
    with qtbot.waitSignal(window.ui.send_to_me.finished, timeout=WAIT):
        window.ui.send_to_me.button.click()
    assert asked == ["", "0412 999 999"]


def test_history_shows_the_template_and_each_rows_own_text(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = make_window()
    sign_in(qtbot, window, simulator)
    load(window, "Hi {First name}, your {Course|course} class is on Monday.")
    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()

    with Journal(default_journal_path()) as journal:
        summary = journal.list_sends()[0]
        record = journal.get_send(summary.send_id)
    sends = SendsModel()
    sends.set_sends([summary])
    message = sends.data(sends.index(0, SendColumn.MESSAGE))
    assert message.startswith("Hi {First name}")  # the template, placeholders kept
    rows = SendRowsModel()
    rows.set_record(record)
    assert rows.headerData(RowColumn.TEXT, Qt.Orientation.Horizontal) == "Text sent"
    texts = [rows.data(rows.index(i, RowColumn.TEXT)) for i in range(rows.rowCount())]
    assert texts == [
        "Hi Olivia, your Cert III Individual Support class is on Monday.",
        "Hi Zoë, your Cert IV Ageing Support class is on Monday.",
        "Hi Jack, your course class is on Monday.",
    ]
    assert record.message == "Hi {First name}, your {Course|course} class is on Monday."
    assert not summary.test


def test_the_confirmation_gives_the_range_and_the_exact_sum_not_one_row_times_all(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    # Olivia's text fits one SMS; Zoë's needs Unicode (70 a part): two parts.
    load(window, "Hi {First name}, your {Course|course} class moves to room 4 tomorrow, ok?")
    plan = build_plan(window.ui.compose.message.text(), window.ui.model.checked(), SendOptions())
    parts = sorted(b.segments for b in plan.batches for _ in b.recipients)
    assert parts == [1, 1, 2] and plan.credits == 4
    dialog = ConfirmSendDialog(plan, window)
    qtbot.addWidget(dialog)
    message = html.unescape(dialog.rows["Message"].text())
    assert "1-2 SMS per recipient" in message
    assert "1 recipient needs Unicode because of their values" in message
    credits = html.unescape(dialog.rows["Credits"].text())
    assert "4 credits" in credits and "× 3" not in credits  # not "1 SMS part × 3 recipients"
    buttons = [b.text() for b in dialog.findChildren(QPushButton)]
    assert "Send to 3 recipients" in buttons  # not "Send 3 SMS": 4 SMS parts go out


def test_the_preview_shows_a_header_with_angle_brackets_as_typed(
    make_window: Callable[..., MainWindow],
) -> None:
    headers = ("Mobile", "<b>Course</b>")
    rows = [Recipient(None, "0412 000 001", "", (), headers, ("0412 000 001", ""))]
    window = make_window()
    load(window, "Your {<b>Course</b>} class", rows)
    preview = window.ui.personaliser.panel.preview.text()
    assert "not sent: no &lt;b&gt;Course&lt;/b&gt;" in preview


def test_resend_to_not_sent_sends_each_row_its_own_text_again(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    """The journal keeps each row's text, not the columns it came from: the rows loaded to
    resend bring their texts along, and each recipient gets exactly the text it would have."""
    monkeypatch.setattr(history_prompts, "confirm_replace_list", lambda *args: True)
    window = make_window()
    sign_in(qtbot, window, simulator)
    load(window, "Hi {First name}, your {Course|course} class is on Monday.")
    simulator.inject(Fault.DROP_AFTER_RECORD, after=1)  # one text per request: 1 sent, 2 lost
    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()
    with Journal(default_journal_path()) as journal:
        record = journal.get_send(journal.list_sends()[0].send_id)
    waiting = resend_choices(record).safe
    assert len(waiting) == 1 and len(simulator.sent) == 2  # the third text never went out
    expected = record.text_of(waiting[0].row)
    assert expected.startswith("Hi ") and "{" not in expected

    # The grid has none of the original columns now; the text travels with the row.
    window.ui.model.clear()
    assert window.ui.history.resend(ResendRequest(record, waiting, demo=False))
    assert window.ui.compose.message.text() == "{Text sent}"
    assert "exact text it was sent before" in window.ui.result_banner.plain_text()
    window.ui.personaliser.flush()
    assert window.ui.personaliser.panel.problem.isHidden()  # nothing blocks the send
    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()

    assert [s.message for s in simulator.sent[2:]] == [expected]
    with Journal(default_journal_path()) as journal:
        resent = journal.get_send(journal.list_sends()[0].send_id)
    assert [resent.text_of(r.row) for r in resent.recipients] == [expected]


def test_the_counter_under_a_template_gives_the_range_per_recipient_and_is_announced(
    make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not the template's own count ("GSM-7 · 103/160 · 1 SMS", "{First name|there}" and all)."""
    events: list[tuple[QAccessible.Event, object]] = []

    def record(event: QAccessibleEvent) -> None:
        events.append((event.type(), event.object()))

    monkeypatch.setattr(accessibility, "_update", record)
    window = make_window()
    counter = window.ui.compose.message.counter
    text = "Hi {First name|there}, your {Course|course} class moves to room 4 tomorrow, ok?"
    load(window, text)
    assert counter.text() == "1–2 SMS per recipient"
    assert "GSM-7" not in counter.text()
    spoken = counter.accessibleDescription()
    assert "1 to 2 SMS per recipient" in spoken and "own text" in spoken
    assert (QAccessible.Event.DescriptionChanged, counter) in events
    assert "as typed, placeholders and all: GSM-7" in counter.toolTip()
    # Typing keeps the last range until the recount; a plain message is counted as typed again.
    window.ui.compose.message.set_text("Hi class, room 4 tomorrow")
    window.ui.personaliser.flush()
    assert counter.text() == "GSM-7 · 25/160 · 1 SMS"
    assert "25 of 160 characters" in counter.accessibleDescription()
    # With no rows loaded there is nothing per recipient: the template is counted as typed.
    window.ui.model.replace_recipients([])
    window.ui.compose.message.set_text("Your number: {Mobile}")
    window.ui.personaliser.flush()
    assert window.ui.personaliser.panel.problem.isHidden()
    assert counter.text().startswith("GSM-7 · ")


def test_a_row_a_value_leaves_out_is_flagged_in_the_check_column(
    make_window: Callable[..., MainWindow],
) -> None:
    rows = [*ROWS, row(None, "0412 000 004", "Bad\x01", "Cert I")]
    window = make_window()
    load(window, "Hi {First name}, your {Course} class is on Monday.", rows)
    model = window.ui.model
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.data(model.index(0, Column.STATE)) == "Ready"
    assert model.data(model.index(2, Column.STATE)) == "Check"  # no Course
    assert "no Course: give it a value, or use {Course|fallback}" in model.data(
        model.index(2, Column.STATE), tip
    )
    assert model.data(model.index(2, Column.STATE), RAW_ROLE) == 1  # sorts with the warnings
    assert model.data(model.index(3, Column.STATE)) == "Check"  # a character that cannot be sent
    bad = model.data(model.index(3, Column.RESULT), tip)
    assert "U+0001" in bad and "fix the cell" in bad and "empty" not in bad
    # The line under the grid says it for the keyboard (the Result column may be off screen).
    view = window.ui.recipients.view
    view.setCurrentIndex(view.model().index(2, Column.NAME))
    detail = window.ui.recipients.findChild(QLabel, "rowDetail")
    assert detail is not None
    assert "no Course: give it a value, or use {Course|fallback}" in detail.text()
    # A plain message leaves nobody out: the rows are Ready again.
    window.ui.compose.message.set_text("Hi all, class is on Monday.")
    window.ui.personaliser.flush()
    assert model.data(model.index(2, Column.STATE)) == "Ready"


@pytest.mark.parametrize(
    "text", ["Hi {First name}, your {Curse} class", "Hi {First name, your class"]
)
def test_a_blocked_message_shows_no_empty_preview_and_no_misleading_cost(
    make_window: Callable[..., MainWindow], text: str
) -> None:
    window = make_window()
    load(window, text)
    panel = window.ui.personaliser.panel
    assert not panel.problem.isHidden()
    assert panel.preview.isHidden()
    cost = window.ui.compose.cost.text()
    assert "cannot be counted until the message is fixed" in cost
    assert "×" not in cost and "credit" not in cost
    assert window.ui.compose.message.counter.text() == "Not counted: fix the message"
    # Fixed, it counts again.
    window.ui.compose.message.set_text("Hi {First name}, your {Course|course} class")
    window.ui.personaliser.flush()
    assert not panel.preview.isHidden()
    assert "= 3 credits" in window.ui.compose.cost.text()


def test_the_notes_say_why_each_row_was_left_out(make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    notes = window.ui.personaliser.panel.range
    unsendable = row(None, "0412 000 004", "Bad\x01", "Cert I")
    load(window, "Hi {First name}, your {Course|course} class", [*ROWS[:2], unsendable])
    assert (
        "1 recipient is left out because a value has a character that cannot be sent"
        in notes.text()
    )
    assert "empty" not in notes.text()
    load(window, "Hi {First name}, your {Course} class", [*ROWS, unsendable])
    assert (
        "2 recipients are left out: 1 because of an empty value, 1 because a value has a "
        "character that cannot be sent."
    ) in notes.text()


def test_invisible_characters_that_force_unicode_are_named(
    make_window: Callable[..., MainWindow],
) -> None:
    rows = [
        row(None, "0412 000 001", "Mia\u200dLee", "Cert I"),
        row(None, "0412 000 002", "Li\tAn", "Cert\u00a0II"),
    ]
    window = make_window()
    load(window, "Hi {First name}, your {Course} class", rows)
    notes = window.ui.personaliser.panel.range.text()
    assert "row 1 (U+200D zero width joiner)" in notes
    assert "row 2 (a tab, U+00A0 no-break space)" in notes
    assert not {"\u200d", "\t", "\u00a0"} & set(notes)
    preview = window.ui.personaliser.panel.preview.text()
    assert "because of U+200D zero width joiner in its values" in preview
