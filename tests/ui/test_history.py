"""The window's history: the notice after a crash, past sends and their rows, reusing a message,
exporting, resending failures (and unknown rows only after a warning), journal problems shown
in plain English, and a history that loads without stalling the window."""

from __future__ import annotations

import csv
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from vtsms_gui.api.client import SmsStatus
from vtsms_gui.api.send_runner import SendReport
from vtsms_gui.core.history import ResendOrigin
from vtsms_gui.domain.outcomes import Outcome, OutcomeCounts, RecipientOutcome, SendRecorder
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import Batch, SendOptions, SendPlan, build_plan
from vtsms_gui.simulator.faults import Fault
from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.storage.journal import (
    BatchState,
    InterruptedBatch,
    Journal,
    JournalRecorder,
    SendSummary,
    default_journal_path,
)
from vtsms_gui.ui.common.label_roles import RAW_ROLE
from vtsms_gui.ui.common.theme import Tone, tone_colour
from vtsms_gui.ui.compose.options_panel import OptionsPanel
from vtsms_gui.ui.connection.connection import LoginRequest, Session
from vtsms_gui.ui.history import history_prompts
from vtsms_gui.ui.history.history_dialog import HistoryDialog
from vtsms_gui.ui.history.history_models import (
    RowColumn,
    SendColumn,
    SendsModel,
    when_text,
    who_text,
)
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

WAIT = 20_000
MESSAGE = "Hi, class moves to room 4 tomorrow. Reply to your trainer with questions."
NO_MOBILE = Recipient("00056", None, "Lachlan Brown")  # a demo client without a mobile
NOT_A_CLIENT = Recipient("99999", None, "Nobody")
UNKNOWN = "unknown (check before resending)"


def sign_in(qtbot: QtBot, window: MainWindow, simulator: SimulatorServer) -> list[object]:
    """Signs in and waits for the journal's recovery that follows; returns what it found."""
    found: list[object] = []
    window.ui.history.recovered.connect(found.append)
    signals = [window.connection.logged_in, window.ui.history.recovered]
    with qtbot.waitSignals(signals, order="strict", timeout=WAIT):
        window.connection.log_in(LoginRequest(simulator.url, "demo", "demo"))
    window.ui.history.recovered.disconnect(found.append)
    return found[0]  # type: ignore[return-value]


def mobiles(count: int, start: int = 0) -> list[Recipient]:
    return [
        Recipient(None, f"0412 {i // 1000:03d} {i % 1000:03d}", f"Student {i}")
        for i in range(start, start + count)
    ]


def send_and_wait(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()


def open_history(qtbot: QtBot, window: MainWindow) -> HistoryDialog:
    """File › History…, once it has read the list and the newest send's rows."""
    window.ui.history_action.trigger()
    dialog = window.ui.history.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.idle and dialog.record is not None, timeout=WAIT)
    return dialog


def reread(qtbot: QtBot, dialog: HistoryDialog) -> None:
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.idle, timeout=WAIT)


def shown_results(dialog: HistoryDialog) -> list[str]:
    return [dialog.rows_model.result_text(r) for r in range(dialog.rows_model.rowCount())]


def plain(label: QLabel) -> str:
    return QTextDocumentFragment.fromHtml(label.text()).toPlainText()


def grid_results(window: MainWindow) -> list[str]:
    model = window.ui.model
    return [label.text if (label := model.result(r)) else "" for r in range(model.recipient_count)]


def sent(batch: Batch) -> list[RecipientOutcome]:
    return [
        RecipientOutcome(r.row, r.client_code, r.mobile, 1, Outcome.SENT, "queued", batch.number)
        for r in batch.recipients
    ]


def small_plan(count: int, batch_size: int = 2, message: str = MESSAGE) -> SendPlan:
    checked = check_recipients(mobiles(count), PhoneParser())
    return build_plan(message, checked, SendOptions(batch_size=batch_size), balance=1000)


@pytest.fixture
def journalled(make_window: Callable[..., MainWindow]) -> Callable[..., MainWindow]:
    """Builds windows that journal their sends, as `vtsms-gui` does (every window does)."""
    return make_window


