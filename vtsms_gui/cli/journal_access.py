"""Opening the send journal from a command, and telling the user about interrupted sends."""

from __future__ import annotations

import sys

from vtsms_gui.storage.journal import Journal, default_journal_path


def open_journal() -> Journal:
    """Open the journal and mark any batch left in flight by a dead process as unknown.

    Raises JournalUnavailable (disk full, read-only, locked) with a plain-English message.
    """
    journal = Journal(default_journal_path())
    for interrupted in journal.recover_interrupted():
        print(f"vtsms: {interrupted.describe()}", file=sys.stderr)
    return journal
