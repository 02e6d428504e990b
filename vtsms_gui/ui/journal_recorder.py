"""Glue between a send from the window and the send journal (SQLite, in the data folder).

Made on the network thread, right before the first batch: the journal holds the whole plan
before any SMS goes out, and each batch before and after its request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vtsms_gui.domain.outcomes import RecipientOutcome, SendRecorder
    from vtsms_gui.domain.send_plan import Batch, SendPlan
    from vtsms_gui.storage.journal import Journal, JournalRecorder
    from vtsms_gui.ui.connection import Session


class JournalledSend:
    """The journal's recorder for one send; `close` also closes the journal file."""

    def __init__(self, journal: Journal, recorder: JournalRecorder) -> None:
        self._journal = journal
        self._recorder = recorder

    @property
    def send_id(self) -> str:
        return self._recorder.send_id

    def batch_started(self, batch: Batch) -> None:
        self._recorder.batch_started(batch)

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None:
        self._recorder.batch_finished(batch, outcomes, balance)

    def close(self) -> None:
        try:
            self._recorder.close()
        finally:
            self._journal.close()


def journal_recorder(plan: SendPlan, session: Session) -> SendRecorder | None:
    """A `RecorderFactory`: every send is journalled, the demo's in a journal of its own.

    Demo sends are journalled too, so someone trying the demo sees History and resending work
    as they will for real; a separate file keeps pretend sends out of the real history (and
    out of `vtsms resume`, which would send them to a real VETtrak).
    """
    # sqlite3 and the journal load with the first send, not with the window.
    from vtsms_gui.storage.journal import Journal, default_journal_path

    journal = Journal(default_journal_path(demo=session.demo))
    try:
        send_id = journal.create_send(plan, server=session.server, username=session.username)
        return JournalledSend(journal, journal.recorder(send_id))
    except BaseException:
        journal.close()
        raise
