"""The send journal: every send is written to SQLite before anything goes out, and each batch is
marked in flight before its request and answered right after, so no SMS is lost or sent twice.

Contract for the send runner, which drives `Journal.recorder(send_id)` as its `SendRecorder`:

- `batch_started(batch)` returns only once the batch is durably marked in flight. If it raises
  (`JournalUnavailable`: disk full, locked, read-only...; `SendConflict`: the send is being sent
  or was resumed elsewhere), that batch's request must NOT be sent, and the send stops there.
- `batch_finished(batch, outcomes, balance)` must follow once the request has an outcome (unknown
  included), before the next `batch_started`. If it raises, stop before the next batch: the batch
  stays in flight and the next `recover_interrupted()` reports it as unknown.
- Retrying belongs to the runner; the journal only records what happened.

Send ids are strings like "S-000123" (the row id, zero-padded): short enough to type after
`vtsms resume`, and never reused.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from filelock import FileLock, Timeout

from vtsms_gui.domain.outcomes import (
    NOT_SENT_DETAIL,
    Outcome,
    OutcomeCounts,
    RecipientOutcome,
)
from vtsms_gui.domain.send_plan import (
    Batch,
    Exclusion,
    PlannedRecipient,
    ResendOf,
    SendOptions,
    SendPlan,
)
from vtsms_gui.storage.journal_schema import LATEST_VERSION, migrate, schema_version
from vtsms_gui.storage.paths import data_dir

JOURNAL_FILE_NAME = "journal.sqlite3"
DEMO_JOURNAL_FILE_NAME = "demo-journal.sqlite3"  # the demo's pretend sends, kept apart
DEFAULT_BUSY_TIMEOUT = 5.0  # seconds to wait for another window or command to finish writing

INTERRUPTED_DETAIL = (
    "the app stopped while this batch was being sent: "
    "check the SMS history in VETtrak before resending"
)
IN_FLIGHT_DETAIL = "being sent: waiting for VETtrak's answer"


class JournalError(Exception):
    """A problem to show the user as it is: its message is plain English."""


class JournalUnavailable(JournalError):
    """The journal's file cannot be used right now (disk full, locked, read-only, damaged...).

    An environment problem, not a bug: nothing was written by the call that raised it.
    """


class UnknownSend(JournalError, LookupError):
    """No send has that id."""


class SendConflict(JournalError):
    """Going on would risk sending someone the message twice, so nothing was written."""


class BatchState(StrEnum):
    PLANNED = "planned"
    IN_FLIGHT = "in_flight"
    DONE = "done"  # VETtrak answered and sent at least one SMS
    FAILED = "failed"  # nothing in the batch was sent
    UNKNOWN = "unknown"  # the request may have reached VETtrak


@dataclass(frozen=True)
class BatchRecord:
    attempt: int  # 1 for the first series, one more for each resume
    number: int
    state: BatchState
    started_at: datetime | None
    finished_at: datetime | None
    balance: int | None  # credits left after the batch, as VETtrak reported it
    outcomes: tuple[RecipientOutcome, ...]


@dataclass(frozen=True)
class SendSummary:
    """One line of the history."""

    send_id: str
    created_at: datetime
    server: str | None  # None: recorded by a version that did not keep it
    username: str | None
    sender: str
    message: str
    counts: OutcomeCounts  # of each recipient's latest outcome
    credits: int  # the estimate shown before sending
    recipients: int
    attempts: int

    @property
    def first_words(self) -> str:
        return first_words(self.message)


@dataclass(frozen=True)
class SendRecord:
    """A send in full: its recipients' latest outcomes and every batch of every attempt."""

    send_id: str
    created_at: datetime
    server: str | None
    username: str | None
    message: str
    options: SendOptions
    segments: int
    credits: int
    balance_before: int | None
    recipients: tuple[RecipientOutcome, ...]  # latest outcome of each, in row order
    excluded: tuple[Exclusion, ...]
    batches: tuple[BatchRecord, ...]  # by attempt, then number
    resent_in: Mapping[int, str] = field(default_factory=dict)  # row -> the send that resent it

    @property
    def counts(self) -> OutcomeCounts:
        return OutcomeCounts.of(self.recipients)

    @property
    def in_progress(self) -> bool:
        """A batch is being sent right now (by this or another window or command)."""
        return any(batch.state is BatchState.IN_FLIGHT for batch in self.batches)

    def to_resend(self, *outcomes: Outcome) -> tuple[RecipientOutcome, ...]:
        """Recipients whose latest outcome is one of `outcomes` and that no later send has
        resent yet, in row order: what a "resend" of this send may offer."""
        return tuple(
            r for r in self.recipients if r.outcome in outcomes and r.row not in self.resent_in
        )

    def to_json(self) -> dict[str, object]:
        """The shape `vtsms history --json` prints for each send."""
        return {
            "send_id": self.send_id,
            "created_at": self.created_at.isoformat(),
            "server": self.server,
            "username": self.username,
            "sender": self.options.sender,
            "message": self.message,
            "credits": self.credits,
            "counts": asdict(self.counts),
            "recipients": [outcome.to_json() for outcome in self.recipients],
        }


