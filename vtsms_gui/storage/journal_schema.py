"""Where the journal's schema used to live: it is now `vtsms_gui.storage.journal.schema`.

Kept so that `from vtsms_gui.storage.journal_schema import ...` goes on working.
"""

from vtsms_gui.storage.journal.schema import (
    LATEST_VERSION,
    MIGRATIONS,
    migrate,
    schema_version,
)

__all__ = ["LATEST_VERSION", "MIGRATIONS", "migrate", "schema_version"]