@pytest.fixture
def interrupted(
    qtbot: QtBot,
    journalled: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> MainWindow:
    """A window after a send of 250 rows whose second batch got no answer: batch 1 answered
    (rows 0-1 failed, 2-99 queued), batch 2 unknown (100-199), batch 3 not sent (200-249)."""
    window = journalled()
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients([NO_MOBILE, NOT_A_CLIENT, *mobiles(248)])
    window.ui.compose.message.set_text(MESSAGE)
    window.ui.compose.options.sender_edit.setText("Riverside")
    simulator.inject(Fault.DROP_AFTER_RECORD, after=1)
    send_and_wait(qtbot, window)
    assert len(simulator.sent) == 98 + 100  # batch 2 went out, but its answer never came
    return window


# ----- after a crash -----------------------------------------------------------------------


def test_an_interrupted_send_is_reported_after_signing_in_and_opens_in_history(
    qtbot: QtBot, make_window: Callable[..., MainWindow], simulator: SimulatorServer
) -> None:
    plan = small_plan(5)
    with Journal(default_journal_path()) as journal:
        send_id = journal.create_send(plan, server=simulator.url, username="demo")
        recorder = journal.recorder(send_id)
        recorder.batch_started(plan.batches[0])
        recorder.batch_finished(plan.batches[0], sent(plan.batches[0]), balance=98)
        recorder.batch_started(plan.batches[1])
        recorder.close()  # as if the app died here: batch 2 stays in flight

    window = make_window()
    [found] = sign_in(qtbot, window, simulator)
    assert (found.send_id, found.batch) == (send_id, 2)  # type: ignore[attr-defined]
    notice = window.ui.recovery_notice
    assert not notice.isHidden()

    text = notice.plain_text()
    assert "A send was interrupted" in text
    assert f"Send {send_id} stopped while batch 2 was being sent" in text
    assert "2 recipients may or may not have received the SMS" in text
    assert "Check the SMS history in VETtrak before resending" in text
    assert "1 other recipient of this send was not sent: “Resend to failed / not sent”" in text
    assert window.ui.result_banner.isHidden()  # nothing modal, nothing else in the way
    with Journal(default_journal_path()) as journal:
        assert journal.get_send(send_id).batches[1].state is BatchState.UNKNOWN

    [button] = notice.buttons
    assert button.text() == f"Open {send_id} in History" and button.accessibleName()
    button.click()
    dialog = window.ui.history.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.idle and dialog.record is not None, timeout=WAIT)
    assert dialog.record is not None and dialog.record.send_id == send_id
    assert shown_results(dialog) == ["queued", "queued", UNKNOWN, UNKNOWN, "not sent"]
    assert dialog.resend_unknown_button.text() == "Resend to u&nknown (2)…"

    # Signing in again finds nothing new to report.
    notice.close_button.click()
    assert sign_in(qtbot, window, simulator) == []
    assert notice.isHidden()


# ----- the history -------------------------------------------------------------------------


def test_history_lists_a_send_from_the_window_with_every_row_as_in_the_grid(
    qtbot: QtBot, interrupted: MainWindow, simulator: SimulatorServer
) -> None:
    window = interrupted
    dialog = open_history(qtbot, window)

    model = dialog.sends_model
    assert model.rowCount() == 1
    cell = {c: model.index(0, c).data() for c in SendColumn}
    assert cell[SendColumn.SEND] == "S-000001"
    assert cell[SendColumn.WHO] == "demo@127.0.0.1"
    assert cell[SendColumn.SENDER] == "Riverside"
    assert cell[SendColumn.MESSAGE] == "Hi, class moves to room 4 tomorrow.…"
    assert [cell[c] for c in (SendColumn.SENT, SendColumn.FAILED)] == ["98", "2"]
    assert [cell[c] for c in (SendColumn.UNKNOWN, SendColumn.NOT_SENT)] == ["100", "50"]
    assert cell[SendColumn.CREDITS] == "250"
    assert model.index(0, SendColumn.WHEN).data().endswith(("AM", "PM"))

    # Every row, with the grid's own word, icon, colour and reason.
    assert shown_results(dialog) == grid_results(window)
    rows = dialog.rows_model
    assert rows.index(0, RowColumn.CLIENT_CODE).data() == "00056"
    grid = window.ui.model
    for row in (0, 2, 150, 249):
        for role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole):
            assert rows.index(row, RowColumn.RESULT).data(role) == grid.index(row, 4).data(role)
        assert rows.index(row, RowColumn.RESULT).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Sent 98 · Failed 2 · Unknown 100 · Not sent 50" in plain(dialog.counts)
    assert dialog.facts.text().startswith("From Riverside · 1 SMS part each · 250 recipients")
    assert dialog.message_view.toPlainText() == MESSAGE
    assert dialog.resend_button.text() == "Resend to &failed / not sent (52)…"
    for widget in (dialog.sends_view, dialog.rows_view, dialog.message_view, dialog.counts):
        assert widget.accessibleName()


