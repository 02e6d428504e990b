"""Read a recipient list into a rectangular table of text cells.

Sources: pasted clipboard text, CSV/TSV/TXT files (any encoding Excel writes) and workbooks
(XLSX, XLSM, XLS, ODS through python-calamine). Reading the file the user picked is the only
disk access in the domain layer; everything after the bytes are in memory is pure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

__all__ = [
    "ImportProblem",
    "Table",
    "list_sheets",
    "read_table",
    "sheets_in_bytes",
    "table_from_bytes",
    "table_from_text",
]

CLIPBOARD = "clipboard"
MAX_FILE_BYTES = 100 * 1024 * 1024  # far beyond 100,000 rows; stops a wrong pick eating memory
DELIMITERS = ("\t", ",", ";", "|")  # in order of preference when two fit equally well
_DETECTION_RECORDS = 200
_SAMPLE_CHARS = 64 * 1024

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# Other files people pick by mistake, named so the error can say what the file is.
_FOREIGN_MAGICS = (
    (b"%PDF", "it looks like a PDF"),
    (b"\x89PNG", "it looks like a picture"),
    (b"\xff\xd8\xff", "it looks like a picture"),
    (b"GIF8", "it looks like a picture"),
    (b"{\\rtf", "it looks like a Word (RTF) document"),
)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
_LIST_ITEM_SEPARATOR = re.compile(r"[,;\r\n]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PHONE_CHARS = str.maketrans("", "", " ()-.+\u00a0")


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


# --- public entry points -----------------------------------------------------------------------


def table_from_text(text: str) -> Table:
    """A pasted list: cells copied from Excel (tabs), CSV lines, or numbers one per line or
    separated by commas or semicolons. Pasted text never raises: odd quoting is read literally."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Table((), CLIPBOARD)
    if "\t" in text:
        rows = _parse_leniently(text, "\t")
    else:
        delimiter = _detect_delimiter(text)
        rows = _parse_leniently(text, delimiter) if delimiter else []
        if not rows or _is_a_list(rows):
            rows = [[item.strip()] for item in _LIST_ITEM_SEPARATOR.split(text)]
    return _table(rows, CLIPBOARD)


def read_table(path: str | os.PathLike[str], sheet: str | int | None = None) -> Table:
    """The table in a CSV/TSV/TXT file or one sheet of a workbook (the first when `sheet` is None).

    The kind of file is told by its content, not its name: a CSV renamed .xlsx still reads.
    `sheet` is a name or an index into `list_sheets`; it is ignored for text files.
    """
    return table_from_bytes(_read_file(path), Path(path).name, sheet)


def list_sheets(path: str | os.PathLike[str]) -> list[str]:
    """The visible worksheets of a workbook, in order; [] for a text file."""
    return sheets_in_bytes(_read_file(path))


def table_from_bytes(data: bytes, name: str = "", sheet: str | int | None = None) -> Table:
    """`read_table` for a file already in memory; `name` is shown as the table's source."""
    kind = _sniff(data)
    if kind == "workbook":
        return _workbook_table(data, name, sheet)
    return _table(_parse_strictly(_decode(data)), name or "file")


def sheets_in_bytes(data: bytes) -> list[str]:
    """`list_sheets` for a file already in memory."""
    if _sniff(data) != "workbook":
        return []
    with _open_workbook(data) as book:
        return _visible_sheets(book)


# --- reading the file --------------------------------------------------------------------------


def _read_file(path: str | os.PathLike[str]) -> bytes:
    name = Path(path).name
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise ImportProblem(
                f"'{name}' is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, far too large "
                "for a recipient list. Check that you picked the right file."
            )
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportProblem(f"The file '{name}' was not found.") from None
    except IsADirectoryError:
        raise ImportProblem(f"'{name}' is a folder, not a file.") from None
    except PermissionError:
        raise ImportProblem(
            f"'{name}' could not be opened: you may not have permission to read it, or another "
            "program has it locked. Close it in Excel and try again."
        ) from None
    except OSError as error:
        raise ImportProblem(f"'{name}' could not be read: {error.strerror or error}.") from None


