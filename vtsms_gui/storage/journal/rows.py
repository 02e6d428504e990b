"""Rows <-> values: the SQL that the journal and its recorder share, and the turning of the
file's rows into records (and of values into rows). Each function runs inside the caller's
transaction and never opens one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from vtsms_gui.domain.outcomes import NOT_SENT_DETAIL, Outcome, OutcomeCounts, RecipientOutcome
from vtsms_gui.domain.send_plan import Batch, Exclusion, ResendOf, SendOptions
from vtsms_gui.storage.journal.errors import SendConflict, UnknownSend
from vtsms_gui.storage.journal.records import (
    BatchRecord,
    BatchState,
    SendRecord,
    SendSummary,
    format_send_id,
    parse_send_id,
)


def insert_batches(
    db: sqlite3.Connection, send: int, attempt: int, batches: Sequence[Batch]
) -> None:
    for batch in batches:
        batch_id = row_id(
            db.execute(
                "INSERT INTO batches (send_id, attempt, number, state) VALUES (?, ?, ?, 'planned')",
                (send, attempt, batch.number),
            )
        )
        db.executemany(
            "INSERT INTO results (batch_id, row, client_code, mobile, outcome, detail, text)"
            " VALUES (?, ?, ?, ?, 'not_sent', ?, ?)",
            [
                (batch_id, r.row, r.client_code, r.mobile, NOT_SENT_DETAIL, r.text or batch.text)
                for r in batch.recipients
            ],
        )


def require_send(db: sqlite3.Connection, send: int) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute("SELECT * FROM sends WHERE id = ?", (send,)).fetchone()
    if row is None:
        raise UnknownSend(f"There is no send {format_send_id(send)} in the journal.")
    return row


def resent_in(db: sqlite3.Connection, send: int) -> dict[int, str]:
    """Rows of `send` resent in a later send: row -> that send's id."""
    found = db.execute("SELECT row, resent_in FROM resent WHERE send_id = ?", (send,))
    return {r["row"]: format_send_id(r["resent_in"]) for r in found}


def hand_over(db: sqlite3.Connection, resend_of: ResendOf, new_send: int) -> None:
    """Mark rows of an earlier send as resent in `new_send`, if each is still waiting."""
    send = parse_send_id(resend_of.send_id)
    require_send(db, send)
    latest = {
        row["row"]: row
        for row in db.execute(
            "SELECT row, outcome, state FROM latest_results WHERE send_id = ?", (send,)
        )
    }
    resent = resent_in(db, send)
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
                f"({describe_state(known)}). Nothing was sent."
            )
    db.executemany(
        "INSERT INTO resent (send_id, row, resent_in) VALUES (?, ?, ?)",
        [(send, row, new_send) for row in sorted(set(resend_of.rows))],
    )


def send_record(db: sqlite3.Connection, send: int) -> SendRecord:
    row = require_send(db, send)
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
            schedule=parse_time(row["schedule"]),
            batch_size=row["batch_size"],
            max_parts=row["max_parts"],
        ),
        segments=row["segments"],
        credits=row["credits"],
        balance_before=row["balance_before"],
        recipients=tuple(recipient_outcome(r, r["batch"]) for r in latest),
        excluded=tuple(Exclusion(r["row"], r["reason"]) for r in excluded),
        batches=tuple(
            BatchRecord(
                attempt=b["attempt"],
                number=b["number"],
                state=BatchState(b["state"]),
                started_at=parse_time(b["started_at"]),
                finished_at=parse_time(b["finished_at"]),
                balance=b["balance"],
                outcomes=batch_outcomes(db, b["id"], b["number"]),
            )
            for b in batches
        ),
        resent_in=resent_in(db, send),
        texts={r["row"]: r["text"] for r in latest if r["text"] is not None},
        test=bool(row["test"]),
    )


def send_summary(send: sqlite3.Row, tally: Mapping[str, int]) -> SendSummary:
    """A line of the history, from a `sends` row (with its `attempts`) and the count of each
    latest outcome of its recipients."""
    return SendSummary(
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
        test=bool(send["test"]),
    )


def batch_outcomes(
    db: sqlite3.Connection, batch_id: int, number: int
) -> tuple[RecipientOutcome, ...]:
    rows = db.execute("SELECT * FROM results WHERE batch_id = ? ORDER BY row", (batch_id,))
    return tuple(recipient_outcome(r, number) for r in rows)


def recipient_outcome(row: sqlite3.Row, batch: int) -> RecipientOutcome:
    return RecipientOutcome(
        row=row["row"],
        client_code=row["client_code"],
        mobile=row["mobile"],
        status=row["status"],
        outcome=Outcome(row["outcome"]),
        detail=row["detail"],
        batch=batch,
    )


def state_after(outcomes: Sequence[RecipientOutcome]) -> BatchState:
    found = {o.outcome for o in outcomes}
    if Outcome.UNKNOWN in found:
        return BatchState.UNKNOWN
    return BatchState.DONE if Outcome.SENT in found else BatchState.FAILED


def describe_state(row: sqlite3.Row) -> str:
    if row["state"] == BatchState.IN_FLIGHT:
        return "it is being sent right now"
    return f"its latest outcome is {row['outcome'].replace('_', ' ')}"


def without_secrets(server: str) -> str:
    """The server's address without user:password@, query or fragment: places a token can hide."""
    parts = urlsplit(server.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError("The server must be a full address such as https://host/VT_API.asmx.")
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def row_id(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:  # only after a statement that inserted nothing
        raise RuntimeError("SQLite returned no row id for an insert.")
    return cursor.lastrowid


def sql_limit(last: int | None) -> int:
    if last is not None and last < 0:
        raise ValueError("The number of sends to show cannot be negative.")
    return -1 if last is None else last  # SQLite: LIMIT -1 is no limit


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