def test_use_this_message_puts_it_in_the_editor_as_one_undoable_edit(
    qtbot: QtBot, interrupted: MainWindow
) -> None:
    window = interrupted
    editor = window.ui.compose.message
    editor.set_text("A draft I was writing")
    dialog = open_history(qtbot, window)

    dialog.use_button.click()

    assert editor.text() == MESSAGE
    editor.editor.undo()
    assert editor.text() == "A draft I was writing"


def test_export_csv_writes_every_row_of_the_send(
    qtbot: QtBot, interrupted: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "send.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    dialog = open_history(qtbot, interrupted)

    dialog.export_button.click()

    qtbot.waitUntil(lambda: "Exported 250 rows" in dialog.status.text(), timeout=WAIT)
    with target.open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert lines[0][:5] == ["Send", "Row", "Client code", "Mobile", "Result"]
    assert lines[1][:5] == ["S-000001", "1", "00056", "", "no mobile number"]
    assert [line[4] for line in lines[1:]].count(UNKNOWN) == 100
    assert len(lines) == 251


def test_export_to_a_folder_that_cannot_be_written_says_so(
    qtbot: QtBot, interrupted: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "no such folder" / "send.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    dialog = open_history(qtbot, interrupted)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.problem.isHidden(), timeout=WAIT)
    assert "The file could not be written: No such file or directory" in plain(dialog.problem)


# ----- resending ---------------------------------------------------------------------------


def test_resend_to_failed_loads_exactly_those_rows_for_a_new_send(
    qtbot: QtBot,
    interrupted: MainWindow,
    simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = interrupted
    asked: list[tuple[int, int, str]] = []

    def replace_list(parent: object, current: int, loaded: int, send_id: str) -> bool:
        asked.append((current, loaded, send_id))
        return True

    monkeypatch.setattr(history_prompts, "confirm_replace_list", replace_list)
    window.ui.compose.message.set_text("Something else")
    window.ui.compose.options.sender_edit.setText("Other")
    dialog = open_history(qtbot, window)

    dialog.resend_button.click()

    assert asked == [(250, 52, "S-000001")]  # the grid was not empty: it asked first
    grid = window.ui.model
    expected = [NO_MOBILE, NOT_A_CLIENT, *mobiles(50, start=200 - 2)]  # grid rows 0-1, 200-249
    assert [(r.client_code, r.mobile and r.mobile.replace(" ", "")) for r in grid.recipients] == [
        (r.client_code, r.mobile and r.mobile.replace(" ", "")) for r in expected
    ]
    assert window.ui.compose.message.text() == MESSAGE
    assert window.ui.compose.options.sender_edit.text() == "Riverside"
    assert "52 rows of send S-000001 are in the list" in window.ui.result_banner.plain_text()
    assert simulator.sent and len(simulator.sent) == 198  # nothing sent by loading them

    # Sent as usual: a new send of just those rows, and the old ones are marked resent.
    send_and_wait(qtbot, window)
    assert accept_confirmation[-1].rows["Resending"].text() == "52 rows of send S-000001"
    assert len(simulator.sent) == 198 + 50  # the two failures fail again, at no charge
    assert grid_results(window)[:3] == ["no mobile number", "client code not found", "queued"]
    with Journal(default_journal_path()) as journal:
        first = journal.get_send("S-000001")
        assert set(first.resent_in) == {0, 1, *range(200, 250)}
        assert set(first.resent_in.values()) == {"S-000002"}
        assert journal.get_send("S-000002").counts.sent == 50
        # `vtsms resume S-000001` would now find nobody waiting: nobody gets it twice.
        assert journal.pending_recipients("S-000001") == []
    qtbot.waitUntil(lambda: dialog.idle, timeout=WAIT)
    dialog.load("S-000001")
    qtbot.waitUntil(lambda: dialog.idle, timeout=WAIT)
    assert not dialog.resend_button.isEnabled()
    assert not dialog.rows_view.isColumnHidden(RowColumn.RESENT_IN)
    assert dialog.rows_model.index(0, RowColumn.RESENT_IN).data() == "S-000002"
    assert "52 rows resent in S-000002" in plain(dialog.counts)


def test_keeping_the_list_loads_nothing(
    qtbot: QtBot, interrupted: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_prompts, "confirm_replace_list", lambda *args: False)
    dialog = open_history(qtbot, interrupted)
    dialog.resend_button.click()
    assert interrupted.ui.model.recipient_count == 250
    assert interrupted.ui.history.origin is None


def test_resend_to_unknown_needs_an_explicit_confirmation(
    qtbot: QtBot, interrupted: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = interrupted
    window.ui.model.clear()
    answers = iter([False, True])
    asked: list[tuple[int, str]] = []

    def confirm(parent: object, count: int, send_id: str) -> bool:
        asked.append((count, send_id))
        return next(answers)

    monkeypatch.setattr(history_prompts, "confirm_resend_unknown", confirm)
    dialog = open_history(qtbot, window)

    dialog.resend_unknown_button.click()  # the user cancels the warning
    assert asked == [(100, "S-000001")]
    assert window.ui.model.recipient_count == 0

    dialog.resend_unknown_button.click()  # the user read it, checked VETtrak, and goes on
    assert [r.mobile for r in window.ui.model.recipients][:1] == ["0412000098"]
    assert window.ui.model.recipient_count == 100


def test_the_unknown_warning_explains_the_risk_and_defaults_to_cancel(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[QMessageBox] = []

    def press_enter(box: QMessageBox) -> int:
        seen.append(box)
        box.defaultButton().click()  # what Enter does
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_enter)
    assert history_prompts.confirm_resend_unknown(None, 3, "S-000004") is False
    [box] = seen
    text = box.text()
    assert "may already have received" in text
    assert "twice" in text and "charged again" in text
    assert "Check the SMS history in VETtrak first" in text
    assert box.defaultButton() is box.escapeButton()
    assert box.defaultButton().text() == "Cancel"
    assert history_prompts.confirm_replace_list(None, 5, 2, "S-000004") is False


# ----- journal problems --------------------------------------------------------------------


def test_a_journal_that_cannot_be_opened_is_explained_and_the_window_still_works(
    qtbot: QtBot,
    journalled: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    default_journal_path().write_bytes(b"a spreadsheet saved over the journal\n" * 100)
    window = journalled()
    assert sign_in(qtbot, window, simulator) is None  # the journal could not be used

    banner = window.ui.journal_banner
    assert not banner.isHidden()
    assert "The send journal cannot be used" in banner.plain_text()
    assert "damaged" in banner.plain_text()

    window.ui.history_action.trigger()
    dialog = window.ui.history.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.problem.isHidden(), timeout=WAIT)
    assert "damaged" in plain(dialog.problem)
    assert not dialog.resend_button.isEnabled()

    # The window works: a list, a message, and a send that stops before anything goes out.
    window.ui.model.replace_recipients(mobiles(3))
    window.ui.compose.message.set_text(MESSAGE)
    with qtbot.waitSignal(window.ui.send_flow.crashed, timeout=WAIT):
        window.ui.request_send()
    assert simulator.sent == []
    assert grid_results(window) == ["not sent"] * 3
    assert "damaged" in window.ui.result_banner.plain_text()
    assert not window.ui.model.locked


class FailingJournal:
    """The journal's recorder, made read-only (as a full or read-only disk does) at a step."""

    def __init__(self, *, before_batch: int = 0) -> None:
        self._inner: JournalRecorder | None = None
        self._before_batch = before_batch

    def wrap(self, inner: SendRecorder) -> FailingJournal:
        assert isinstance(inner, JournalRecorder)
        self._inner = inner
        return self

    def _break(self) -> None:
        assert self._inner is not None
        self._inner._file.connection.execute("PRAGMA query_only = ON")

    def batch_started(self, batch: Batch) -> None:
        assert self._inner is not None
        if batch.number == self._before_batch:
            self._break()
        self._inner.batch_started(batch)

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None:
        assert self._inner is not None
        if not self._before_batch:
            self._break()
        self._inner.batch_finished(batch, outcomes, balance)


@pytest.mark.parametrize("before_batch", [2, 0], ids=["before batch 2", "after batch 1 answered"])
def test_a_journal_write_failure_stops_the_send_before_the_next_batch(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
    before_batch: int,
) -> None:
    window = make_window(recorder_hook=FailingJournal(before_batch=before_batch).wrap)
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(mobiles(250))
    window.ui.compose.message.set_text(MESSAGE)

    reports: list[SendReport] = []
    window.ui.send_flow.finished.connect(reports.append)
    recovered: list[InterruptedBatch] = []
    window.ui.history.recovered.connect(recovered.extend)
    signals = [window.ui.send_flow.finished, window.ui.history.recovered]
    with qtbot.waitSignals(signals, order="strict", timeout=WAIT):
        window.ui.request_send()

    assert reports[0].journal_error is not None
    assert len(simulator.sent) == 100  # batch 1 only: nothing went out unrecorded
    # Rows VETtrak answered show its answer even when the journal could not record it.
    assert grid_results(window) == ["queued"] * 100 + ["not sent"] * 150
    banner = window.ui.result_banner.plain_text()
    assert "The send stopped because the send journal could not record it" in banner
    assert "read-only" in banner and "Batches 2–3: not sent." in banner
    assert window.ui.result_banner.tone is Tone.BAD
    assert window.ui.compose.message.text() == MESSAGE
    # The window recovered the journal straight away (with its own, writable, connection).
    with Journal(default_journal_path()) as journal:
        batches = journal.get_send("S-000001").batches
    if before_batch:
        assert recovered == []
        assert [b.state for b in batches] == [BatchState.DONE, *[BatchState.PLANNED] * 2]
    else:  # answered but not recorded: the journal can only say "unknown", and the window says so
        assert [(b.send_id, b.batch) for b in recovered] == [("S-000001", 1)]
        assert [b.state for b in batches] == [BatchState.UNKNOWN, *[BatchState.PLANNED] * 2]
        assert "Send S-000001 stopped while batch 1" in window.ui.recovery_notice.plain_text()


def test_demo_sends_have_a_history_of_their_own(
    qtbot: QtBot, journalled: Callable[..., MainWindow], accept_confirmation: list[object]
) -> None:
    window = journalled()
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.ui.start_demo()
    window.ui.model.replace_recipients(mobiles(3))
    window.ui.compose.message.set_text(MESSAGE)
    send_and_wait(qtbot, window)

    assert not default_journal_path().exists()  # the real history stays empty
    with Journal(default_journal_path(demo=True)) as journal:
        assert [s.counts.sent for s in journal.list_sends()] == [3]
    dialog = open_history(qtbot, window)
    assert dialog.demo and "demo" in dialog.windowTitle()
    assert dialog.sends_model.index(0, SendColumn.WHO).data() == "demo (practice)"


# ----- responsiveness ----------------------------------------------------------------------


def test_loading_a_long_history_never_stalls_the_event_loop(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal(default_journal_path()) as journal:
        journal._db.execute("PRAGMA synchronous = OFF")  # only to write the test data quickly
        plan = small_plan(60, batch_size=20)
        for number in range(300):
            send_id = journal.create_send(
                plan, server="https://rto.example/VT_API.asmx", username="a"
            )
            with journal.recorder(send_id) as recorder:
                for batch in plan.batches[: number % 4]:
                    recorder.batch_started(batch)
                    recorder.batch_finished(batch, sent(batch), balance=None)
    # A slow disk (or another window writing): every read of the journal takes 0.5 s more.
    # On the GUI thread that would be a 500 ms freeze; on the worker it is just a wait.
    readers: list[bool] = []

    def slowly(read: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            readers.append(threading.current_thread() is threading.main_thread())
            time.sleep(0.5)
            return read(*args, **kwargs)

        return wrapper

    for name in ("list_sends", "get_send"):
        monkeypatch.setattr(Journal, name, slowly(getattr(Journal, name)))
    window = make_window()
    window.show()
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start()
    try:
        dialog = open_history(qtbot, window)
        dialog.sends_view.selectRow(5)
        qtbot.waitUntil(lambda: dialog.idle and dialog.record is not None, timeout=WAIT)
        qtbot.wait(50)
    finally:
        heartbeat.stop()
    assert dialog.sends_model.rowCount() == 300
    assert dialog.sends_proxy.index(0, SendColumn.SEND).data() == "S-000300"  # newest first
    assert dialog.record is not None
    assert dialog.record.send_id == dialog.sends_proxy.index(5, SendColumn.SEND).data()
    assert dialog.rows_model.rowCount() == 60
    assert readers and not any(readers)  # no read ran on the GUI thread
    gaps = [later - earlier for earlier, later in itertools.pairwise(beats)]
    assert len(beats) > 20
    # Any read on the GUI thread would stall it 500 ms or more. The bound sits well below
    # that and above the building of the dialog on a busy machine (52 ms on a quiet one, up to
    # 173 ms seen while other jobs ran); the 50 ms target is measured, on a send, by
    # tests/benchmarks/bench_gui.py.
    assert max(gaps) < 0.300, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"


# ----- the parts, without a window ---------------------------------------------------------


def summary(number: int, created: datetime, **counts: int) -> SendSummary:
    return SendSummary(
        send_id=f"S-{number:06d}",
        created_at=created,
        server="https://vettrak.riverside.edu.au/VT_API.asmx",
        username="sms.office",
        sender="",
        message="Class is cancelled today. See you on Monday at 9.",
        counts=OutcomeCounts(**counts),
        credits=sum(counts.values()),
        recipients=sum(counts.values()),
        attempts=1,
    )


def test_the_sends_model_shows_each_send_and_sorts_newest_first(qtbot: QtBot) -> None:
    moment = datetime(2026, 3, 4, 3, 5, tzinfo=UTC)
    model = SendsModel()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(RAW_ROLE)
    # Two sends in the same second, an older one, listed out of order.
    model.set_sends(
        [
            summary(2, moment, sent=3),
            summary(3, moment, failed=2),
            summary(1, moment.replace(hour=1)),
        ]
    )
    proxy.sort(SendColumn.WHEN, Qt.SortOrder.DescendingOrder)

    assert [proxy.index(r, SendColumn.SEND).data() for r in range(3)] == [
        "S-000003",
        "S-000002",
        "S-000001",
    ]
    assert model.index(0, SendColumn.WHEN).data() == when_text(moment)
    assert when_text(datetime(2026, 3, 4, 0, 5, tzinfo=moment.astimezone().tzinfo)) == (
        "Wed 4 Mar 2026 12:05 AM"
    )
    assert model.index(0, SendColumn.WHO).data() == "sms.office@vettrak.riverside.edu.au"
    assert model.index(0, SendColumn.SENDER).data() == "(default number)"
    failed = model.index(1, SendColumn.FAILED)
    assert failed.data() == "2" and failed.data(RAW_ROLE) == 2
    assert failed.data(Qt.ItemDataRole.DecorationRole) is not None
    assert failed.data(Qt.ItemDataRole.ForegroundRole) == tone_colour(Tone.BAD)
    zero = model.index(0, SendColumn.FAILED)
    assert zero.data(Qt.ItemDataRole.DecorationRole) is None  # zeros stay plain
    assert who_text(None, None) == "not recorded"
    assert who_text("demo", "http://127.0.0.1:5/VT_API.asmx", demo=True) == "demo (practice)"


def test_resend_rows_link_only_to_a_send_in_the_same_journal_and_vettrak() -> None:
    old = [
        RecipientOutcome(4, "00056", None, -1, Outcome.FAILED, "no mobile", 1),
        RecipientOutcome(9, None, "0412000009", None, Outcome.NOT_SENT, "not sent", 2),
    ]
    server = "https://vettrak.riverside.edu.au/VT_API.asmx"
    origin = ResendOrigin.of("S-000007", server, old, demo=False)
    checked = check_recipients(
        [
            Recipient(None, "0412 000 009"),
            Recipient("00056", None),
            Recipient(None, "0412 999 999"),
        ],
        PhoneParser(),
    )
    plan = build_plan(MESSAGE, checked, SendOptions(), balance=100)

    def session(url: str, demo: bool = False) -> Session:
        return Session(url, "u", demo, SmsStatus(1, 100, ""))

    linked = origin.link(plan, session(server))

    assert linked.resend_of is not None
    assert (linked.resend_of.send_id, linked.resend_of.rows) == ("S-000007", (4, 9))
    assert origin.link(plan, session("https://other.example/VT_API.asmx")).resend_of is None
    assert origin.link(plan, session(server, demo=True)).resend_of is None
    # The demo's address changes every run: any demo session is the demo's journal.
    demo_origin = ResendOrigin.of("S-000007", "http://127.0.0.1:1/VT_API.asmx", old, demo=True)
    assert demo_origin.link(plan, session("http://127.0.0.1:2/VT_API.asmx", True)).resend_of
    assert demo_origin.link(plan, session(server)).resend_of is None


def test_options_of_a_past_send_are_shown_and_a_past_schedule_becomes_now(qtbot: QtBot) -> None:
    panel = OptionsPanel()
    qtbot.addWidget(panel)
    later = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    panel.set_options(
        SendOptions(sender="Riverside", marketing=True, provider_id="P1", schedule=later)
    )
    options = panel.options()
    assert (options.sender, options.marketing, options.provider_id) == ("Riverside", True, "P1")
    assert options.schedule == later
    panel.set_options(SendOptions(accept_replies=True, schedule=later - timedelta(days=4)))
    options = panel.options()
    assert options.accept_replies and options.schedule is None and options.sender == ""
