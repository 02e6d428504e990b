"""Read a recipient list into a rectangular table of text cells.

Sources: pasted clipboard text, CSV/TSV/TXT files (any encoding Excel writes) and workbooks
(XLSX, XLSM, XLS, ODS through python-calamine). Reading the file the user picked is the only
disk access in the domain layer; everything after the bytes are in memory is pure.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from vtsms_gui.domain.delimited_text import (
    detect_delimiter,
    is_a_list,
    locate,
    parse_leniently,
    parse_strictly,
)
from vtsms_gui.domain.table import (
    ImportProblem,
    Table,
    not_a_spreadsheet,
    password_protected,
    shaped_table,
)
from vtsms_gui.domain.workbooks import open_workbook, visible_sheets, workbook_table

if TYPE_CHECKING:
    pass

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
_LIST_ITEM_SEPARATOR = re.compile(r"[,;\r\n]+")


# --- public entry points -----------------------------------------------------------------------


def table_from_text(text: str) -> Table:
    """A pasted list: cells copied from Excel (tabs), CSV lines, or numbers one per line or
    separated by commas or semicolons. Pasted text never raises: odd quoting is read literally."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Table((), CLIPBOARD)
    if "\t" in text:
        rows = parse_leniently(text, "\t")
    else:
        delimiter = detect_delimiter(text)
        rows = parse_leniently(text, delimiter) if delimiter else []
        if not rows or is_a_list(rows):
            rows = [[item.strip()] for item in _LIST_ITEM_SEPARATOR.split(text)]
    return shaped_table(rows, CLIPBOARD)


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
        return workbook_table(data, name, sheet)
    return shaped_table(parse_strictly(_decode(data)), name or "file")


def sheets_in_bytes(data: bytes) -> list[str]:
    """`list_sheets` for a file already in memory."""
    if _sniff(data) != "workbook":
        return []
    with open_workbook(data) as book:
        return visible_sheets(book)


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
            raise password_protected()
        if "WordDocument".encode("utf-16-le") in data:
            raise not_a_spreadsheet("it looks like a Word document")
        return "workbook"  # .xls
    for magic, what in _FOREIGN_MAGICS:
        if data.startswith(magic):
            raise not_a_spreadsheet(what)
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
        raise not_a_spreadsheet("it looks like a Word document")
    if "ppt/presentation.xml" in names:
        raise not_a_spreadsheet("it looks like a PowerPoint presentation")
    raise not_a_spreadsheet(
        "it is a zip archive; if the list is inside it, unzip it first and open the file inside"
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
        raise not_a_spreadsheet("it looks like binary data, not text or a workbook")
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
    row, column = locate(data[: error.start].decode(encoding, errors="replace"))
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
        raise not_a_spreadsheet("it looks like binary data, not text or a workbook")
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
