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
def environment_errors(path: Path) -> Iterator[None]:
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
