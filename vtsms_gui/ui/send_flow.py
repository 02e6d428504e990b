"""A send in the background: the core's `run_send` on the network thread, reporting progress,
each batch's outcomes and the final report through signals; Cancel stops between batches."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from vtsms_gui.domain.outcomes import RecipientOutcome, SendRecorder
from vtsms_gui.domain.send_plan import Batch, SendPlan
from vtsms_gui.ui.connection import Connection, Session

if TYPE_CHECKING:
    from vtsms_gui.api.send_runner import SendReport

RecorderFactory = Callable[[SendPlan, Session], SendRecorder | None]
"""Makes the journal's recorder for one send, or None (runs on the worker: it writes to disk)."""


class _ForwardingRecorder:
    """Shows each batch in the grid as soon as it is answered, and lets the journal record it."""

    def __init__(
        self, inner: SendRecorder | None, on_batch: Callable[[list[RecipientOutcome]], None]
    ) -> None:
        self._inner = inner
        self._on_batch = on_batch

    def batch_started(self, batch: Batch) -> None:
        if self._inner is not None:
            self._inner.batch_started(batch)

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None:
        # The grid first: VETtrak has answered, so the rows must show it even if the journal
        # then fails (disk full). Left looking unsent, they would invite a resend.
        self._on_batch(list(outcomes))
        if self._inner is not None:
            self._inner.batch_finished(batch, outcomes, balance)


class SendFlow(QObject):
    """One send at a time. Signals arrive on the GUI thread; the worker touches no widget."""

    progress = Signal(object)  # api.send_runner.SendProgress
    batch_done = Signal(object)  # list[RecipientOutcome]
    finished = Signal(object)  # api.send_runner.SendReport
    crashed = Signal(object)  # an exception that is not a VETtrak error (a bug, a disk error)

    def __init__(
        self,
        connection: Connection,
        *,
        recorder_factory: RecorderFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._connection = connection
        self._recorder_factory = recorder_factory
        self._cancel = threading.Event()
        self.running = False

    def start(self, plan: SendPlan, session: Session) -> None:
        client = self._connection.client
        if client is None:
            raise RuntimeError("Not signed in.")
        if self.running:
            raise RuntimeError("A send is already running.")
        self.running = True
        self._cancel.clear()
        factory = self._recorder_factory

        def work() -> SendReport:
            # Loaded with the first send, not with the window (see connection.py).
            from vtsms_gui.api.send_runner import run_send

            inner = factory(plan, session) if factory is not None else None
            recorder = _ForwardingRecorder(inner, self.batch_done.emit)
            try:
                return run_send(
                    client,
                    plan,
                    recorder=recorder,
                    progress=self.progress.emit,
                    cancel=self._cancel,
                )
            finally:
                close = getattr(inner, "close", None)
                if callable(close):
                    close()

        self._connection.run(work, self._finished, self._crashed)

    def cancel(self) -> None:
        """Stop after the batch in flight (its outcome is still waited for and shown)."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self._cancel.is_set()

    # `running` turns False before anyone hears the send is over, so they may start another.

    def _finished(self, report: SendReport) -> None:
        self.running = False
        self.finished.emit(report)

    def _crashed(self, error: BaseException) -> None:
        self.running = False
        self.crashed.emit(error)
