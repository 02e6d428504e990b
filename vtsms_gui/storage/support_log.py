"""The support log: a rotating file of what the app did (each request's operation, server,
status and time; errors), for a support person to read. Secrets never reach it.

The file is `vtsms.log` in the app's log folder (`storage.paths.log_dir()`: the platform's user
log folder, or $VTSMS_HOME/log), rotated at 1 MB with 5 old files kept. Every record passes a
`RedactingFilter` that masks the password, tokens and proxy passwords this session has seen
(`vtsms_gui.api.soap_log.SESSION_SECRETS`) in every spelling (raw, XML-escaped, URL-encoded,
JSON- or repr-escaped) and the content of any token/password element, in the message, its
arguments, tracebacks and stack traces. Message bodies (students' numbers, SMS text) are not
logged: zeep's logger, which would print whole envelopes, stays at WARNING even with --debug.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from vtsms_gui.storage.paths import log_dir

# vtsms_gui.api.soap_log (lxml) loads when a log is set up, not when `vtsms count` imports this.

LOG_FILE = "vtsms.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
APP_LOGGER = "vtsms_gui"
# Loggers whose DEBUG records help with networks (connections, proxies) and hold no bodies.
_DEBUG_LOGGERS = ("urllib3",)
# zeep logs whole SOAP envelopes at DEBUG: personal data, never wanted in the file.
_QUIET_LOGGERS = ("zeep",)

_lock = threading.Lock()
_installed: list[SupportLog] = []  # the one installed log, if any


class RedactingFilter(logging.Filter):
    """Rewrites each record with every known secret masked. Never drops a record."""

    def __init__(self, secrets: Callable[[], Iterable[str | None]] | None = None) -> None:
        """`secrets`: what to mask, asked for each record (default: the session's registry)."""
        super().__init__()
        if secrets is None:
            from vtsms_gui.api.soap_log import SESSION_SECRETS

            secrets = SESSION_SECRETS.snapshot
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = tuple(self._secrets())
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = self.scrub(message, secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info, secrets)
        return True

    @staticmethod
    def scrub(text: str, secrets: Iterable[str | None]) -> str:
        from vtsms_gui.api.soap_log import mask_secret_elements, redact

        return redact(mask_secret_elements(text), secrets)


@dataclass
class SupportLog:
    """The installed log: where it writes, and the handlers to remove on `close()`."""

    path: Path
    handlers: tuple[logging.Handler, ...]
    debug: bool

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        with _lock:
            if self in _installed:
                _installed.remove(self)


def setup_support_log(
    *, debug: bool = False, stderr: bool = False, folder: Path | None = None
) -> SupportLog:
    """Start writing the support log (once per process; a second call replaces the first).

    `debug` logs the app's DEBUG records and urllib3's connection records too; `stderr` also
    prints every record on stderr (the `--debug` switch sets both). `folder` defaults to the
    app's log folder. Returns the log, whose `path` the diagnostics and the window can show.
    """
    with _lock:
        previous = list(_installed)
    for old in previous:
        old.close()
    target = (folder or log_dir()) / LOG_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    redacting = RedactingFilter()
    formatter = logging.Formatter(FORMAT)
    file_handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handlers: list[logging.Handler] = [file_handler]
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(redacting)
        handler.setLevel(logging.DEBUG if debug else logging.INFO)
        root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    logging.getLogger(APP_LOGGER).setLevel(logging.DEBUG if debug else logging.INFO)
    for name in _DEBUG_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.WARNING)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    log = SupportLog(target, tuple(handlers), debug)
    with _lock:
        _installed.append(log)
    return log


def installed_log() -> SupportLog | None:
    """The log `setup_support_log` started, if any."""
    with _lock:
        return _installed[-1] if _installed else None


def support_log_path() -> Path:
    """Where the support log is (or would be) written."""
    log = installed_log()
    return log.path if log is not None else log_dir() / LOG_FILE


def last_errors(limit: int = 10, path: Path | None = None) -> list[str]:
    """The last `limit` WARNING/ERROR/CRITICAL records of the log (first line of each), oldest
    first, read from the current file and the rotated ones as needed."""
    base = path or support_log_path()
    found: deque[str] = deque(maxlen=limit)
    files = [base.with_name(f"{base.name}.{n}") for n in range(BACKUP_COUNT, 0, -1)] + [base]
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            level = line[24:].split(" ", 1)[0] if len(line) > 24 else ""
            if level in ("WARNING", "ERROR", "CRITICAL"):
                found.append(line)
    return list(found)


def setup_for_command(command: str, *, debug: bool) -> SupportLog | None:
    """What `vtsms` does before a subcommand: log it, unless it is `count` (run by scripts on
    every keystroke) or the simulator (not the app talking to VETtrak)."""
    if command in ("count", "simulator") and not debug:
        return None
    try:
        return setup_support_log(debug=debug, stderr=debug)
    except OSError as exc:  # an unwritable log folder must not stop a send
        print(f"vtsms: note: the support log cannot be written ({exc}).", file=sys.stderr)
        return None


__all__ = [
    "BACKUP_COUNT",
    "LOG_FILE",
    "MAX_BYTES",
    "RedactingFilter",
    "SupportLog",
    "installed_log",
    "last_errors",
    "setup_for_command",
    "setup_support_log",
    "support_log_path",
]
