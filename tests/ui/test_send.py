"""Sending from the window to the simulator: confirmation, results in the rows, balance,
an event loop that never stalls, cancel between batches, closing during a send, long lists
planned in a worker, and a token expiring mid-send."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from vtsms_gui.domain.outcomes import RecipientOutcome, SendRecorder
from vtsms_gui.domain.recipients import Recipient
from vtsms_gui.domain.send_plan import Batch
from vtsms_gui.simulator.faults import Fault
from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.ui.common.feedback import ScriptedFeedback
from vtsms_gui.ui.connection.connection import LoginRequest
from vtsms_gui.ui.main_window import MainWindow
from vtsms_gui.ui.recipients.recipients_model import Column
from vtsms_gui.ui.send import send_controller
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog

WAIT = 20_000
MESSAGE = "Hi, class moves to room 4 tomorrow. Reply to your trainer with questions."


def sign_in(qtbot: QtBot, window: MainWindow, simulator: SimulatorServer) -> None:
    with qtbot.waitSignal(window.connection.logged_in, timeout=WAIT):
        window.connection.log_in(LoginRequest(simulator.url, "demo", "demo"))


def mobiles(count: int) -> list[Recipient]:
    return [
        Recipient(None, f"0412 {i // 1000:03d} {i % 1000:03d}", f"Student {i}")
        for i in range(count)
    ]


def result(window: MainWindow, row: int) -> str:
    label = window.ui.model.result(row)
    return label.text if label else ""


def send_and_wait(qtbot: QtBot, window: MainWindow) -> object:
    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT) as blocker:
        window.ui.request_send()
    return blocker.args[0] if blocker.args else None


def test_send_puts_results_in_rows_and_shows_the_balance(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = make_window()
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(
        [
            Recipient("00125", "0491 570 006", "Olivia Nguyen"),
            Recipient("03037", None, "Jack Wilson"),  # sent to the mobile VETtrak holds
            Recipient("00056", None, "Lachlan Brown"),  # no mobile in VETtrak
            Recipient("99999", None, "Nobody"),  # not a VETtrak client
            Recipient(None, "12345", "Typo"),  # invalid: left out
        ]
    )
    window.ui.compose.message.set_text(MESSAGE)

    send_and_wait(qtbot, window)

    assert [result(window, row) for row in range(5)] == [
        "queued",
        "queued",
        "no mobile number",
        "client code not found",
        "not sent (excluded)",
    ]
    assert not window.ui.result_banner.isHidden()
    assert simulator.balance == 5000 - 2
    assert "Sent 2 · Failed 2" in window.ui.result_banner.plain_text()
    assert f"Balance {simulator.balance:,}" in window.ui.result_banner.plain_text()
    assert window.ui.balance_label.text() == f"Balance: {simulator.balance:,} SMS credits"
    # The confirmation showed the plan.
    dialog = accept_confirmation[0]
    assert dialog.rows["Recipients"].text() == "4 recipients"
    assert dialog.rows["Left out"].text() == "1 row"
    assert "4,996" in dialog.rows["Balance after"].text()
    # After the send: unlocked, message and list kept.
    assert not window.ui.model.locked
    assert window.ui.compose.message.text() == MESSAGE
    assert window.ui.model.recipient_count == 5


def test_confirmation_declined_sends_nothing(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ConfirmSendDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window = make_window()
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(mobiles(3))
    window.ui.compose.message.set_text(MESSAGE)
    window.ui.request_send()
    assert not window.ui.send_flow.running
    assert simulator.sent == []


def test_blockers_stop_before_the_confirmation(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
    scripted_feedback: ScriptedFeedback,
) -> None:
    window = make_window()
    sign_in(qtbot, window, simulator)
    window.ui.compose.message.set_text("")
    window.ui.model.replace_recipients(mobiles(2))
    window.ui.request_send()
    shown = scripted_feedback.texts
    assert [a.title for a in scripted_feedback.asked] == ["Cannot send yet"]
    assert shown and "The message is empty." in shown[0]
    assert accept_confirmation == []


def test_the_event_loop_never_stalls_during_a_slow_send(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    with SimulatorServer(port=0, latency=0.15) as slow:
        window = make_window()
        sign_in(qtbot, window, slow)
        window.ui.model.replace_recipients(mobiles(300))
        window.ui.compose.message.set_text(MESSAGE)
        beats: list[float] = []
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
        heartbeat.start()
        try:
            send_and_wait(qtbot, window)
        finally:
            heartbeat.stop()
        assert slow.balance == 5000 - 300
    gaps = [later - earlier for earlier, later in itertools.pairwise(beats)]
    assert len(beats) > 20  # the send took several beats: the loop ran during it
    assert max(gaps) < 0.050, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"


class PassingOn:
    """Wraps the journal's recorder of a send (the window's `recorder_hook`), passing every
    call on to it; subclasses watch or act at a step."""

    def __init__(self) -> None:
        self._inner: SendRecorder | None = None

    def wrap(self, inner: SendRecorder) -> PassingOn:
        self._inner = inner
        return self

    def batch_started(self, batch: Batch) -> None:
        assert self._inner is not None
        self._inner.batch_started(batch)

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None:
        assert self._inner is not None
        self._inner.batch_finished(batch, outcomes, balance)


class BatchWatcher(PassingOn):
    """A recorder that lets the test see which batch is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.started: list[int] = []

    def batch_started(self, batch: Batch) -> None:
        self.started.append(batch.number)
        super().batch_started(batch)