def _sniff(data: bytes) -> str:
    """'workbook' or 'text'; raises for empty files and files that are clearly something else."""
    if not data.strip():
        raise ImportProblem("The file is empty.")
    if data.startswith(_ZIP_MAGICS):
        return _sniff_zip(data)
    if data.startswith(_OLE_MAGIC):
        # Excel saves a password-protected .xlsx as an OLE container holding "EncryptedPackage";
        # the names of the container's streams are stored in UTF-16.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _password_protected()
        if "WordDocument".encode("utf-16-le") in data:
            raise _not_a_spreadsheet("it looks like a Word document")
        return "workbook"  # .xls
    for magic, what in _FOREIGN_MAGICS:
        if data.startswith(magic):
            raise _not_a_spreadsheet(what)
    return "text"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    # zipfile reports damage through all of these (NotImplementedError for a mangled version).
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        raise ImportProblem(
            "This file looks like an Excel workbook but it is damaged (it may not have been "
            "copied or downloaded completely). Open it in Excel to check it, or save it again."
        ) from None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "workbook"
    if b"opendocument.spreadsheet" in mimetype:
        return "workbook"
    if "word/document.xml" in names or b"opendocument.text" in mimetype:
        raise _not_a_spreadsheet("it looks like a Word document")
    if "ppt/presentation.xml" in names:
        raise _not_a_spreadsheet("it looks like a PowerPoint presentation")
    raise _not_a_spreadsheet(
        "it is a zip archive; if the list is inside it, unzip it first and open the file inside"
    )


def _not_a_spreadsheet(what: str) -> ImportProblem:
    return ImportProblem(f"This file is not a spreadsheet Excel can open ({what}).")


def _password_protected() -> ImportProblem:
    return ImportProblem(
        "This workbook is protected with a password, so it cannot be read. Open it in Excel, "
        "remove the password (File > Info > Protect Workbook), save it and try again, or save a "
        "copy as CSV."
    )


# --- text files --------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """Text as Excel writes it: UTF-8 (with or without BOM), UTF-16 with BOM ("Unicode text"),
    else Windows-1252 ("CSV" on an Australian Windows).

    Chosen by rule rather than by a guessing library such as charset-normalizer: these are the
    only encodings Excel writes, and a guesser reads short lists as cp1250 or MacRoman.
    """
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _check_text(_decode_as(data, encoding))
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _check_text(_decode_as(data, utf16))
    if _looks_binary(data[:_SAMPLE_CHARS]):
        raise _not_a_spreadsheet("it looks like binary data, not text or a workbook")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Mostly well-formed UTF-8 with a few bad bytes is a damaged UTF-8 file: say where,
        # rather than reading every accented letter as two wrong Windows-1252 ones.
        replaced = data.decode("utf-8", errors="replace")
        bad = replaced.count("\ufffd")
        non_ascii = len(replaced) - len(replaced.encode("ascii", errors="ignore"))
        if non_ascii - bad > bad:
            raise _undecodable(data, "utf-8", error) from None
        text = _decode_as(data, "cp1252")
    return _check_text(text)


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(data, encoding, error) from None


def _undecodable(data: bytes, encoding: str, error: UnicodeDecodeError) -> ImportProblem:
    """The problem, placed at the row and column where the bad bytes are."""
    row, column = _locate(data[: error.start].decode(encoding, errors="replace"))
    if error.reason == "truncated data":
        return ImportProblem(
            "the file stops part-way through a character: it may not have been saved, "
            "copied or downloaded completely. Save it from Excel again.",
            row,
            column,
        )
    return ImportProblem(
        f"the file has bytes that are not text in the {_ENCODING_NAMES[encoding]} encoding "
        f"(byte 0x{data[error.start]:02X}). Save it from Excel as 'CSV UTF-8' and try again.",
        row,
        column,
    )


_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-32": "UTF-32",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
}


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark shows as a zero byte beside every ASCII one."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros = sample[0 : pairs * 2 : 2].count(0)
    odd_zeros = sample[1 : pairs * 2 : 2].count(0)
    if odd_zeros > pairs * 0.4 and even_zeros < pairs * 0.05:
        return "utf-16-le"
    if even_zeros > pairs * 0.4 and odd_zeros < pairs * 0.05:
        return "utf-16-be"
    return None


def _looks_binary(sample: bytes) -> bool:
    # Text files have no control characters but tab and line breaks; allow a stray few.
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def _check_text(text: str) -> str:
    if _looks_binary(text[:_SAMPLE_CHARS].encode("utf-8", errors="replace")):
        raise _not_a_spreadsheet("it looks like binary data, not text or a workbook")
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<table")):
        raise ImportProblem(
            "This file is a web page (HTML), not a spreadsheet, even if its name ends in .xls. "
            "Open it in Excel and save it as an Excel workbook (.xlsx) or CSV, then try again."
        )
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise ImportProblem(
            "This file is an old 'XML Spreadsheet 2003'. Open it in Excel and save it as an "
            "Excel workbook (.xlsx) or CSV, then try again."
        )
    if not text.strip():
        raise ImportProblem("The file is empty.")
    return text


def _detect_delimiter(text: str) -> str | None:
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


def _parse_strictly(text: str) -> list[list[str]]:
    """Records of a file; a quoting error is reported with its row and column."""
    delimiter = _detect_delimiter(text) or ","
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


def _parse_leniently(text: str, delimiter: str) -> list[list[str]]:
    """Pasted text: quoting as Excel writes it, or cells taken literally if the quotes are odd."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return [line.split(delimiter) for line in _LINE_BREAK.split(text)]


