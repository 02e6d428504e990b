"""The window's side of the send journal: crash recovery after signing in (with its notice),
the History window, reusing a past message, and loading a past send's failures into the grid
to send again.

It knows the window only through `HistoryHost`, a few questions and commands, so it can be
built, read and tested without the rest of the window's widgets."""

from __future__ import annotations

import html
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from vtsms_gui.core import history, sending
from vtsms_gui.core.history import ResendOrigin
from vtsms_gui.domain.recipients import Recipient
from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.theme import Tone
from vtsms_gui.ui.history import history_prompts
from vtsms_gui.ui.history.journal_access import (
    JournalAccess,
    JournalLocator,
    default_locator,
    journal_problem,
)
from vtsms_gui.ui.history.recovery_notice import RecoveryNotice

if TYPE_CHECKING:
    from vtsms_gui.domain.send_plan import SendOptions, SendPlan
    from vtsms_gui.storage.journal import InterruptedBatch
    from vtsms_gui.ui.connection.connection import Session
    from vtsms_gui.ui.history.history_dialog import HistoryDialog, ResendRequest


class HistoryHost(Protocol):
    """What the history needs of the window around it."""

    @property
    def session(self) -> Session | None:
        """The VETtrak signed in to now, if any."""
        ...

    @property
    def send_running(self) -> bool: ...

    @property
    def recipient_count(self) -> int:
        """Rows in the list now (replacing them is asked first)."""
        ...

    def use_message(self, message: str) -> None:
        """Put `message` in the editor (undoable there)."""
        ...

    def load_send(
        self, message: str, options: SendOptions, recipients: Sequence[Recipient]
    ) -> None:
        """Replace the list, the message and the options, for a new send."""
        ...

    def show_status(self, text: str, msecs: int = 8000) -> None: ...

    def show_result(self, text: str, tone: Tone) -> None:
        """The banner above the list that says what is in it now."""
        ...

    def bring_to_front(self) -> None: ...

    def set_known_code_length(self, length: int | None) -> None:
        """The length of this VETtrak's client codes, as past sends show it (None: unknown)."""
        ...


JOURNAL_PROBLEM = (
    "<b>The send journal cannot be used.</b> {problem}<br>Every send is written there before "
    "anything goes out, so sending stops with this message until it is fixed. Everything "
    "else works."
)


