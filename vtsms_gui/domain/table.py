"""A table read from a paste or a file, and the problems reading one can have: the types every
reader shares (tables.py, delimited_text.py, workbooks.py), kept apart so they import no reader."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """Text cells, every row equally wide, no blank rows; `source` says where they came from."""

    rows: tuple[tuple[str, ...], ...]
    source: str

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


class ImportProblem(ValueError):
    """A file or paste that cannot be read, said in words a non-engineer can act on."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.message = message
        self.row = row  # 1-based, as a spreadsheet numbers rows
        self.column = column  # the header's name, or a column letter such as "C"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[ImportProblem], tuple[str, int | None, str | None]]:
        return type(self), (self.message, self.row, self.column)  # keeps row and column

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column is not None:
            column = self.column if re.fullmatch(r"[A-Z]{1,3}", self.column) else repr(self.column)
            where.append(f"column {column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


def not_a_spreadsheet(what: str) -> ImportProblem:
    return ImportProblem(f"This file is not a spreadsheet Excel can open ({what}).")


def password_protected() -> ImportProblem:
    return ImportProblem(
        "This workbook is protected with a password, so it cannot be read. Open it in Excel, "
        "remove the password (File > Info > Protect Workbook), save it and try again, or save a "
        "copy as CSV."
    )


def shaped_table(rows: Iterable[Sequence[str]], source: str) -> Table:
    """Drop blank rows and trailing blank columns; pad every row to the same width."""
    kept = [tuple(row) for row in rows if any(cell.strip() for cell in row)]
    width = 0
    for row in kept:
        for index in range(len(row) - 1, width - 1, -1):
            if row[index].strip():
                width = index + 1
                break
    shaped = tuple(
        row[:width] if len(row) >= width else row + ("",) * (width - len(row)) for row in kept
    )
    return Table(shaped, source)
