"""The send journal's SQLite schema and its migrations, one step per `PRAGMA user_version`.

Steps are never edited once released: an old file is brought up to date by running, in order,
every step after the version it records. A new file runs them all, so both paths stay the same.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

# Version 1, as first released: one series of batches per send; each batch keeps the exact
# recipients of its request and, once answered, their outcome.
_V1 = (
    """
    CREATE TABLE sends (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        message TEXT NOT NULL,
        sender TEXT NOT NULL,
        marketing INTEGER NOT NULL,
        accept_replies INTEGER NOT NULL,
        provider_id TEXT NOT NULL,
        schedule TEXT,
        batch_size INTEGER NOT NULL,
        max_parts INTEGER NOT NULL,
        segments INTEGER NOT NULL,
        credits INTEGER NOT NULL,
        balance_before INTEGER
    )
    """,
    """
    CREATE TABLE excluded (
        send_id INTEGER NOT NULL REFERENCES sends (id),
        row INTEGER NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (send_id, row)
    )
    """,
    """
    CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        send_id INTEGER NOT NULL REFERENCES sends (id),
        number INTEGER NOT NULL,
        state TEXT NOT NULL
            CHECK (state IN ('planned', 'in_flight', 'done', 'failed', 'unknown')),
        started_at TEXT,
        finished_at TEXT,
        balance INTEGER
    )
    """,
    "CREATE UNIQUE INDEX batches_by_number ON batches (send_id, number)",
    """
    CREATE TABLE results (
        batch_id INTEGER NOT NULL REFERENCES batches (id),
        row INTEGER NOT NULL,
        client_code TEXT,
        mobile TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'unknown', 'not_sent')),
        status INTEGER,
        detail TEXT NOT NULL,
        PRIMARY KEY (batch_id, row)
    )
    """,
)

# Version 2: which server and user a send went through (never a token or password), and
# resends: `vtsms resume` adds a new attempt of batches under the same send, so an earlier
# outcome is kept, never overwritten. A recipient's outcome is the one of its latest attempt.
_V2 = (
    "ALTER TABLE sends ADD COLUMN server TEXT",
    "ALTER TABLE sends ADD COLUMN username TEXT",
    "ALTER TABLE batches ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1)",
    "DROP INDEX batches_by_number",
    "CREATE UNIQUE INDEX batches_by_attempt ON batches (send_id, attempt, number)",
    """
    CREATE VIEW latest_results AS
    SELECT b.send_id, b.attempt, b.number AS batch, b.state, r.batch_id, r.row,
           r.client_code, r.mobile, r.status, r.outcome, r.detail
    FROM results AS r JOIN batches AS b ON b.id = r.batch_id
    WHERE NOT EXISTS (
        SELECT 1 FROM batches AS later JOIN results AS again ON again.batch_id = later.id
        WHERE later.send_id = b.send_id AND later.attempt > b.attempt AND again.row = r.row
    )
    """,
)

# Version 3: rows of a send that were resent as part of a later send (the window's "Resend to
# failed / not sent"): they are no longer waiting, so neither a resume nor another resend
# sends them again.
_V3 = (
    """
    CREATE TABLE resent (
        send_id INTEGER NOT NULL REFERENCES sends (id),
        row INTEGER NOT NULL,
        resent_in INTEGER NOT NULL REFERENCES sends (id),
        PRIMARY KEY (send_id, row)
    )
    """,
)

# Version 4: personalised messages. Each row keeps the exact text it was (or is to be) sent;
# NULL, in rows written before, means the send's message. `sends.message` is the template.
# `sends.test` marks a test sent to the user's own number before a bulk send.
_V4 = (
    "ALTER TABLE results ADD COLUMN text TEXT",
    "ALTER TABLE sends ADD COLUMN test INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1))",
    "DROP VIEW latest_results",
    """
    CREATE VIEW latest_results AS
    SELECT b.send_id, b.attempt, b.number AS batch, b.state, r.batch_id, r.row,
           r.client_code, r.mobile, r.status, r.outcome, r.detail, r.text
    FROM results AS r JOIN batches AS b ON b.id = r.batch_id
    WHERE NOT EXISTS (
        SELECT 1 FROM batches AS later JOIN results AS again ON again.batch_id = later.id
        WHERE later.send_id = b.send_id AND later.attempt > b.attempt AND again.row = r.row
    )
    """,
)

MIGRATIONS: tuple[Sequence[str], ...] = (_V1, _V2, _V3, _V4)
"""MIGRATIONS[n] takes a file from version n to version n + 1."""

LATEST_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(db: sqlite3.Connection, from_version: int) -> None:
    """Run every step after `from_version`; the caller holds a write transaction."""
    for step in MIGRATIONS[from_version:]:
        for statement in step:
            db.execute(statement)
    # PRAGMA takes no parameters; LATEST_VERSION is our own integer.
    db.execute(f"PRAGMA user_version = {LATEST_VERSION:d}")
