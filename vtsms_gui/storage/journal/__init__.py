"""The send journal: every send is written to SQLite before anything goes out, and each batch is
marked in flight before its request and answered right after, so no SMS is lost or sent twice.

Import from here; the modules, each importing only those above it in this list:

- `location`: where the journal's file lives (and the demo's, apart).
- `errors`: JournalError and its kinds; a file's problems turned into `JournalUnavailable`.
- `schema`: the tables and their migrations, one step per `PRAGMA user_version`.
- `records`: what the journal hands back (a send, a history line, an interrupted batch) and
  the send ids ("S-000123").
- `sqlite_access`: the file's one connection (WAL, synchronous=FULL), its transactions, and
  the per-send file locks that tell a live sender from a crashed one.
- `rows`: the SQL shared by the journal and its recorder, rows <-> records.
- `recorder`: `JournalRecorder`, the send runner's `SendRecorder`, and its contract.
- `journal`: `Journal`, the API: create a send, recover after a crash, history, resume.
"""

from vtsms_gui.storage.journal.errors import (
    JournalError,
    JournalUnavailable,
    SendConflict,
    UnknownSend,
)
from vtsms_gui.storage.journal.journal import Journal
from vtsms_gui.storage.journal.location import (
    DEMO_JOURNAL_FILE_NAME,
    JOURNAL_FILE_NAME,
    default_journal_path,
)
from vtsms_gui.storage.journal.recorder import JournalRecorder
from vtsms_gui.storage.journal.records import (
    IN_FLIGHT_DETAIL,
    INTERRUPTED_DETAIL,
    BatchRecord,
    BatchState,
    InterruptedBatch,
    SendRecord,
    SendSummary,
    first_words,
    format_send_id,
    parse_send_id,
)
from vtsms_gui.storage.journal.sqlite_access import DEFAULT_BUSY_TIMEOUT

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "DEMO_JOURNAL_FILE_NAME",
    "INTERRUPTED_DETAIL",
    "IN_FLIGHT_DETAIL",
    "JOURNAL_FILE_NAME",
    "BatchRecord",
    "BatchState",
    "InterruptedBatch",
    "Journal",
    "JournalError",
    "JournalRecorder",
    "JournalUnavailable",
    "SendConflict",
    "SendRecord",
    "SendSummary",
    "UnknownSend",
    "default_journal_path",
    "first_words",
    "format_send_id",
    "parse_send_id",
]
