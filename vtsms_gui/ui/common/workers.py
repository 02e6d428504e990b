"""Running blocking work (network, keyring, files) off the GUI thread.

A `Task` runs one function in a QThreadPool and answers only through its signals, which Qt
delivers on the GUI thread: widgets are never touched from a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot


class TaskSignals(QObject):
    result = Signal(object)
    error = Signal(object)  # the exception
    finished = Signal()


class Task(QRunnable):
    """`fn()` in a worker; its return value arrives as `signals.result`, an exception as
    `signals.error`, and `signals.finished` comes last either way."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._fn = fn
        # Created here, on the GUI thread, so its signals are delivered there.
        self.signals = TaskSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        signals = self.signals  # keeps the Python object alive until the last emit
        try:
            value = self._fn()
        except Exception as error:  # noqa: BLE001 - every failure must reach the GUI thread
            signals.error.emit(error)
        else:
            signals.result.emit(value)
        finally:
            signals.finished.emit()


# Tasks in flight: without a Python reference a task (and its signals object) can be collected
# while the pool still runs it, and its answer is lost.
_IN_FLIGHT: set[Task] = set()


def run_task(
    pool: QThreadPool,
    fn: Callable[[], Any],
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_finished: Callable[[], None] | None = None,
) -> Task:
    task = Task(fn)
    if on_result is not None:
        task.signals.result.connect(on_result)
    if on_error is not None:
        task.signals.error.connect(on_error)
    if on_finished is not None:
        task.signals.finished.connect(on_finished)
    _IN_FLIGHT.add(task)
    task.signals.finished.connect(lambda: _IN_FLIGHT.discard(task))
    pool.start(task)
    return task


class GuiCall(QObject):
    """Lets a worker ask the GUI thread a question (e.g. a password) and wait for the answer."""

    _asked = Signal()

    def __init__(self, ask: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ask = ask
        self._answer: Any = None
        self._answered = threading.Event()
        self._lock = threading.Lock()  # one question at a time
        self._asked.connect(self._answer_on_gui_thread)

    def __call__(self) -> Any:
        """Blocks the calling worker until the GUI thread has answered."""
        if QThread.currentThread() == self.thread():
            return self._ask()  # already on the GUI thread: waiting would dead-lock
        with self._lock:
            self._answered.clear()
            self._asked.emit()  # queued: this object lives on the GUI thread
            self._answered.wait()
            return self._answer

    @Slot()
    def _answer_on_gui_thread(self) -> None:
        try:
            self._answer = self._ask()
        finally:
            self._answered.set()