@dataclass(frozen=True)
class InterruptedBatch:
    """A batch found in flight with nobody sending it: its recipients are now `unknown`."""

    send_id: str
    attempt: int
    batch: int
    started_at: datetime | None
    recipients: tuple[RecipientOutcome, ...]
    not_sent: int  # recipients of the same send still waiting, who can be sent by resuming

    def describe(self, resume: str = "resuming the send") -> str:
        """What happened, in plain English. `resume` names the way to send the recipients
        still waiting ("resuming the send" is `vtsms resume`; the window names its button)."""
        text = (
            f"Send {self.send_id} stopped while batch {self.batch} was being sent: "
            f"{_count(len(self.recipients), 'recipient')} may or may not have received the SMS. "
            "Check the SMS history in VETtrak before resending to them."
        )
        if self.not_sent:
            text += (
                f" {_count(self.not_sent, 'other recipient')} of this send "
                f"{'was' if self.not_sent == 1 else 'were'} not sent: {resume} "
                "sends to them."
            )
        return text


def default_journal_path(*, demo: bool = False) -> Path:
    """The journal in the user's data folder (or under $VTSMS_HOME).

    `demo`: the demo's own journal, so practice sends have a history without ever mixing
    with real ones (or being resumed against a real VETtrak).
    """
    return data_dir() / (DEMO_JOURNAL_FILE_NAME if demo else JOURNAL_FILE_NAME)


def format_send_id(number: int) -> str:
    return f"S-{number:06d}"


_SEND_ID = re.compile(r"\s*(?:S-?)?(\d{1,18})\s*", re.IGNORECASE)


def parse_send_id(send_id: str) -> int:
    """'S-000123', 's-123' and '123' all name send 123."""
    match = _SEND_ID.fullmatch(send_id)
    if match is None:
        raise UnknownSend(f"“{send_id}” is not a send id: they look like S-000123.")
    return int(match.group(1))