class HistoryController(QObject):
    """Talks to the journal only through `JournalAccess`, to the window only through `host`;
    `journal_banner` and `recovery_notice` are its own, shown above the list."""

    recovered = Signal(object)
    """Recovery is over: the list of InterruptedBatch found, or None if the journal failed."""

    def __init__(
        self,
        host: HistoryHost,
        *,
        journal_banner: Banner,
        recovery_notice: RecoveryNotice,
        parent: QWidget,
        locate: JournalLocator = default_locator,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._parent = parent  # of the History window
        self._journal_banner = journal_banner
        self._recovery_notice = recovery_notice
        self.journal = JournalAccess(locate=locate, parent=self)
        self.dialog: HistoryDialog | None = None
        self.origin: ResendOrigin | None = None
        recovery_notice.open_send.connect(self._open_interrupted)

    # --- signing in: recovery ---

    def signed_in(self, session: Session) -> None:
        """Mark batches left in flight by a process that is gone as unknown, and say which;
        then learn this VETtrak's client code length from past sends (for shortened codes)."""
        self.recover(session.demo)
        server = None if session.demo else session.server  # the demo's address changes
        self.journal.run(
            session.demo,
            lambda journal: history.server_code_length(journal, server),
            self._host.set_known_code_length,
            self._code_length_failed,
        )

    def recover(self, demo: bool) -> None:
        self.journal.run(
            demo,
            sending.recover,
            lambda batches: self._recovered(batches, demo),
            self._journal_failed,
        )

    def signed_out(self) -> None:
        self.origin = None
        self._host.set_known_code_length(None)

    def _code_length_failed(self, error: BaseException) -> None:
        # A journal that cannot be read is reported by the recovery run beside this one.
        if journal_problem(error) is None:
            sys.excepthook(type(error), error, error.__traceback__)

    def _recovered(self, batches: list[InterruptedBatch], demo: bool) -> None:
        self._journal_banner.hide()  # it opened: any earlier problem is over
        self._recovery_notice.show_batches(batches, demo=demo)
        self.recovered.emit(batches)

    def _journal_failed(self, error: BaseException) -> None:
        problem = journal_problem(error)
        if problem is None:
            sys.excepthook(type(error), error, error.__traceback__)
        else:
            self._journal_banner.show_message(
                JOURNAL_PROBLEM.format(problem=html.escape(problem)), Tone.BAD
            )
        self.recovered.emit(None)

    # --- the History window ---

    def _open_interrupted(self, send_id: str, demo: bool) -> None:
        self.show(select=send_id, demo=demo)

    def show(self, *, select: str | None = None, demo: bool | None = None) -> HistoryDialog:
        """Open (or bring forward) the history of the journal in use, showing `select`."""
        from vtsms_gui.ui.history.history_dialog import (
            HistoryDialog,  # with the first look, not before
        )

        if demo is None:
            session = self._host.session
            demo = session is not None and session.demo
        dialog = self.dialog
        if dialog is None or dialog.demo != demo:
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            dialog = HistoryDialog(self.journal, demo=demo, parent=self._parent)
            dialog.use_message.connect(self.use_message)
            dialog.resend_requested.connect(self.resend)
            self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.refresh(select=select)
        return dialog

    def sends_changed(self) -> None:
        """A send started or ended: an open history reads the journal again."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.refresh()

    def close(self) -> None:
        """The window closes: close the history and let the journal's thread finish."""
        if self.dialog is not None:
            self.dialog.close()
        self.journal.wait()

    # --- using a past send ---

    def use_message(self, message: str) -> None:
        self._host.use_message(message)
        self._host.show_status(
            "The message from the history is in the editor (Ctrl+Z there undoes it)."
        )

    def resend(self, request: ResendRequest) -> bool:
        """Load the rows into the grid, with the message and options, for a new send that the
        user checks and sends as usual. False if the user kept the list (or a send runs)."""
        host = self._host
        record = request.record
        if host.send_running:
            if self.dialog is not None:
                self.dialog.status.setText("Wait for the send running now to finish first.")
            return False
        current = host.recipient_count
        if current and not history_prompts.confirm_replace_list(
            self.dialog or self._parent, current, len(request.rows), record.send_id
        ):
            return False
        loaded = history.resend_list(record, request.rows)
        host.load_send(loaded.message, record.options, loaded.recipients)
        self.origin = ResendOrigin.of(
            record.send_id, record.server, request.rows, demo=request.demo
        )
        text = (
            f"<b>{len(request.rows):,} rows of send {html.escape(record.send_id)} are in the "
            "list</b>, with its message and options. Check them, then press Send: they go out "
            "as a new send."
        )
        if loaded.own_texts:
            text += (
                f"<br>Each row gets the exact text it was sent before (the "
                f"{history.TEXT_SENT} column), so the message is {html.escape(loaded.message)}."
            )
        session = host.session
        if session is not None and not self.origin.same_place(session) and record.server:
            host_name = urlsplit(record.server).hostname or record.server
            text += (
                f"<br>That send was made on {html.escape(host_name)}, not the VETtrak you are "
                "signed in to: client codes belong to one VETtrak, so check them before sending."
            )
        host.show_result(text, Tone.INFO)
        host.bring_to_front()
        return True

    def link(self, plan: SendPlan, session: Session) -> SendPlan:
        """`plan` marked as resending the rows it takes from a past send, if any."""
        return plan if self.origin is None else self.origin.link(plan, session)

    def send_finished(self, journal_failed: bool) -> None:
        """A send ended with a report. After a journal failure a batch VETtrak answered may be
        left in flight in the journal: recovery marks it unknown (and says so) now, not at
        the next start."""
        if journal_failed:
            # The origin stays: a retry is linked again, and the journal refuses it if this
            # send took the rows after all, so nobody gets the SMS twice.
            session = self._host.session
            self.recover(session is not None and session.demo)
        else:
            # The journal holds the hand-over; a later list (next week's class) starts afresh.
            self.origin = None
        self.sends_changed()
