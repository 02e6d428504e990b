"""The journal's errors, and how a problem with its file (full, locked, read-only, damaged)
becomes a `JournalUnavailable` whose message the user can act on.

The bottom of the package: it imports none of the journal's other modules.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path


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


# SQLite's primary result codes that mean the file cannot be used, and what to tell the user.
_BUSY = (
    "The send journal is busy: another vtsms window or command is using it. Wait a moment "
    "and try again."
)
_READ_ONLY = (
    "The send journal cannot be written: the file or its folder is read-only. "
    "Check the permissions."
)
_DAMAGED = (
    "The send journal file is damaged and cannot be read. Move it somewhere else "
    "(keep it: it is the record of past sends) and start again."
)
_PROBLEMS = {
    sqlite3.SQLITE_FULL: "The disk is full, so the send journal could not be saved. Free some "
    "disk space and try again.",
    sqlite3.SQLITE_BUSY: _BUSY,
    sqlite3.SQLITE_LOCKED: _BUSY,
    sqlite3.SQLITE_PROTOCOL: _BUSY,
    sqlite3.SQLITE_READONLY: _READ_ONLY,
    sqlite3.SQLITE_PERM: _READ_ONLY,
    sqlite3.SQLITE_IOERR: "The disk reported an error while using the send journal. Check the "
    "disk and try again.",
    sqlite3.SQLITE_CORRUPT: _DAMAGED,
    sqlite3.SQLITE_NOTADB: _DAMAGED,
    sqlite3.SQLITE_CANTOPEN: "The send journal could not be opened: its folder is missing or "
    "read-only. Check the permissions.",
}


@contextlib.contextmanager
def environment_errors(path: Path) -> Iterator[None]:
    """Turn the file's problems (full, locked, read-only, damaged) into `JournalUnavailable`;
    anything else is a bug and passes through unchanged."""
    try:
        yield
    except sqlite3.Error as exc:
        # Errors raised by the sqlite3 module itself (a closed connection...) carry no code.
        code = getattr(exc, "sqlite_errorcode", None)
        problem = None if code is None else _PROBLEMS.get(code & 0xFF)
        if problem is None:
            raise
        raise JournalUnavailable(f"{problem} (Journal file: {path})") from exc
    except OSError as exc:  # the folder or a lock file
        raise JournalUnavailable(
            f"The send journal's folder cannot be used: {exc.strerror or exc}. "
            f"(Journal file: {path})"
        ) from exc