def _is_a_list(rows: Sequence[Sequence[str]]) -> bool:
    """A pasted line of numbers or codes ("0412 345 678, 0413 111 222") rather than a table."""
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    if len(filled) == 1:
        return True
    cells = [cell for row in filled for cell in row if cell.strip()]
    return all(_looks_like_phone(cell) for cell in cells)


def _looks_like_phone(cell: str) -> bool:
    digits = cell.strip().translate(_PHONE_CHARS)
    return digits.isdigit() and 8 <= len(digits) <= 15


def _locate(before: str) -> tuple[int, str | None]:
    """Row and column of the position just after `before` (the text read so far)."""
    lines = _LINE_BREAK.split(before)
    delimiter = _detect_delimiter(before) if len(lines) > 1 else None
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


# --- workbooks ---------------------------------------------------------------------------------


def _open_workbook(data: bytes) -> CalamineWorkbook:
    # Imported here so that `vtsms count` and other text-only paths never load it.
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _password_protected() from None
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise _damaged_workbook(error) from None


def _damaged_workbook(error: Exception) -> ImportProblem:
    return ImportProblem(
        "This workbook cannot be read; it may be damaged or saved by a program Excel does not "
        f"understand. Open it in Excel and save it again. (Details: {error})"
    )


def _visible_sheets(book: CalamineWorkbook) -> list[str]:
    import python_calamine

    return [
        sheet.name
        for sheet in book.sheets_metadata
        if sheet.visible == python_calamine.SheetVisibleEnum.Visible
        and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
    ] or list(book.sheet_names)


def _workbook_table(data: bytes, name: str, sheet: str | int | None) -> Table:
    import python_calamine

    with _open_workbook(data) as book:
        visible = _visible_sheets(book)
        if sheet is None:
            sheet = 0
        if isinstance(sheet, int):
            if not 0 <= sheet < len(visible):
                count = f"{len(visible)} sheet{'' if len(visible) == 1 else 's'}"
                raise ImportProblem(f"This workbook has {count}; there is no sheet {sheet + 1}.")
            sheet = visible[sheet]
        if sheet not in book.sheet_names:
            sheet = next((s for s in book.sheet_names if s.casefold() == sheet.casefold()), sheet)
        if sheet not in book.sheet_names:
            raise ImportProblem(
                f"There is no sheet called '{sheet}' in this workbook. Its sheets are: "
                f"{', '.join(visible)}."
            )
        try:
            values = book.get_sheet_by_name(sheet).to_python()
        except (python_calamine.CalamineError, ValueError, OSError) as error:
            raise _damaged_workbook(error) from None
    rows = [[_cell_text(value) for value in row] for row in values]
    source = f"{name or 'workbook'}, sheet '{sheet}'" if len(visible) > 1 else name or "workbook"
    table = _table(rows, source)
    if not table.rows:
        raise ImportProblem(f"The sheet '{sheet}' is empty.")
    return table


_CellValue = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta


def _cell_text(value: _CellValue) -> str:
    """A workbook cell as the text a person sees, without binary-float artefacts."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 412345678.0 is "412345678", 0.1+0.2 is "0.3".
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    seconds = int(value.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# --- shaping -----------------------------------------------------------------------------------


def _table(rows: Iterable[Sequence[str]], source: str) -> Table:
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
