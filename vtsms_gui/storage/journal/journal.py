"""The send journal's API: every send is written to SQLite before anything goes out, and each
batch is marked in flight before its request and answered right after (by the `JournalRecorder`
that `Journal.recorder` returns), so no SMS is lost or sent twice. After a crash,
`recover_interrupted` says which batches may or may not have been sent; the history reads past
sends, and a send's waiting recipients can be resumed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from vtsms_gui.domain.outcomes import Outcome
from vtsms_gui.domain.send_plan import Batch, PlannedRecipient, SendPlan
from vtsms_gui.storage.journal.errors import SendConflict
from vtsms_gui.storage.journal.recorder import JournalRecorder
from vtsms_gui.storage.journal.records import (
    INTERRUPTED_DETAIL,
    BatchState,
    InterruptedBatch,
    SendRecord,
    SendSummary,
    format_send_id,
    parse_send_id,
)
from vtsms_gui.storage.journal.rows import (
    batch_outcomes,
    describe_state,
    hand_over,
    insert_batches,
    now,
    parse_time,
    require_send,
    resent_in,
    row_id,
    send_record,
    send_summary,
    sql_limit,
    without_secrets,
)
from vtsms_gui.storage.journal.sqlite_access import DEFAULT_BUSY_TIMEOUT, JournalFile


class Journal:
    """The send journal in one SQLite file. Safe to share between threads; several processes
    (windows, commands) may use the same file at once.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ) -> None:
        self.path = Path(path)
        self._file = JournalFile(self.path, busy_timeout)

    def close(self) -> None:
        self._file.close()

    @property
    def _db(self) -> sqlite3.Connection:
        """The one connection (its settings are per connection: tests look at them)."""
        return self._file.connection

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----- writing a send ------------------------------------------------------------------

    def create_send(self, plan: SendPlan, *, server: str, username: str, test: bool = False) -> str:
        """Write the whole plan, every recipient `not_sent`, before anything goes out.

        `server` is stored without any user:password@ part, query or fragment. Pass no token
        or password anywhere: the journal keeps only what it is given here.

        A plan that resends rows of an earlier send (`plan.resend_of`) marks them resent in
        the same transaction; if any of them is no longer waiting (sent, being sent, or
        already resent), `SendConflict` and nothing is written. `test` marks a test sent to
        the user's own number.
        """
        options = plan.options
        with self._file.write() as db:
            cursor = db.execute(
                "INSERT INTO sends (created_at, server, username, message, sender, marketing,"
                " accept_replies, provider_id, schedule, batch_size, max_parts, segments,"
                " credits, balance_before, test)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now(),
                    without_secrets(server),
                    username,
                    plan.message,
                    options.sender,
                    options.marketing,
                    options.accept_replies,
                    options.provider_id,
                    None if options.schedule is None else options.schedule.isoformat(),
                    options.batch_size,
                    options.max_parts,
                    plan.analysis.segments,
                    plan.credits,
                    plan.balance,
                    test,
                ),
            )
            send = row_id(cursor)
            db.executemany(
                "INSERT INTO excluded (send_id, row, reason) VALUES (?, ?, ?)",
                [(send, item.row, item.reason) for item in plan.excluded],
            )
            insert_batches(db, send, 1, plan.batches)
            if plan.resend_of is not None:
                hand_over(db, plan.resend_of, send)
        return format_send_id(send)

    def recorder(self, send_id: str, attempt: int | None = None) -> JournalRecorder:
        """The `SendRecorder` for one attempt of a send (by default its latest)."""
        send = parse_send_id(send_id)
        with self._file.read() as db:
            require_send(db, send)
            latest = db.execute(
                "SELECT max(attempt) FROM batches WHERE send_id = ?", (send,)
            ).fetchone()[0]
        return JournalRecorder(self._file, send, attempt or latest or 1)

    # ----- after a crash -------------------------------------------------------------------

    def recover_interrupted(self) -> list[InterruptedBatch]:
        """Mark `unknown` every batch left in flight by a process that is gone, and say which.

        Call it when any window or command starts. A batch in flight in a process still
        sending (another window) is left alone. Safe to call from several processes at once.
        """
        recovered: list[InterruptedBatch] = []
        abandoned: dict[int, bool] = {}  # send -> nobody is sending it
        with contextlib.ExitStack() as held, self._file.write() as db:
            found = db.execute(
                "SELECT id, send_id, attempt, number, started_at FROM batches"
                " WHERE state = 'in_flight' ORDER BY send_id, attempt, number"
            ).fetchall()
            for batch in found:
                if batch["send_id"] not in abandoned:
                    lock = self._file.try_lock(batch["send_id"])
                    if lock is not None:
                        held.callback(lock.release)  # after the commit: none may start meanwhile
                    abandoned[batch["send_id"]] = lock is not None
                if not abandoned[batch["send_id"]]:
                    continue  # its sender is alive and will answer it
                db.execute(
                    "UPDATE batches SET state = 'unknown', finished_at = ? WHERE id = ?",
                    (now(), batch["id"]),
                )
                db.execute(
                    "UPDATE results SET outcome = 'unknown', status = NULL, detail = ?"
                    " WHERE batch_id = ?",
                    (INTERRUPTED_DETAIL, batch["id"]),
                )
                not_sent = db.execute(
                    "SELECT count(*) FROM latest_results AS l WHERE send_id = ? AND outcome = ?"
                    " AND NOT EXISTS (SELECT 1 FROM resent AS x"
                    " WHERE x.send_id = l.send_id AND x.row = l.row)",
                    (batch["send_id"], Outcome.NOT_SENT.value),
                ).fetchone()[0]
                recovered.append(
                    InterruptedBatch(
                        send_id=format_send_id(batch["send_id"]),
                        attempt=batch["attempt"],
                        batch=batch["number"],
                        started_at=parse_time(batch["started_at"]),
                        recipients=batch_outcomes(db, batch["id"], batch["number"]),
                        not_sent=not_sent,
                    )
                )
        return recovered

    # ----- history -------------------------------------------------------------------------

    def list_sends(self, last: int | None = None) -> list[SendSummary]:
        """The history, newest first; `last` keeps only that many."""
        with self._file.read() as db:
            sends = db.execute(
                "SELECT s.*, (SELECT max(attempt) FROM batches WHERE send_id = s.id) AS attempts"
                " FROM sends AS s ORDER BY s.id DESC LIMIT ?",
                (sql_limit(last),),
            ).fetchall()
            tallies: dict[int, dict[str, int]] = {}
            for row in db.execute(
                "SELECT send_id, outcome, count(*) AS n FROM latest_results"
                " WHERE send_id IN (SELECT id FROM sends ORDER BY id DESC LIMIT ?)"
                " GROUP BY send_id, outcome",
                (sql_limit(last),),
            ):
                tallies.setdefault(row["send_id"], {})[row["outcome"]] = row["n"]
        return [send_summary(send, tallies.get(send["id"], {})) for send in sends]

    def get_send(self, send_id: str) -> SendRecord:
        send = parse_send_id(send_id)
        with self._file.read() as db:
            return send_record(db, send)

    def get_sends(self, last: int | None = None) -> list[SendRecord]:
        """Full records, newest first (what `vtsms history --json` prints)."""
        with self._file.read() as db:
            ids = db.execute(
                "SELECT id FROM sends ORDER BY id DESC LIMIT ?", (sql_limit(last),)
            ).fetchall()
            return [send_record(db, row["id"]) for row in ids]

    # ----- resuming ------------------------------------------------------------------------

    def pending_recipients(
        self, send_id: str, include_unknown: bool = False
    ) -> list[PlannedRecipient]:
        """Recipients still waiting (`not_sent`), plus `unknown` ones only when asked, by row.

        A batch in flight right now is not waiting: its outcome is coming. Nor is a row
        resent as part of a later send.
        """
        send = parse_send_id(send_id)
        with self._file.read() as db:
            require_send(db, send)
            rows = db.execute(
                "SELECT row, client_code, mobile, text FROM latest_results AS l"
                " WHERE send_id = ? AND state != 'in_flight' AND NOT EXISTS (SELECT 1 FROM"
                " resent AS x WHERE x.send_id = l.send_id AND x.row = l.row)"
                " AND (outcome = 'not_sent' OR (? AND outcome = 'unknown')) ORDER BY row",
                (send, include_unknown),
            ).fetchall()
        return [PlannedRecipient(r["row"], r["client_code"], r["mobile"], r["text"]) for r in rows]

    def add_batches(self, send_id: str, batches: Sequence[Batch]) -> int:
        """Record a new attempt of `batches` under the same send; returns its attempt number.

        Every recipient must still be waiting (`not_sent` or `unknown`, not in flight):
        otherwise `SendConflict` and nothing is added. Then `recorder(send_id)` records it, and
        an earlier attempt that had batches left can no longer start them.
        """
        send = parse_send_id(send_id)
        planned = [recipient for batch in batches for recipient in batch.recipients]
        if not planned:
            raise ValueError("There are no recipients to add.")
        if len({r.row for r in planned}) != len(planned):
            raise ValueError("A recipient appears more than once in the batches.")
        if len({b.number for b in batches}) != len(batches):
            raise ValueError("Two batches have the same number.")
        with self._file.write() as db:
            require_send(db, send)
            latest = {
                row["row"]: row
                for row in db.execute(
                    "SELECT row, client_code, mobile, outcome, state FROM latest_results"
                    " WHERE send_id = ?",
                    (send,),
                )
            }
            resent = resent_in(db, send)
            for recipient in planned:
                known = latest.get(recipient.row)
                if known is None or (known["client_code"], known["mobile"]) != (
                    recipient.client_code,
                    recipient.mobile,
                ):
                    raise ValueError(
                        f"Row {recipient.row + 1} is not a recipient of send {send_id}."
                    )
                if known["state"] == BatchState.IN_FLIGHT or known["outcome"] not in (
                    Outcome.NOT_SENT,
                    Outcome.UNKNOWN,
                ):
                    raise SendConflict(
                        f"Row {recipient.row + 1} of send {format_send_id(send)} is no longer "
                        f"waiting to be sent ({describe_state(known)}). Nothing was resent."
                    )
                if recipient.row in resent:
                    raise SendConflict(
                        f"Row {recipient.row + 1} of send {format_send_id(send)} was already "
                        f"resent in send {resent[recipient.row]}. Nothing was resent."
                    )
            attempt = (
                db.execute(
                    "SELECT max(attempt) FROM batches WHERE send_id = ?", (send,)
                ).fetchone()[0]
                or 0
            ) + 1
            insert_batches(db, send, attempt, batches)
        return attempt
