"""Reading a message from a file for `count --file` and `send --message-file`."""

from __future__ import annotations

from pathlib import Path


class MessageFileError(ValueError):
    """The file cannot be read as UTF-8 text; the message says why in plain English."""


def read_message_file(path: str) -> str:
    try:
        # newline="" keeps CR LF as two characters, as the gateway will count them;
        # utf-8-sig drops the byte-order mark Notepad writes.
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except OSError as exc:
        raise MessageFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise MessageFileError(f"{path} is not a UTF-8 text file.") from None