def test_cancel_stops_after_the_batch_in_flight(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    simulator.inject(Fault.SLOW, seconds=0.5)  # the first batch answers slowly
    watcher = BatchWatcher()
    window = make_window(recorder_hook=watcher.wrap)
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(mobiles(250))  # three batches of 100, 100, 50
    window.ui.compose.message.set_text(MESSAGE)

    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT) as blocker:
        window.ui.request_send()
        assert window.ui.model.locked and window.ui.compose.message.editor.isReadOnly()
        qtbot.waitUntil(lambda: watcher.started == [1], timeout=WAIT)
        window.ui.compose.cancel_button.click()
        assert window.ui.compose.cancel_button.text() == "Stopping…"
    report = blocker.args[0]

    assert report.cancelled
    assert watcher.started == [1]
    assert len(simulator.sent) == 100
    assert [result(window, r) for r in (0, 99, 100, 249)] == [
        "queued",
        "queued",
        "not sent",
        "not sent",
    ]
    assert "Cancelled" in window.ui.result_banner.plain_text()
    assert "Batches 2–3: not sent." in window.ui.result_banner.plain_text()


class ExpireBeforeBatch(PassingOn):
    """A recorder that makes VETtrak expire every token just before the given batch."""

    def __init__(self, simulator: SimulatorServer, batch: int) -> None:
        super().__init__()
        self._simulator = simulator
        self._batch = batch

    def batch_started(self, batch: Batch) -> None:
        super().batch_started(batch)  # recorded in flight first, as before every request
        if batch.number == self._batch:
            self._simulator.expire_all_tokens()


