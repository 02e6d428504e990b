"""Send, from the button to the banner: check the list is ready, build the plan (in a worker
for a long list), stop at blockers, confirm, run the journalled send in the background with
its progress, then show the outcomes. Also what closing the window does to a running send."""

from __future__ import annotations

import html
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget

from vtsms_gui.domain.outcomes import NOT_SENT_DETAIL, Outcome
from vtsms_gui.domain.send_plan import SendPlan, build_plan
from vtsms_gui.ui.common import wording
from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.feedback import feedback
from vtsms_gui.ui.common.settings import AppSettings
from vtsms_gui.ui.common.theme import Tone
from vtsms_gui.ui.common.workers import run_task
from vtsms_gui.ui.compose.compose_panel import ComposePanel
from vtsms_gui.ui.connection.connection import Connection, Session
from vtsms_gui.ui.history.history_controller import HistoryController
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel
from vtsms_gui.ui.recipients.recipients_panel import RecipientsPanel
from vtsms_gui.ui.send.confirm_dialog import ConfirmSendDialog
from vtsms_gui.ui.send.result_text import result_summary
from vtsms_gui.ui.send.send_flow import SendFlow
from vtsms_gui.ui.status_bar import StatusBar

if TYPE_CHECKING:
    from vtsms_gui.api.send_runner import SendProgress, SendReport
    from vtsms_gui.core.sending import RecorderHook
    from vtsms_gui.domain.outcomes import RecipientOutcome

PLAN_IN_WORKER_ABOVE = 2_000
"""Plans for more rows than this are built in a worker: building takes about 3 µs a row
(0.3 s for 100,000), far longer than the window may stop answering."""


def show_cannot_send(parent: QWidget, text: str) -> None:
    feedback().tell(parent, "Cannot send yet", text)


