"""Exit codes of `vtsms`, documented in `vtsms --help` and README.md."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0  # all sent
    SOME_FAILED = 1  # some recipients failed
    BAD_INPUT = 2  # nothing sent
    LOGIN_FAILED = 3  # nothing sent
    SOME_UNKNOWN = 4  # check VETtrak before resending; wins over SOME_FAILED
    UNREACHABLE = 5  # nothing sent
