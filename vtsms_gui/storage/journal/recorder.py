"""Records one attempt of a send, batch by batch: the send runner's `SendRecorder`.

The contract, for the send runner, which drives `Journal.recorder(send_id)`:

- `batch_started(batch)` returns only once the batch is durably marked in flight. If it raises
  (`JournalUnavailable`: disk full, locked, read-only...; `SendConflict`: the send is being sent
  or was resumed elsewhere), that batch's request must NOT be sent, and the send stops there.
- `batch_finished(batch, outcomes, balance)` must follow once the request has an outcome (unknown
  included), before the next `batch_started`. If it raises, stop before the next batch: the batch
  stays in flight and the next `recover_interrupted()` reports it as unknown.
- Retrying belongs to the runner; the journal only records what happened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from filelock import FileLock

from vtsms_gui.domain.outcomes import RecipientOutcome
from vtsms_gui.domain.send_plan import Batch
from vtsms_gui.storage.journal.errors import SendConflict
from vtsms_gui.storage.journal.records import IN_FLIGHT_DETAIL, BatchState, format_send_id
from vtsms_gui.storage.journal.rows import now, resent_in, state_after
from vtsms_gui.storage.journal.sqlite_access import JournalFile


class JournalRecorder:
    """Records one attempt of a send, batch by batch: the runner's `SendRecorder`.

    Use it as a context manager (or call `close`) so that an abandoned in-flight batch is
    released for `recover_interrupted` without waiting for the process to end.
    """

    def __init__(self, file: JournalFile, send: int, attempt: int) -> None:
        self._file = file
        self._send = send
        self._attempt = attempt
        self._lock: FileLock | None = None
        self._in_flight: tuple[int, int] | None = None  # (batch number, batch row id)

    @property
    def send_id(self) -> str:
        return format_send_id(self._send)

    @property
    def attempt(self) -> int:
        return self._attempt

    def batch_started(self, batch: Batch) -> None:
        """Durably mark `batch` in flight. If this raises, do not send the batch."""
        if self._in_flight is not None:
            raise ValueError(f"Batch {self._in_flight[0]} is still in flight: finish it first.")
        lock = self._file.try_lock(self._send)
        if lock is None:
            raise SendConflict(
                f"Send {self.send_id} is being sent by another window or command right now."
            )
        try:
            with self._file.write() as db:
                batch_id = self._claim(db, batch)
        except BaseException:
            lock.release()
            raise
        self._lock, self._in_flight = lock, (batch.number, batch_id)

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None:
        """Durably record every recipient's outcome and the balance; the batch state follows."""
        if self._in_flight is None or self._in_flight[0] != batch.number:
            raise ValueError(f"Batch {batch.number} is not in flight in this recorder.")
        rows = [outcome.row for outcome in outcomes]
        if len(set(rows)) != len(rows) or set(rows) != {r.row for r in batch.recipients}:
            raise ValueError(f"The outcomes do not match the recipients of batch {batch.number}.")
        batch_id = self._in_flight[1]
        try:
            with self._file.write() as db:
                updated = db.execute(
                    "UPDATE batches SET state = ?, finished_at = ?, balance = ?"
                    " WHERE id = ? AND state = 'in_flight'",
                    (state_after(outcomes).value, now(), balance, batch_id),
                )
                if updated.rowcount != 1:
                    raise SendConflict(
                        f"Batch {batch.number} of send {self.send_id} was already closed "
                        "elsewhere; its outcomes were not recorded."
                    )
                db.executemany(
                    "UPDATE results SET outcome = ?, status = ?, detail = ?"
                    " WHERE batch_id = ? AND row = ?",
                    [(o.outcome.value, o.status, o.detail, batch_id, o.row) for o in outcomes],
                )
        finally:
            # Even when the write failed: the batch is then in flight with nobody holding it,
            # which recovery reports as unknown: the truth as far as the journal knows it.
            self.close()

    def close(self) -> None:
        """Release the send; a batch still in flight is left for `recover_interrupted`."""
        if self._lock is not None:
            self._lock.release()
        self._lock, self._in_flight = None, None

    def __enter__(self) -> JournalRecorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _claim(self, db: sqlite3.Connection, batch: Batch) -> int:
        """Check `batch` may start, mark it in flight, and return its row id."""
        found = db.execute(
            "SELECT id, state, (SELECT max(attempt) FROM batches WHERE send_id = ?) AS latest"
            " FROM batches WHERE send_id = ? AND attempt = ? AND number = ?",
            (self._send, self._send, self.attempt, batch.number),
        ).fetchone()
        if found is None:
            raise ValueError(f"Batch {batch.number} is not in the journal for {self.send_id}.")
        recorded = {
            (r["row"], r["client_code"], r["mobile"])
            for r in db.execute(
                "SELECT row, client_code, mobile FROM results WHERE batch_id = ?", (found["id"],)
            )
        }
        if recorded != {(r.row, r.client_code, r.mobile) for r in batch.recipients}:
            raise ValueError(f"Batch {batch.number} is not the one the journal holds.")
        if found["latest"] != self.attempt:
            raise SendConflict(
                f"Send {self.send_id} was resumed from another window or command, which sends "
                "its remaining recipients: this one stops so nobody gets the SMS twice."
            )
        if found["state"] != BatchState.PLANNED:
            raise SendConflict(
                f"Batch {batch.number} of send {self.send_id} was already started "
                f"({BatchState(found['state']).value}): it is not sent again."
            )
        resent = resent_in(db, self._send)
        taken = sorted(row for row, _, _ in recorded if row in resent)
        if taken:
            raise SendConflict(
                f"Row {taken[0] + 1} of send {self.send_id} was resent in send "
                f"{resent[taken[0]]} from another window: this send stops so nobody gets "
                "the SMS twice."
            )
        db.execute(
            "UPDATE batches SET state = 'in_flight', started_at = ? WHERE id = ?",
            (now(), found["id"]),
        )
        # From here the honest answer is "unknown", even if this process dies before recovery.
        db.execute(
            "UPDATE results SET outcome = 'unknown', detail = ? WHERE batch_id = ?",
            (IN_FLIGHT_DETAIL, found["id"]),
        )
        batch_id: int = found["id"]
        return batch_id