def test_token_expiry_mid_send_logs_in_again_and_resends_only_that_batch(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = make_window(recorder_hook=ExpireBeforeBatch(simulator, 2).wrap)
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(mobiles(250))
    window.ui.compose.message.set_text(MESSAGE)

    report = send_and_wait(qtbot, window)

    assert report.complete  # type: ignore[attr-defined]
    assert len(simulator.sent) == 250  # every SMS once: only the refused batch went again
    logins = [r for r in simulator.requests if r.operation == "ValidateClient"]
    assert len(logins) == 2
    assert all(result(window, r) == "queued" for r in range(250))


def test_token_expiry_asks_for_the_password_when_none_is_kept(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    credentials: object,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    asked: list[tuple[str, str]] = []

    def ask(server: str, username: str) -> str:
        asked.append((server, username))
        return "demo"

    window = make_window(ask_password=ask, recorder_hook=ExpireBeforeBatch(simulator, 1).wrap)
    sign_in(qtbot, window, simulator)
    credentials.forget(simulator.url, "demo")  # type: ignore[attr-defined]
    window.ui.model.replace_recipients(mobiles(3))
    window.ui.compose.message.set_text(MESSAGE)

    report = send_and_wait(qtbot, window)

    assert asked == [(simulator.url, "demo")]
    assert report.complete  # type: ignore[attr-defined]
    assert len(simulator.sent) == 3


def test_a_server_error_keeps_the_list_and_says_what_happened(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
) -> None:
    window = make_window()
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(mobiles(250))
    window.ui.compose.message.set_text(MESSAGE)
    simulator.inject(Fault.DROP_AFTER_RECORD)  # batch 1 goes out, but no reply comes back

    report = send_and_wait(qtbot, window)

    assert report.stopped_by is not None  # type: ignore[attr-defined]
    banner = window.ui.result_banner.plain_text()
    assert "Batch 1: may have gone out" in banner
    assert "Batches 2–3: not sent." in banner
    assert result(window, 0) == "unknown (check before resending)"
    assert result(window, 150) == "not sent"
    assert window.ui.model.recipient_count == 250
    assert window.ui.compose.message.text() == MESSAGE
    assert not window.ui.model.locked  # editable again
    assert (
        window.ui.model.flags(window.ui.model.index(0, Column.MOBILE)) & Qt.ItemFlag.ItemIsEditable
    )


def test_closing_during_a_send_waits_for_the_batch_in_flight_without_blocking(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
    scripted_feedback: ScriptedFeedback,
) -> None:
    scripted_feedback.default = True  # yes, stop and close
    asked = scripted_feedback.asked
    simulator.inject(Fault.SLOW, seconds=0.5)
    watcher = BatchWatcher()
    window = make_window(recorder_hook=watcher.wrap)
    window.show()
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(mobiles(250))
    window.ui.compose.message.set_text(MESSAGE)
    window.ui.request_send()
    qtbot.waitUntil(lambda: watcher.started == [1], timeout=WAIT)

    started = time.perf_counter()
    assert not window.close()  # not yet: VETtrak has the first batch
    assert time.perf_counter() - started < 0.2  # and the window did not wait for it
    assert window.isVisible() and window.ui.compose.cancel_button.text() == "Stopping…"
    assert "Closing as soon as" in window.statusBar().currentMessage()
    assert not window.close() and len(asked) == 1  # a second close is not asked again

    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert len(simulator.sent) == 100 and watcher.started == [1]
    assert result(window, 99) == "queued" and result(window, 100) == "not sent"


def test_a_long_list_is_planned_in_a_worker_then_confirmed(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    simulator: SimulatorServer,
    accept_confirmation: list[ConfirmSendDialog],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(send_controller, "PLAN_IN_WORKER_ABOVE", 100)
    window = make_window()
    sign_in(qtbot, window, simulator)
    window.ui.model.replace_recipients(mobiles(150))
    window.ui.compose.message.set_text(MESSAGE)
    assert window.ui.model.wait_for_checks()
    qtbot.waitUntil(lambda: window.ui.model.is_checked, timeout=WAIT)

    with qtbot.waitSignal(window.ui.send_flow.finished, timeout=WAIT):
        window.ui.request_send()
        # The plan arrives from the worker later: meanwhile nothing can change or resend.
        assert window.ui.preparing and not accept_confirmation
        assert window.ui.model.locked and not window.ui.send_action.isEnabled()
        window.ui.request_send()
    assert len(accept_confirmation) == 1 and len(simulator.sent) == 150
    assert not window.ui.preparing and not window.ui.model.locked
