"""Every failure of a command becomes one plain-English line on stderr and an exit code."""

from __future__ import annotations

import sys

from vtsms_gui.api import errors as api
from vtsms_gui.cli.exit_codes import ExitCode


class NoPassword(Exception):
    """No password in the keyring or the environment, and no terminal to ask on."""


def exit_code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, api.VettrakError) and exc.may_have_sent:
        return ExitCode.SOME_UNKNOWN
    if isinstance(exc, api.LoginRefused | api.TokenExpired | NoPassword):
        return ExitCode.LOGIN_FAILED
    if isinstance(exc, api.CannotConnect | api.TlsProblem | api.ServerErrorPage):
        return ExitCode.UNREACHABLE
    if isinstance(exc, api.ServerRefused):
        return ExitCode.SOME_FAILED  # VETtrak answered and refused: nothing went out
    if isinstance(exc, api.VettrakError):
        return ExitCode.UNREACHABLE  # a fault or an unreadable reply: the service is not usable
    return ExitCode.BAD_INPUT


def report_error(exc: BaseException) -> int:
    """Print one line (never a traceback, never a secret) and return the exit code."""
    from vtsms_gui.storage.journal import JournalError

    if isinstance(exc, api.VettrakError | ValueError | NoPassword | JournalError):
        text = str(exc)
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        text = f"{where}{exc.strerror or exc}"
    else:
        # A bug, not the user's doing: still one line, and no detail that could hold a secret.
        text = f"unexpected {type(exc).__name__}; this is a bug in vtsms, please report it"
    print(f"vtsms: {text}", file=sys.stderr)
    return exit_code_for(exc)