class SendController(QObject):
    """One send at a time; `busy_changed` whenever the list starts or stops being held."""

    busy_changed = Signal()
    sign_in_needed = Signal(str)  # the reason, for the sign-in dialog
    balance_changed = Signal(object)  # int: a balance VETtrak gave during or after the send

    def __init__(
        self,
        *,
        connection: Connection,
        settings: AppSettings,
        model: RecipientsModel,
        recipients: RecipientsPanel,
        compose: ComposePanel,
        history: HistoryController,
        result_banner: Banner,
        status: StatusBar,
        recorder_hook: RecorderHook | None = None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._connection = connection
        self._settings = settings
        self._model = model
        self._recipients = recipients
        self._compose = compose
        self._history = history
        self._banner = result_banner
        self._status = status
        self.flow = SendFlow(connection, recorder_hook=recorder_hook, parent=self)
        self._last_plan: SendPlan | None = None
        # Building the plan of a long list in a worker; Send and the list wait meanwhile.
        self.preparing = False
        # The user closed the window during a send: it closes when the send ends.
        self._close_when_sent = False
        self._closed = False
        compose.send_requested.connect(self.request_send)
        compose.cancel_requested.connect(self.flow.cancel)
        self.flow.progress.connect(self._progress)
        self.flow.batch_done.connect(self._batch_done)
        self.flow.finished.connect(self._finished)
        self.flow.crashed.connect(self._crashed)

    @property
    def busy(self) -> bool:
        """A send runs or its plan is being built: the list and the message are held still."""
        return self.flow.running or self.preparing

    # --- before the send ---

    def request_send(self) -> None:
        """Ctrl+Enter: check, build the plan, confirm, then send in the background."""
        if self.busy:
            return
        session = self._connection.session
        if session is None:
            self.sign_in_needed.emit("Sign in to VETtrak to send.")
            return
        if self._recipients.reading or not self._model.is_checked:
            self._status.show("Still checking the list: try again in a moment.", 5000)
            return
        checked = self._model.checked()
        text, options = self._compose.message_text(), self._compose.send_options()
        balance = session.status.balance

        def make_plan() -> SendPlan:
            return build_plan(text, checked, options, balance=balance)

        if len(checked) <= PLAN_IN_WORKER_ABOVE:
            self._plan_ready(make_plan(), session)
            return
        self._set_preparing(True)
        self._status.show(f"Preparing the send to {wording.count(len(checked), 'recipient')}…", 0)
        run_task(
            QThreadPool.globalInstance(),
            make_plan,
            lambda plan: self._prepared(plan, session),
            self._prepare_failed,
        )

    def _set_preparing(self, preparing: bool) -> None:
        self.preparing = preparing
        self._recipients.set_locked(preparing)
        self._compose.set_preparing(preparing)
        self.busy_changed.emit()

    def _prepared(self, plan: SendPlan, session: Session) -> None:
        if self._closed:
            return  # the window closed meanwhile: nothing to confirm
        self._set_preparing(False)
        self._status.clear()
        if self._connection.session is not session:
            self._status.show("The VETtrak sign-in changed meanwhile: press Send again.")
            return
        self._plan_ready(plan, session)

    def _prepare_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self._set_preparing(False)
        self._status.clear()
        sys.excepthook(type(error), error, error.__traceback__)  # a bug: report it

    def _plan_ready(self, plan: SendPlan, session: Session) -> None:
        plan = self._history.link(plan, session)  # rows loaded from the history to resend
        if plan.blockers:
            items = "".join(f"<li>{html.escape(b.message)}</li>" for b in plan.blockers)
            show_cannot_send(self._parent, f"<p>Please fix this first:</p><ul>{items}</ul>")
            return
        if not self.confirm(plan):
            return
        self._begin(plan, session)

    def confirm(self, plan: SendPlan) -> bool:
        dialog = ConfirmSendDialog(plan, self._parent)
        return dialog.exec() == ConfirmSendDialog.DialogCode.Accepted

    # --- during the send ---

    def _begin(self, plan: SendPlan, session: Session) -> None:
        self._last_plan = plan
        self._banner.hide()
        self._model.clear_results()
        self._model.set_excluded((e.row, e.reason) for e in plan.excluded)
        self._settings.sender = self._compose.sender_id()
        self._recipients.set_locked(True)
        self._compose.set_sending(True)
        self.flow.start(plan, session)
        self.busy_changed.emit()
        self._status.show(f"Sending to {wording.count(len(plan.recipients), 'recipient')}…", 0)

    def _progress(self, progress: SendProgress) -> None:
        self._compose.show_progress(progress)
        if progress.balance is not None:
            self.balance_changed.emit(progress.balance)

    def _batch_done(self, outcomes: list[RecipientOutcome]) -> None:
        self._model.apply_outcomes(outcomes)

    # --- after the send ---

    def _end(self) -> None:
        self._compose.set_sending(False)
        self._recipients.set_locked(False)
        self.busy_changed.emit()
        self._status.clear()

    def _finished(self, report: SendReport) -> None:
        # Answered batches are already in the rows (batch_done arrives before this); only the
        # recipients of batches never sent are left to mark.
        self._model.apply_outcomes(o for o in report.outcomes if o.outcome is Outcome.NOT_SENT)
        self._end()
        if report.balance is not None:
            self.balance_changed.emit(report.balance)
        self._banner.show_message(*result_summary(report))
        if not self._close_when_sent:  # closing waits for the worker: no new request now
            self._connection.refresh_status()
        self._history.send_finished(journal_failed=report.journal_error is not None)
        error = report.journal_error
        if error is not None:
            from vtsms_gui.storage.journal import JournalError  # sqlite3: only when needed

            if not isinstance(error, JournalError):  # not the disk: a bug, reported as one
                sys.excepthook(type(error), error, error.__traceback__)
        self._close_if_asked()  # after any report was read

    def _crashed(self, error: BaseException) -> None:
        """Not a VETtrak answer (those end in a report): a journal or disk problem, or a bug."""
        plan = self._last_plan
        if plan is not None:
            # Rows still without a result were never handed to VETtrak.
            missing = [r.row for r in plan.recipients if self._model.result(r.row) is None]
            self._model.set_not_sent(missing, NOT_SENT_DETAIL)
        self._end()
        # The full stop before escaping: a message ending in a quote mark ends in &quot; after.
        reason = wording.sentence(str(error) or type(error).__name__)
        self._banner.show_message(
            "<b>The send stopped</b> because of a problem on this computer: "
            f"{html.escape(reason)} Rows without a result were not sent. Your message and "
            "list are kept.",
            Tone.BAD,
        )
        self._history.sends_changed()
        from vtsms_gui.storage.journal import JournalError  # sqlite3: loaded only when needed

        if not isinstance(error, JournalError):
            sys.excepthook(type(error), error, error.__traceback__)
        self._close_if_asked()

    # --- closing the window ---

    def may_close(self) -> bool:
        """During a send the window stays open (and answering) until VETtrak has answered the
        batch in flight, then closes itself: a request cut off mid-way would leave its
        recipients unknown."""
        if self.flow.running:
            if not self._close_when_sent:
                if not feedback().ask(
                    self._parent,
                    "A send is running",
                    "Stop after the batch being sent now and close?",
                    yes="Yes",
                    no="No",
                ):
                    return False
                self._close_when_sent = True
                self._compose.stop_sending()  # shows "Stopping…" and cancels
                self.flow.cancel()
            self._status.show("Closing as soon as VETtrak answers the batch being sent now…", 0)
            return False
        self._closed = True
        return True

    def _close_if_asked(self) -> None:
        if self._close_when_sent:
            self._close_when_sent = False
            QTimer.singleShot(0, self._parent.window().close)
