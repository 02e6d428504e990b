"""Pasted text and CSV/TSV/TXT files as rows of cells: which separator, strict parsing with the
place of a bad quote, lenient parsing of a paste, and naming a cell's row and column."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence

from vtsms_gui.domain.table import ImportProblem

DELIMITERS = ("\t", ",", ";", "|")  # in order of preference when two fit equally well
_DETECTION_RECORDS = 200
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PHONE_CHARS = str.maketrans("", "", " ()-.+\u00a0")


def detect_delimiter(text: str) -> str | None:
    """The separator among tab , ; | that splits the first records most consistently.

    Hand-written because csv.Sniffer is unreliable for this: it picks letters or spaces as the
    delimiter, raises on one-column lists, and counts separators inside quoted cells. Here each
    candidate must parse the quoting cleanly (strict mode), and the winner is the one whose
    records most often have the same number (2 or more) of cells; ties go by DELIMITERS order.
    """
    best: tuple[float, int] | None = None
    chosen = None
    for rank, delimiter in enumerate(DELIMITERS):
        counts: list[int] = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            for record in reader:
                if any(cell.strip() for cell in record):
                    counts.append(len(record))
                if len(counts) >= _DETECTION_RECORDS:
                    break
        except csv.Error as error:
            # A quote left open at the end of the file says nothing about the separator (the
            # records before it still count); any other quoting error rules this one out.
            if "unexpected end of data" not in str(error):
                continue
        if not counts:
            continue
        width, hits = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (round(hits / len(counts), 2), -rank)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def parse_strictly(text: str) -> list[list[str]]:
    """Records of a file; a quoting error is reported with its row and column."""
    delimiter = detect_delimiter(text) or ","
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    next_line = 0  # where the record being read starts
    try:
        for record in reader:
            rows.append(record)
            next_line = reader.line_num
    except csv.Error as error:
        index = _bad_cell_index("".join(lines[next_line:]), delimiter)
        column = _column_label(rows[0] if rows else [], index, len(rows) + 1)
        raise ImportProblem(_quoting_message(str(error)), len(rows) + 1, column) from None
    return rows


def _bad_cell_index(record: str, delimiter: str) -> int:
    """Which cell of `record` (the text from a record's start) breaks the CSV quoting rules:
    the csv module says what went wrong but not where."""
    cell, position, end = 0, 0, len(record)
    at_cell_start, quoted, opened = True, False, 0
    while position < end:
        char = record[position]
        position += 1
        if quoted:
            if char != '"':
                continue
            if record.startswith('"', position):  # "" is a quote inside a quoted cell
                position += 1
                continue
            quoted = False
            if position < end and record[position] not in (delimiter, "\r", "\n"):
                return cell
        elif char == delimiter:
            cell, at_cell_start = cell + 1, True
        elif char == '"' and at_cell_start:
            quoted, opened, at_cell_start = True, cell, False
        elif char in "\r\n":
            return cell
        else:
            at_cell_start = False
    return opened if quoted else cell


def _quoting_message(error: str) -> str:
    if "unexpected end of data" in error:
        return (
            'a quote (") opens a cell here but is never closed, so the rest of the file would '
            "be read as one cell. Fix the quote or save the file from Excel again."
        )
    if "expected after" in error:
        return (
            'a quoted cell has more text after its closing quote ("). Fix the quotes or save the '
            "file from Excel again."
        )
    if "field larger" in error:
        return "a cell is far too long for a spreadsheet (a quote may be missing)."
    return f"this line cannot be read ({error})."


def parse_leniently(text: str, delimiter: str) -> list[list[str]]:
    """Pasted text: quoting as Excel writes it, or cells taken literally if the quotes are odd."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return [line.split(delimiter) for line in _LINE_BREAK.split(text)]


def is_a_list(rows: Sequence[Sequence[str]]) -> bool:
    """A pasted line of numbers or codes ("0412 345 678, 0413 111 222") rather than a table."""
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    if len(filled) == 1:
        return True
    cells = [cell for row in filled for cell in row if cell.strip()]
    return all(_looks_like_phone(cell) for cell in cells)


def _looks_like_phone(cell: str) -> bool:
    digits = cell.strip().translate(_PHONE_CHARS)
    return digits.isdigit() and 8 <= len(digits) <= 15


def locate(before: str) -> tuple[int, str | None]:
    """Row and column of the position just after `before` (the text read so far)."""
    lines = _LINE_BREAK.split(before)
    delimiter = detect_delimiter(before) if len(lines) > 1 else None
    if delimiter is None:
        delimiter = max(DELIMITERS, key=lines[-1].count) if lines[-1] else ","
    current = _cells_of_line(lines[-1], delimiter)
    return len(lines), _column_label(
        _cells_of_line(lines[0], delimiter), len(current) - 1, len(lines)
    )


def _cells_of_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [""])
    except csv.Error:  # Python 3.10 refuses NUL characters
        return line.split(delimiter)


def _column_label(header: Sequence[str], index: int, row: int) -> str:
    """The header's name for a column when the first row is a header, else its letter."""
    if row > 1 and _looks_like_header(header) and index < len(header) and header[index].strip():
        return header[index].strip()
    return _column_letter(index)


def _looks_like_header(row: Sequence[str]) -> bool:
    filled = [cell for cell in row if cell.strip()]
    return bool(filled) and all(_LETTER.search(c) and not _DIGIT.search(c) for c in filled)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
