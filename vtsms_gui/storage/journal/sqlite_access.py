"""The journal's file: its one SQLite connection (WAL, synchronous=FULL, the schema brought up
to date), the transactions every read and write runs in, and the per-send file locks beside
it that tell a live sender from a crashed one.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from vtsms_gui.storage.journal.errors import JournalUnavailable, environment_errors
from vtsms_gui.storage.journal.records import format_send_id
from vtsms_gui.storage.journal.schema import LATEST_VERSION, migrate, schema_version

DEFAULT_BUSY_TIMEOUT = 5.0  # seconds to wait for another window or command to finish writing


class JournalFile:
    """One SQLite connection to the journal's file, safe to share between threads, and the
    send locks in the folder next to it.
    """

    def __init__(self, path: Path, busy_timeout: float) -> None:
        self.path = path
        self._lock_dir = path.with_name(f"{path.name}-locks")
        self._guard = threading.RLock()
        with environment_errors(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                path,
                timeout=busy_timeout,  # SQLite's busy timeout: wait this long for a writer
                isolation_level=None,  # we issue BEGIN / COMMIT ourselves
                check_same_thread=False,  # guarded by self._guard instead
            )
            try:
                _prepare(db, path, busy_timeout)
            except BaseException:
                db.close()
                raise
        self.connection = db

    def close(self) -> None:
        with self._guard:
            self.connection.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so two processes never read the same state
        # and then both act on it (two recoveries, two resumes).
        with self._guard, environment_errors(self.path), _transaction(self.connection, "IMMEDIATE"):
            yield self.connection

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        # A read transaction: one consistent snapshot across the several queries of a read.
        with self._guard, environment_errors(self.path), _transaction(self.connection, "DEFERRED"):
            yield self.connection

    def try_lock(self, send: int) -> FileLock | None:
        """The send's liveness lock, or None if a live process holds it.

        A process holds it for as long as one of the send's batches is in flight. The OS frees
        it when the process ends, however it ends (SIGKILL, power cut), so "in flight and not
        locked" means interrupted. A file lock, since SQLite's own locks cannot outlive a
        transaction, and a request can take a minute.
        """
        with environment_errors(self.path):
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
            busy = code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() >= deadline:
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
