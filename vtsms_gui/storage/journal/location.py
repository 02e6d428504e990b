"""Where the journal lives: one file in the user's data folder, and the demo's apart from it."""

from __future__ import annotations

from pathlib import Path

from vtsms_gui.storage.paths import data_dir

JOURNAL_FILE_NAME = "journal.sqlite3"
DEMO_JOURNAL_FILE_NAME = "demo-journal.sqlite3"  # the demo's pretend sends, kept apart


def default_journal_path(*, demo: bool = False) -> Path:
    """The journal in the user's data folder (or under $VTSMS_HOME).

    `demo`: the demo's own journal, so practice sends have a history without ever mixing
    with real ones (or being resumed against a real VETtrak).
    """
    return data_dir() / (DEMO_JOURNAL_FILE_NAME if demo else JOURNAL_FILE_NAME)
