"""Checking the recipients grid's rows: a phone parser that remembers, and the worker job that
checks a long list off the GUI thread."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Signal

from vtsms_gui.domain.phone import PhoneParser, PhoneResult
from vtsms_gui.domain.recipients import CheckedRecipient, Recipient, check_recipients

__all__ = ["CachingParser", "CheckJob", "CheckRules", "CheckSignals", "run_checks"]


@dataclass(frozen=True)
class CheckRules:
    """What a row is checked against besides itself."""

    require_client_code: bool = False  # replies accepted: VETtrak needs a code on every row
    known_code_length: int | None = None  # this VETtrak's client codes, from past sends


def run_checks(
    recipients: tuple[Recipient, ...], parser: PhoneParser, rules: CheckRules
) -> list[CheckedRecipient]:
    return check_recipients(
        recipients,
        parser,
        require_client_code=rules.require_client_code,
        known_code_length=rules.known_code_length,
    )


class CachingParser(PhoneParser):
    """`PhoneParser` with a memory of numbers already parsed, shared by successive checks.

    Re-checking 100,000 rows after one edit then costs the duplicate scan, not 100,000 parses.
    Thread-safe: checks of long lists run in a worker.
    """

    def __init__(self, default_region: str = "AU") -> None:
        super().__init__(default_region)
        self._cache: dict[str, PhoneResult] = {}
        self._lock = threading.Lock()

    def parse(self, raw: str) -> PhoneResult:
        with self._lock:
            cached = self._cache.get(raw)
        if cached is None:
            cached = super().parse(raw)
            with self._lock:
                self._cache[raw] = cached
        return cached

    def trim(self, keep: int) -> None:
        """Forget everything once the cache holds far more numbers than the list (after deletes)."""
        with self._lock:
            if len(self._cache) > 2 * keep + 1000:
                self._cache.clear()


class CheckSignals(QObject):
    done = Signal(int, object)  # generation, list[CheckedRecipient]


class CheckJob(QRunnable):
    def __init__(
        self,
        generation: int,
        recipients: tuple[Recipient, ...],
        parser: CachingParser,
        rules: CheckRules,
        signals: CheckSignals,
    ) -> None:
        super().__init__()
        self._args = (recipients, parser, rules)
        self._generation = generation
        self._signals = signals

    def run(self) -> None:
        checked = run_checks(*self._args)
        # RuntimeError: the model went away while this ran, and nobody wants the result.
        with contextlib.suppress(RuntimeError):
            self._signals.done.emit(self._generation, checked)
