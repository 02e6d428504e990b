"""Opening the send journal from a command, and telling the user about interrupted sends."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from vtsms_gui.core import sending

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import Journal


def open_journal() -> Journal:
    """Open the journal and mark any batch left in flight by a dead process as unknown.

    Raises JournalUnavailable (disk full, read-only, locked) with a plain-English message.
    """
    journal = sending.open_journal()
    try:
        for interrupted in sending.recover(journal):
            print(f"vtsms: {interrupted.describe()}", file=sys.stderr)
    except BaseException:
        journal.close()
        raise
    return journal