def first_words(message: str, limit: int = 40) -> str:
    flat = " ".join(message.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


class Journal:
    """The send journal in one SQLite file. Safe to share between threads; several processes
    (windows, commands) may use the same file at once.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ) -> None:
        self.path = Path(path)
        self._lock_dir = self.path.with_name(f"{self.path.name}-locks")
        self._guard = threading.RLock()
        with _environment_errors(self.path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                self.path,
                timeout=busy_timeout,  # SQLite's busy timeout: wait this long for a writer
                isolation_level=None,  # we issue BEGIN / COMMIT ourselves
                check_same_thread=False,  # guarded by self._guard instead
            )
            try:
                _prepare(db, self.path, busy_timeout)
            except BaseException:
                db.close()
                raise
        self._db = db

    def close(self) -> None:
        with self._guard:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----- writing a send ------------------------------------------------------------------

    def create_send(self, plan: SendPlan, *, server: str, username: str) -> str:
        """Write the whole plan, every recipient `not_sent`, before anything goes out.

        `server` is stored without any user:password@ part, query or fragment. Pass no token
        or password anywhere: the journal keeps only what it is given here.

        A plan that resends rows of an earlier send (`plan.resend_of`) marks them resent in
        the same transaction; if any of them is no longer waiting (sent, being sent, or
        already resent), `SendConflict` and nothing is written.
        """
        options = plan.options
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO sends (created_at, server, username, message, sender, marketing,"
                " accept_replies, provider_id, schedule, batch_size, max_parts, segments,"
                " credits, balance_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    _without_secrets(server),
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
                ),
            )
            send = _row_id(cursor)
            db.executemany(
                "INSERT INTO excluded (send_id, row, reason) VALUES (?, ?, ?)",
                [(send, item.row, item.reason) for item in plan.excluded],
            )
            _insert_batches(db, send, 1, plan.batches)
            if plan.resend_of is not None:
                _hand_over(db, plan.resend_of, send)
        return format_send_id(send)

    def recorder(self, send_id: str, attempt: int | None = None) -> JournalRecorder:
        """The `SendRecorder` for one attempt of a send (by default its latest)."""
        send = parse_send_id(send_id)
        with self._read() as db:
            _require_send(db, send)
            latest = db.execute(
                "SELECT max(attempt) FROM batches WHERE send_id = ?", (send,)
            ).fetchone()[0]
        return JournalRecorder(self, send, attempt or latest or 1)

    # ----- after a crash -------------------------------------------------------------------

    def recover_interrupted(self) -> list[InterruptedBatch]:
        """Mark `unknown` every batch left in flight by a process that is gone, and say which.

        Call it when any window or command starts. A batch in flight in a process still
        sending (another window) is left alone. Safe to call from several processes at once.
        """
        recovered: list[InterruptedBatch] = []
        abandoned: dict[int, bool] = {}  # send -> nobody is sending it
        with contextlib.ExitStack() as held, self._write() as db:
            found = db.execute(
                "SELECT id, send_id, attempt, number, started_at FROM batches"
                " WHERE state = 'in_flight' ORDER BY send_id, attempt, number"
            ).fetchall()
            for batch in found:
                if batch["send_id"] not in abandoned:
                    lock = self._try_lock(batch["send_id"])
                    if lock is not None:
                        held.callback(lock.release)  # after the commit: none may start meanwhile
                    abandoned[batch["send_id"]] = lock is not None
                if not abandoned[batch["send_id"]]:
                    continue  # its sender is alive and will answer it
                db.execute(
                    "UPDATE batches SET state = 'unknown', finished_at = ? WHERE id = ?",
                    (_now(), batch["id"]),
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
                        started_at=_parse_time(batch["started_at"]),
                        recipients=_batch_outcomes(db, batch["id"], batch["number"]),
                        not_sent=not_sent,
                    )
                )
        return recovered

    # ----- history -------------------------------------------------------------------------

    def list_sends(self, last: int | None = None) -> list[SendSummary]:
        """The history, newest first; `last` keeps only that many."""
        with self._read() as db:
            sends = db.execute(
                "SELECT s.*, (SELECT max(attempt) FROM batches WHERE send_id = s.id) AS attempts"
                " FROM sends AS s ORDER BY s.id DESC LIMIT ?",
                (_limit(last),),
            ).fetchall()
            tallies: dict[int, dict[str, int]] = {}
            for row in db.execute(
                "SELECT send_id, outcome, count(*) AS n FROM latest_results"
                " WHERE send_id IN (SELECT id FROM sends ORDER BY id DESC LIMIT ?)"
                " GROUP BY send_id, outcome",
                (_limit(last),),
            ):
                tallies.setdefault(row["send_id"], {})[row["outcome"]] = row["n"]
        summaries = []
        for send in sends:
            tally = tallies.get(send["id"], {})
            summaries.append(
                SendSummary(
                    send_id=format_send_id(send["id"]),
                    created_at=datetime.fromisoformat(send["created_at"]),
                    server=send["server"],
                    username=send["username"],
                    sender=send["sender"],
                    message=send["message"],
                    counts=OutcomeCounts(**tally),
                    credits=send["credits"],
                    recipients=sum(tally.values()),
                    attempts=send["attempts"] or 1,
                )
            )
        return summaries

    def get_send(self, send_id: str) -> SendRecord:
        send = parse_send_id(send_id)
        with self._read() as db:
            return _send_record(db, send)

    def get_sends(self, last: int | None = None) -> list[SendRecord]:
        """Full records, newest first (what `vtsms history --json` prints)."""
        with self._read() as db:
            ids = db.execute(
                "SELECT id FROM sends ORDER BY id DESC LIMIT ?", (_limit(last),)
            ).fetchall()
            return [_send_record(db, row["id"]) for row in ids]

    # ----- resuming ------------------------------------------------------------------------

    def pending_recipients(
        self, send_id: str, include_unknown: bool = False
    ) -> list[PlannedRecipient]:
        """Recipients still waiting (`not_sent`), plus `unknown` ones only when asked, by row.

        A batch in flight right now is not waiting: its outcome is coming. Nor is a row
        resent as part of a later send.
        """
        send = parse_send_id(send_id)
        with self._read() as db:
            _require_send(db, send)
            rows = db.execute(
                "SELECT row, client_code, mobile FROM latest_results AS l"
                " WHERE send_id = ? AND state != 'in_flight' AND NOT EXISTS (SELECT 1 FROM"
                " resent AS x WHERE x.send_id = l.send_id AND x.row = l.row)"
                " AND (outcome = 'not_sent' OR (? AND outcome = 'unknown')) ORDER BY row",
                (send, include_unknown),
            ).fetchall()
        return [PlannedRecipient(r["row"], r["client_code"], r["mobile"]) for r in rows]

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
        with self._write() as db:
            _require_send(db, send)
            latest = {
                row["row"]: row
                for row in db.execute(
                    "SELECT row, client_code, mobile, outcome, state FROM latest_results"
                    " WHERE send_id = ?",
                    (send,),
                )
            }
            resent = _resent_in(db, send)
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
                        f"waiting to be sent ({_describe_state(known)}). Nothing was resent."
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
            _insert_batches(db, send, attempt, batches)
        return attempt

    # ----- plumbing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so two processes never read the same state
        # and then both act on it (two recoveries, two resumes).
        with self._guard, _environment_errors(self.path), _transaction(self._db, "IMMEDIATE"):
            yield self._db

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        # A read transaction: one consistent snapshot across the several queries of a read.
        with self._guard, _environment_errors(self.path), _transaction(self._db, "DEFERRED"):
            yield self._db

    def _try_lock(self, send: int) -> FileLock | None:
        """The send's liveness lock, or None if a live process holds it.

        A process holds it for as long as one of the send's batches is in flight. The OS frees
        it when the process ends, however it ends (SIGKILL, power cut), so "in flight and not
        locked" means interrupted. A file lock, since SQLite's own locks cannot outlive a
        transaction, and a request can take a minute.
        """
        with _environment_errors(self.path):
            self._lock_dir.mkdir(exist_ok=True)
            # fallback_to_soft=False: a soft lock would outlive a crash and hide it forever.
            lock = FileLock(
                self._lock_dir / f"{format_send_id(send)}.lock",
                thread_local=False,
                fallback_to_soft=False,
            )
            try:
                lock.acquire(timeout=0)
            except Timeout:
                return None
        return lock


class JournalRecorder:
    """Records one attempt of a send, batch by batch: the runner's `SendRecorder`.

    Use it as a context manager (or call `close`) so that an abandoned in-flight batch is
    released for `recover_interrupted` without waiting for the process to end.
    """

    def __init__(self, journal: Journal, send: int, attempt: int) -> None:
        self._journal = journal
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
        lock = self._journal._try_lock(self._send)
        if lock is None:
            raise SendConflict(
                f"Send {self.send_id} is being sent by another window or command right now."
            )
        try:
            with self._journal._write() as db:
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
            with self._journal._write() as db:
                updated = db.execute(
                    "UPDATE batches SET state = ?, finished_at = ?, balance = ?"
                    " WHERE id = ? AND state = 'in_flight'",
                    (_state_after(outcomes).value, _now(), balance, batch_id),
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
        resent = _resent_in(db, self._send)
        taken = sorted(row for row, _, _ in recorded if row in resent)
        if taken:
            raise SendConflict(
                f"Row {taken[0] + 1} of send {self.send_id} was resent in send "
                f"{resent[taken[0]]} from another window: this send stops so nobody gets "
                "the SMS twice."
            )
        db.execute(
            "UPDATE batches SET state = 'in_flight', started_at = ? WHERE id = ?",
            (_now(), found["id"]),
        )
        # From here the honest answer is "unknown", even if this process dies before recovery.
        db.execute(
            "UPDATE results SET outcome = 'unknown', detail = ? WHERE batch_id = ?",
            (IN_FLIGHT_DETAIL, found["id"]),
        )
        batch_id: int = found["id"]
        return batch_id


# ----- SQLite plumbing ---------------------------------------------------------------------


def _prepare(db: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    # WAL: the history can be read while a send writes. synchronous=FULL syncs the log at every
    # commit: under WAL, NORMAL can lose the last commits to a power cut, and the lost one could
    # be the "in flight" mark of a batch whose request had already left.
    _switch_to_wal(db, busy_timeout)
    db.execute("PRAGMA synchronous = FULL")
    if schema_version(db) == LATEST_VERSION:
        return
    with _transaction(db, "IMMEDIATE"):
        version = schema_version(db)  # again: another process may have just migrated it
        if version > LATEST_VERSION:
            raise JournalUnavailable(
                f"The send journal {path} was written by a newer version of vtsms-gui. "
                "Update this app to use it."
            )
        if version < LATEST_VERSION:
            migrate(db, version)


def _switch_to_wal(db: sqlite3.Connection, busy_timeout: float) -> None:
    # Turning a new file to WAL needs an exclusive lock that SQLite does not wait for (its busy
    # handler is not called here): a window recovering the journal while a send opens it for
    # the first time failed about one time in ten. So wait here, as long as for any writer.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF
            if code not in (_BUSY, _LOCKED) or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection, kind: str) -> Iterator[None]:
    """BEGIN `kind` ... COMMIT, rolled back if anything (even COMMIT) fails."""
    db.execute(f"BEGIN {kind}")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            # A failed rollback must not hide the error that caused it.
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        raise


# SQLite's primary result codes (sqlite3 names them only from Python 3.11 on).
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _PROTOCOL, _NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 15, 26,
)  # fmt: skip
_PROBLEMS = {
    _FULL: "The disk is full, so the send journal could not be saved. Free some disk space "
    "and try again.",
    _BUSY: "The send journal is busy: another vtsms window or command is using it. Wait a "
    "moment and try again.",
    _LOCKED: "The send journal is busy: another vtsms window or command is using it. Wait a "
    "moment and try again.",
    _PROTOCOL: "The send journal is busy: another vtsms window or command is using it. Wait a "
    "moment and try again.",
    _READONLY: "The send journal cannot be written: the file or its folder is read-only. "
    "Check the permissions.",
    _PERM: "The send journal cannot be written: the file or its folder is read-only. "
    "Check the permissions.",
    _IOERR: "The disk reported an error while using the send journal. Check the disk and "
    "try again.",
    _CORRUPT: "The send journal file is damaged and cannot be read. Move it somewhere else "
    "(keep it: it is the record of past sends) and start again.",
    _NOTADB: "The send journal file is damaged and cannot be read. Move it somewhere else "
    "(keep it: it is the record of past sends) and start again.",
    _CANTOPEN: "The send journal could not be opened: its folder is missing or read-only. "
    "Check the permissions.",
}
# Before Python 3.11 an error carries only SQLite's standard wording of its code.
_WORDING = {
    "access permission denied": _PERM,
    "database is locked": _BUSY,
    "database table is locked": _LOCKED,
    "attempt to write a readonly database": _READONLY,
    "disk I/O error": _IOERR,
    "database disk image is malformed": _CORRUPT,
    "database or disk is full": _FULL,
    "unable to open database file": _CANTOPEN,
    "locking protocol": _PROTOCOL,
    "file is not a database": _NOTADB,
}


@contextlib.contextmanager
def _environment_errors(path: Path) -> Iterator[None]:
    """Turn the file's problems (full, locked, read-only, damaged) into `JournalUnavailable`;
    anything else is a bug and passes through unchanged."""
    try:
        yield
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            code = _WORDING.get(str(exc))
        problem = None if code is None else _PROBLEMS.get(code & 0xFF)
        if problem is None:
            raise
        raise JournalUnavailable(f"{problem} (Journal file: {path})") from exc
    except OSError as exc:  # the folder or a lock file
        raise JournalUnavailable(
            f"The send journal's folder cannot be used: {exc.strerror or exc}. "
            f"(Journal file: {path})"
        ) from exc


# ----- rows <-> values ---------------------------------------------------------------------


def _insert_batches(
    db: sqlite3.Connection, send: int, attempt: int, batches: Sequence[Batch]
) -> None:
    for batch in batches:
        batch_id = _row_id(
            db.execute(
                "INSERT INTO batches (send_id, attempt, number, state) VALUES (?, ?, ?, 'planned')",
                (send, attempt, batch.number),
            )
        )
        db.executemany(
            "INSERT INTO results (batch_id, row, client_code, mobile, outcome, detail)"
            " VALUES (?, ?, ?, ?, 'not_sent', ?)",
            [(batch_id, r.row, r.client_code, r.mobile, NOT_SENT_DETAIL) for r in batch.recipients],
        )


def _require_send(db: sqlite3.Connection, send: int) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute("SELECT * FROM sends WHERE id = ?", (send,)).fetchone()
    if row is None:
        raise UnknownSend(f"There is no send {format_send_id(send)} in the journal.")
    return row


def _resent_in(db: sqlite3.Connection, send: int) -> dict[int, str]:
    """Rows of `send` resent in a later send: row -> that send's id."""
    found = db.execute("SELECT row, resent_in FROM resent WHERE send_id = ?", (send,))
    return {r["row"]: format_send_id(r["resent_in"]) for r in found}


def _hand_over(db: sqlite3.Connection, resend_of: ResendOf, new_send: int) -> None:
    """Mark rows of an earlier send as resent in `new_send`, if each is still waiting."""
    send = parse_send_id(resend_of.send_id)
    _require_send(db, send)
    latest = {
        row["row"]: row
        for row in db.execute(
            "SELECT row, outcome, state FROM latest_results WHERE send_id = ?", (send,)
        )
    }
    resent = _resent_in(db, send)
    for row in sorted(set(resend_of.rows)):
        known = latest.get(row)
        if known is None:
            raise ValueError(f"Row {row + 1} is not a recipient of send {format_send_id(send)}.")
        if row in resent:
            raise SendConflict(
                f"Row {row + 1} of send {format_send_id(send)} was already resent in send "
                f"{resent[row]}. Nothing was sent."
            )
        if known["state"] == BatchState.IN_FLIGHT or known["outcome"] == Outcome.SENT:
            raise SendConflict(
                f"Row {row + 1} of send {format_send_id(send)} is no longer waiting to be sent "
                f"({_describe_state(known)}). Nothing was sent."
            )
    db.executemany(
        "INSERT INTO resent (send_id, row, resent_in) VALUES (?, ?, ?)",
        [(send, row, new_send) for row in sorted(set(resend_of.rows))],
    )


def _send_record(db: sqlite3.Connection, send: int) -> SendRecord:
    row = _require_send(db, send)
    latest = db.execute(
        "SELECT * FROM latest_results WHERE send_id = ? ORDER BY row", (send,)
    ).fetchall()
    excluded = db.execute(
        "SELECT row, reason FROM excluded WHERE send_id = ? ORDER BY row", (send,)
    ).fetchall()
    batches = db.execute(
        "SELECT * FROM batches WHERE send_id = ? ORDER BY attempt, number", (send,)
    ).fetchall()
    return SendRecord(
        send_id=format_send_id(send),
        created_at=datetime.fromisoformat(row["created_at"]),
        server=row["server"],
        username=row["username"],
        message=row["message"],
        options=SendOptions(
            sender=row["sender"],
            marketing=bool(row["marketing"]),
            accept_replies=bool(row["accept_replies"]),
            provider_id=row["provider_id"],
            schedule=_parse_time(row["schedule"]),
            batch_size=row["batch_size"],
            max_parts=row["max_parts"],
        ),
        segments=row["segments"],
        credits=row["credits"],
        balance_before=row["balance_before"],
        recipients=tuple(_outcome(r, r["batch"]) for r in latest),
        excluded=tuple(Exclusion(r["row"], r["reason"]) for r in excluded),
        batches=tuple(
            BatchRecord(
                attempt=b["attempt"],
                number=b["number"],
                state=BatchState(b["state"]),
                started_at=_parse_time(b["started_at"]),
                finished_at=_parse_time(b["finished_at"]),
                balance=b["balance"],
                outcomes=_batch_outcomes(db, b["id"], b["number"]),
            )
            for b in batches
        ),
        resent_in=_resent_in(db, send),
    )


def _batch_outcomes(
    db: sqlite3.Connection, batch_id: int, number: int
) -> tuple[RecipientOutcome, ...]:
    rows = db.execute("SELECT * FROM results WHERE batch_id = ? ORDER BY row", (batch_id,))
    return tuple(_outcome(r, number) for r in rows)


def _outcome(row: sqlite3.Row, batch: int) -> RecipientOutcome:
    return RecipientOutcome(
        row=row["row"],
        client_code=row["client_code"],
        mobile=row["mobile"],
        status=row["status"],
        outcome=Outcome(row["outcome"]),
        detail=row["detail"],
        batch=batch,
    )


def _state_after(outcomes: Sequence[RecipientOutcome]) -> BatchState:
    found = {o.outcome for o in outcomes}
    if Outcome.UNKNOWN in found:
        return BatchState.UNKNOWN
    return BatchState.DONE if Outcome.SENT in found else BatchState.FAILED


def _describe_state(row: sqlite3.Row) -> str:
    if row["state"] == BatchState.IN_FLIGHT:
        return "it is being sent right now"
    return f"its latest outcome is {row['outcome'].replace('_', ' ')}"


def _without_secrets(server: str) -> str:
    """The server's address without user:password@, query or fragment: places a token can hide."""
    parts = urlsplit(server.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError("The server must be a full address such as https://host/VT_API.asmx.")
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _row_id(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:  # only after a statement that inserted nothing
        raise RuntimeError("SQLite returned no row id for an insert.")
    return cursor.lastrowid


def _limit(last: int | None) -> int:
    if last is not None and last < 0:
        raise ValueError("The number of sends to show cannot be negative.")
    return -1 if last is None else last  # SQLite: LIMIT -1 is no limit


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
