"""A send in the background: the core's journalled send on the network thread, reporting
progress, each batch's outcomes and the final report through signals; Cancel stops between
batches."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from vtsms_gui.domain.send_plan import SendPlan
from vtsms_gui.ui.connection.connection import Connection, Session

if TYPE_CHECKING:
    from vtsms_gui.api.send_runner import SendReport
    from vtsms_gui.core.sending import RecorderHook


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
        recorder_hook: RecorderHook | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`recorder_hook` wraps the journal's recorder of each send (tests watch batches)."""
        super().__init__(parent)
        self._connection = connection
        self._recorder_hook = recorder_hook
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
        hook = self._recorder_hook

        def work() -> SendReport:
            # sqlite3 and the journal load with the first send, not with the window.
            from vtsms_gui.core import sending

            watchers = sending.SendWatchers(
                progress=self.progress.emit,
                on_batch=self.batch_done.emit,
                cancel=self._cancel,
                recorder_hook=hook,
            )
            place = sending.SendPlace(session.server, session.username, session.demo)
            with sending.open_journal(session.demo) as journal:
                return sending.send(client, plan, journal, place, watchers)[1]

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
