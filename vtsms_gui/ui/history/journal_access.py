"""The window's way to the send journal: opening it, recovering interrupted batches, listing and
loading sends, each on a worker thread of its own that answers through signals.

SQLite may wait seconds on a file another window is writing, and a disk may be slow: the GUI
thread never waits on it. A thread apart from the network's, so the history opens at once even
while a send is waiting on VETtrak.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool

from vtsms_gui.ui.common.workers import Task, run_task

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import Journal

T = TypeVar("T")
JournalLocator = Callable[[bool], Path]
"""Where the journal is, for a demo session (True) or a real one; runs on the worker."""


def default_locator(demo: bool) -> Path:
    # Imported on the worker: sqlite3 and the data folder are not needed for the first paint.
    from vtsms_gui.storage.journal import default_journal_path

    return default_journal_path(demo=demo)


class JournalAccess(QObject):
    """Runs journal work (and the history's file exports) one at a time on its own thread."""

    def __init__(
        self, *, locate: JournalLocator = default_locator, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._locate = locate
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer at a time; recovery before listing

    @property
    def pool(self) -> QThreadPool:
        return self._pool

    def run(
        self,
        demo: bool,
        work: Callable[[Journal], T],
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> Task:
        """Open the (demo or real) journal on the worker, call `work(journal)`, close it.

        Opened for each call, not kept: another window or `vtsms` may use the same file, and a
        closed file is never left locked by a window that sits open all day.
        """
        locate = self._locate

        def job() -> Any:
            from vtsms_gui.storage.journal import Journal

            with Journal(locate(demo)) as journal:
                return work(journal)

        return run_task(self._pool, job, on_result, on_error, on_finished)

    def wait(self, msecs: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(msecs))


def journal_problem(error: BaseException) -> str | None:
    """The plain-English text of a journal problem (disk full, locked, read-only, damaged, a
    send already resent...); None for anything else, which is a bug."""
    from vtsms_gui.storage.journal import JournalError

    return str(error) if isinstance(error, JournalError) else None
