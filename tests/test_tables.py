"""Reading recipient lists into tables: clipboard text, CSV in every encoding Excel writes,
workbooks through calamine, and a clear ImportProblem for every kind of broken file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import subprocess
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import openpyxl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from vtsms_gui.domain.tables import (
    ImportProblem,
    Table,
    list_sheets,
    read_table,
    sheets_in_bytes,
    table_from_bytes,
    table_from_text,
)

HEADER = ("Client Code", "Mobile", "Name")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def write_xlsx(
    path: Path, sheets: dict[str, Sequence[Sequence[object]]], hidden: Sequence[str] = ()
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def problem(path_or_data: Path | bytes, name: str = "list.csv") -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        if isinstance(path_or_data, Path):
            read_table(path_or_data)
        else:
            table_from_bytes(path_or_data, name)
    return caught.value


def problem_with(action: Callable[[], object]) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        action()
    return caught.value


# --- text files in the encodings Excel writes --------------------------------------------------


def test_unicode_text_from_excel_is_utf16le_with_bom_tabs_and_crlf(tmp_path: Path) -> None:
    text = (
        "Client Code\tMobile\tName\r\n"
        "03037\t0412 345 678\tRenée O’Brien\r\n"
        "00125\t0413111222\t王芳\r\n"
    )
    path = write(tmp_path, "students.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    table = read_table(path)
    assert table.rows == (
        HEADER,
        ("03037", "0412 345 678", "Renée O’Brien"),
        ("00125", "0413111222", "王芳"),
    )
    assert table.source == "students.txt"


def test_utf16be_with_bom(tmp_path: Path) -> None:
    text = "Mobile\tName\r\n0412345678\tZoë\r\n"
    table = read_table(write(tmp_path, "be.txt", b"\xfe\xff" + text.encode("utf-16-be")))
    assert table.rows == (("Mobile", "Name"), ("0412345678", "Zoë"))


def test_utf16_without_bom_is_recognised_by_its_zero_bytes(tmp_path: Path) -> None:
    text = "Mobile\tName\r\n0412345678\tZoë\r\n"
    table = read_table(write(tmp_path, "le.txt", text.encode("utf-16-le")))
    assert table.rows == (("Mobile", "Name"), ("0412345678", "Zoë"))


def test_windows_1252_csv_with_accent_and_curly_apostrophe(tmp_path: Path) -> None:
    data = b"Client Code,Mobile,Name\r\n03037,0412 345 678,Ren\xe9e O\x92Brien\r\n"
    assert read_table(write(tmp_path, "cp.csv", data)).rows == (
        HEADER,
        ("03037", "0412 345 678", "Renée O’Brien"),
    )


def test_utf8_with_bom_does_not_leak_the_bom_into_the_first_header(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + "Client Code,Mobile,Name\r\n03037,0412345678,Renée\r\n".encode()
    table = read_table(write(tmp_path, "bom.csv", data))
    assert table.rows[0] == HEADER
    assert table.rows[1] == ("03037", "0412345678", "Renée")


def test_utf8_without_bom(tmp_path: Path) -> None:
    data = "Mobile,Name\n0412345678,Łukasz 🎓\n".encode()
    assert read_table(write(tmp_path, "u.csv", data)).rows[1] == ("0412345678", "Łukasz 🎓")


# --- delimiters and quoting ----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    lines = [delimiter.join(HEADER), delimiter.join(("03037", "0412 345 678", "Ann Lee"))]
    table = read_table(write(tmp_path, "d.csv", "\r\n".join(lines).encode()))
    assert table.rows == (HEADER, ("03037", "0412 345 678", "Ann Lee"))


def test_semicolon_file_whose_names_contain_commas(tmp_path: Path) -> None:
    data = b"Name;Mobile\r\nLee, Ann;0412345678\r\nKing, Bob;0413111222\r\n"
    assert read_table(write(tmp_path, "s.csv", data)).rows == (
        ("Name", "Mobile"),
        ("Lee, Ann", "0412345678"),
        ("King, Bob", "0413111222"),
    )


def test_comma_file_whose_notes_contain_semicolons_and_tabs(tmp_path: Path) -> None:
    data = b"Mobile,Note\r\n0412345678,a;b\tc\r\n0413111222,d;e\tf\r\n"
    assert read_table(write(tmp_path, "c.csv", data)).rows[1] == ("0412345678", "a;b\tc")


def test_tab_file_with_commas_in_every_row_stays_tab_separated(tmp_path: Path) -> None:
    data = b"Name\tMobile\r\nLee, Ann\t0412345678\r\n"
    assert read_table(write(tmp_path, "t.txt", data)).rows[1] == ("Lee, Ann", "0412345678")


def test_quoted_cells_with_embedded_newlines_delimiters_and_quotes(tmp_path: Path) -> None:
    data = (
        b'Client Code,Mobile,Address\r\n03037,0412345678,"1 Main St\r\nSydney, NSW"\r\n'
        b'03038,0413111222,"She said ""hi"""\r\n'
    )
    assert read_table(write(tmp_path, "q.csv", data)).rows[1:] == (
        ("03037", "0412345678", "1 Main St\r\nSydney, NSW"),
        ("03038", "0413111222", 'She said "hi"'),
    )


def test_one_column_file(tmp_path: Path) -> None:
    data = b"Mobile\n0412 345 678\n0413111222\n"
    assert read_table(write(tmp_path, "one.csv", data)).rows == (
        ("Mobile",),
        ("0412 345 678",),
        ("0413111222",),
    )


def test_blank_rows_and_excel_trailing_empty_columns_go_and_ragged_rows_are_padded(
    tmp_path: Path,
) -> None:
    data = b"Mobile,Name,,\r\n,,,\r\n0412345678,Ann,,\r\n0413111222\r\n\r\n"
    table = read_table(write(tmp_path, "r.csv", data))
    assert table.rows == (("Mobile", "Name"), ("0412345678", "Ann"), ("0413111222", ""))
    assert table.width == 2


def test_old_mac_line_endings(tmp_path: Path) -> None:
    data = b"Mobile,Name\r0412345678,Ann\r"
    assert read_table(write(tmp_path, "mac.csv", data)).rows == (
        ("Mobile", "Name"),
        ("0412345678", "Ann"),
    )


def test_content_decides_the_kind_not_the_file_name(tmp_path: Path) -> None:
    csv_named_xlsx = read_table(
        write(tmp_path, "really-csv.xlsx", b"Mobile,Name\n0412345678,Ann\n")
    )
    assert csv_named_xlsx.rows[1] == ("0412345678", "Ann")
    xlsx_named_csv = write_xlsx(tmp_path / "really-xlsx.csv", {"S": [["Mobile"], ["0412345678"]]})
    assert read_table(xlsx_named_csv).rows == (("Mobile",), ("0412345678",))


# --- clipboard -----------------------------------------------------------------------------------


def test_cells_copied_from_excel() -> None:
    text = 'Client Code\tMobile\tNote\r\n03037\t0412 345 678\t"two\nlines"\r\n00125\t\tx\r\n'
    table = table_from_text(text)
    assert table.rows == (
        ("Client Code", "Mobile", "Note"),
        ("03037", "0412 345 678", "two\nlines"),
        ("00125", "", "x"),
    )
    assert table.source == "clipboard"


@pytest.mark.parametrize(
    "text",
    [
        "0412 345 678\n0413 111 222\n0414000111",
        "0412 345 678, 0413 111 222, 0414000111",
        "0412 345 678;0413 111 222; 0414000111\n",
        "0412 345 678, 0413 111 222\r\n0414000111",
        "\ufeff0412 345 678\r\n\r\n0413 111 222;0414000111",
    ],
)
def test_pasted_numbers_one_per_line_or_separated(text: str) -> None:
    assert table_from_text(text).rows == (("0412 345 678",), ("0413 111 222",), ("0414000111",))


def test_a_pasted_line_of_client_codes_is_a_list() -> None:
    assert table_from_text("03037, 00125,AB12").rows == (("03037",), ("00125",), ("AB12",))


def test_pasted_csv_lines_are_a_table() -> None:
    text = "Client Code,Mobile,Name\n03037,0412345678,Ann\n00125,0413111222,Bob\n"
    assert table_from_text(text).rows[2] == ("00125", "0413111222", "Bob")


def test_pasted_text_with_odd_quotes_is_taken_literally() -> None:
    assert table_from_text('5" ruler\tx\n"open\ty\n').rows == (('5" ruler', "x"), ('"open', "y"))


@pytest.mark.parametrize("text", ["", "   ", "\r\n\t\r\n", "\ufeff"])
def test_empty_paste_is_an_empty_table(text: str) -> None:
    assert table_from_text(text) == Table((), "clipboard")


# --- workbooks -----------------------------------------------------------------------------------


def test_xlsx_cells_are_text_without_float_artefacts(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        {
            "Students": [
                ["Client Code", "Mobile", "Name", "Start", "Active", "Fee"],
                ["03037", 412345678.0, "Ann", dt.date(2026, 2, 3), True, 0.1 + 0.2],
                [3037.0, 4.12345678e08, "Bob", dt.datetime(2026, 2, 3, 9, 30), False, 1250],
                ["00125", "0412 345 678", None, dt.datetime(2026, 2, 4), None, 12.5],
            ]
        },
    )
    assert read_table(path).rows == (
        ("Client Code", "Mobile", "Name", "Start", "Active", "Fee"),
        ("03037", "412345678", "Ann", "2026-02-03", "TRUE", "0.3"),
        ("3037", "412345678", "Bob", "2026-02-03 09:30:00", "FALSE", "1250"),
        ("00125", "0412 345 678", "", "2026-02-04", "", "12.5"),
    )


def test_sheets_are_listed_and_selectable_first_visible_by_default(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Lookups": [["hidden"]],
            "Term 1": [["Mobile"], ["0412345678"]],
            "Term 2": [["Mobile"], ["0413111222"]],
        },
        hidden=["Lookups"],
    )
    assert list_sheets(path) == ["Term 1", "Term 2"]
    assert read_table(path).rows[1] == ("0412345678",)
    assert read_table(path, 1).rows[1] == ("0413111222",)
    assert read_table(path, "Term 2").rows[1] == ("0413111222",)
    assert read_table(path, "term 2").rows[1] == ("0413111222",)
    assert read_table(path, "Lookups").rows == (("hidden",),)  # by name, hidden sheets still read
    assert read_table(path, "Term 2").source == "book.xlsx, sheet 'Term 2'"


def test_unknown_sheet_names_the_sheets_there_are(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"A": [["x"]], "B": [["y"]]})
    error = problem_with(lambda: read_table(path, "Term 3"))
    assert "Term 3" in str(error) and "A, B" in str(error)
    assert "no sheet 5" in str(problem_with(lambda: read_table(path, 4)))


def test_an_empty_sheet_is_a_problem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"Blank": [], "Full": [["x"]]})
    assert "'Blank' is empty" in str(problem(path))
    assert read_table(path, "Full").rows == (("x",),)


def test_text_files_have_no_sheets(tmp_path: Path) -> None:
    assert list_sheets(write(tmp_path, "a.csv", b"Mobile\n0412345678\n")) == []


def test_ods_reads_through_calamine() -> None:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Kids">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Mobile</text:p>'
        "</table:table-cell></table:table-row><table:table-row>"
        '<table:table-cell office:value-type="float" office:value="412345678"><text:p>412345678'
        "</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # As LibreOffice writes it: the media type first and uncompressed, then a manifest.
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    assert sheets_in_bytes(buffer.getvalue()) == ["Kids"]
    assert table_from_bytes(buffer.getvalue(), "k.ods").rows == (("Mobile",), ("412345678",))


def test_100k_row_workbook_reads_quickly(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Big")
    sheet.append(["Client Code", "Mobile", "Name"])
    for i in range(100_000):
        sheet.append([f"{i:06d}", 412_000_000 + i, "Ann Lee"])
    book.save(tmp_path / "big.xlsx")
    table = read_table(tmp_path / "big.xlsx")
    assert len(table.rows) == 100_001
    assert table.rows[-1] == ("099999", "412099999", "Ann Lee")


def test_spreadsheet_libraries_load_only_when_a_workbook_is_read() -> None:
    script = (
        "import sys\n"
        "from vtsms_gui.domain import recipients, column_mapping, tables\n"
        "tables.table_from_text('0412345678')\n"
        "tables.table_from_bytes(b'Mobile\\n0412345678\\n', 'a.csv')\n"
        "assert 'python_calamine' not in sys.modules, 'calamine was imported'\n"
        "assert 'openpyxl' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


# --- broken files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    assert str(problem(write(tmp_path, name, b""))) == "The file is empty."
    assert "empty" in str(problem(write(tmp_path, "blank-" + name, b"\r\n  \r\n")))


def test_utf16_file_holding_only_a_bom_and_line_breaks_is_empty(tmp_path: Path) -> None:
    assert "empty" in str(
        problem(write(tmp_path, "e.txt", b"\xff\xfe" + "\r\n".encode("utf-16-le")))
    )


def test_binary_garbage(tmp_path: Path) -> None:
    garbage = random.Random(7).randbytes(4000)
    error = problem(write(tmp_path, "list.csv", garbage))
    assert "not a spreadsheet" in str(error) and "binary" in str(error)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it looks like a PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "picture"),
        (b"{\\rtf1\\ansi Mobile 0412345678}", "RTF"),
    ],
)
def test_other_kinds_of_file_are_named(data: bytes, words: str) -> None:
    message = str(problem(data))
    assert message.startswith("This file is not a spreadsheet Excel can open")
    assert words in message


def zipped(names: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_that_is_not_a_workbook() -> None:
    assert "zip archive" in str(problem(zipped({"students.csv": "Mobile\n"}), "list.xlsx"))
    assert "Word document" in str(problem(zipped({"word/document.xml": "<w/>"}), "list.xlsx"))


def test_a_truncated_xlsx(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", {"S": [["Mobile"], ["0412345678"]]}).read_bytes()
    for cut in (30, len(whole) // 2, len(whole) - 10):
        assert "damaged" in str(problem(whole[:cut], "cut.xlsx"))


def test_an_xlsx_whose_parts_are_broken(tmp_path: Path) -> None:
    data = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<not really"})
    message = str(problem(data, "broken.xlsx"))
    assert "cannot be read" in message and "save it again" in message


def test_password_protected_xlsx_by_its_container() -> None:
    # The OLE container Excel writes for an encrypted workbook: magic number, UTF-16 stream names.
    fake = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(500) + "EncryptedPackage".encode("utf-16-le")
    assert "protected with a password" in str(problem(fake, "secret.xlsx"))


def test_real_password_protected_xlsx(tmp_path: Path) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = write_xlsx(tmp_path / "plain.xlsx", {"S": [["Mobile"], ["0412345678"]]})
    encrypted = io.BytesIO()
    with plain.open("rb") as source:
        msoffcrypto.OOXMLFile(source).encrypt("s3cret", encrypted)
    path = write(tmp_path, "secret.xlsx", encrypted.getvalue())
    message = str(problem(path))
    assert "protected with a password" in message and "s3cret" not in message
    assert "protected with a password" in str(problem_with(lambda: list_sheets(path)))


def test_unclosed_quote_names_row_and_column(tmp_path: Path) -> None:
    data = (
        b"Client Code,Mobile,Name\r\n03037,0412345678,Ann\r\n"
        b'00125,"0413 111 222,Bob\r\n03039,0414000111,Cy\r\n'
    )
    error = problem(write(tmp_path, "q.csv", data))
    assert (error.row, error.column) == (3, "Mobile")
    assert str(error).startswith(
        "Row 3, column 'Mobile': a quote (\") opens a cell here but is never closed"
    )


def test_unclosed_quote_after_a_cell_with_an_embedded_newline(tmp_path: Path) -> None:
    data = b'Mobile;Note;Name\n0412345678;"line 1\nline 2";Ann\n0413111222;ok;"Bob\n'
    error = problem(write(tmp_path, "q.csv", data))
    assert (error.row, error.column) == (3, "Name")


def test_text_after_a_closing_quote_names_row_and_column(tmp_path: Path) -> None:
    data = b'Mobile,Name,Note\n0412345678,"Ann" Lee,x\n'
    error = problem(write(tmp_path, "q.csv", data))
    assert (error.row, error.column) == (2, "Name")
    assert "after its closing quote" in error.message


def test_headerless_file_names_the_column_by_letter(tmp_path: Path) -> None:
    error = problem(write(tmp_path, "q.csv", b'0412345678,Ann,x\n0413111222,Bob,"y\n'))
    assert (error.row, error.column) == (2, "C")
    assert str(error).startswith("Row 2, column C: ")


def test_undecodable_byte_names_row_and_column(tmp_path: Path) -> None:
    # 0x81 is the one byte Windows-1252 leaves undefined, so the file is neither UTF-8 nor that.
    data = b"Client Code,Mobile,Name\r\n03037,0412345678,Ann\r\n00125,0413111222,Bo\x81b\r\n"
    error = problem(write(tmp_path, "x.csv", data))
    assert (error.row, error.column) == (3, "Name")
    assert "0x81" in error.message and "CSV UTF-8" in error.message


def test_damaged_utf8_is_reported_where_it_breaks_not_read_as_1252(tmp_path: Path) -> None:
    data = "Mobile,Name\n0412345678,Renée\n0413111222,Zoë\n".encode() + b"0414000111,Jos\xe9\n"
    error = problem(write(tmp_path, "x.csv", data))
    assert (error.row, error.column) == (4, "Name")
    assert "UTF-8" in error.message


def test_utf16_cut_off_mid_character(tmp_path: Path) -> None:
    data = b"\xff\xfe" + "Mobile\tName\r\n0412345678\tAnn".encode("utf-16-le")[:-1]
    error = problem(write(tmp_path, "x.txt", data))
    assert error.row == 2 and "part-way through a character" in error.message


def test_html_saved_as_xls(tmp_path: Path) -> None:
    data = b"<html><body><table><tr><td>Mobile</td></tr></table></body></html>"
    assert "web page (HTML)" in str(problem(write(tmp_path, "report.xls", data)))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert str(problem(tmp_path / "nope.csv")) == "The file 'nope.csv' was not found."
    assert "is a folder" in str(problem_with(lambda: read_table(tmp_path)))


def test_import_problem_is_a_value_error_with_its_parts() -> None:
    error = ImportProblem("bad", row=14, column="Mobile")
    assert isinstance(error, ValueError)
    assert (error.message, error.row, error.column) == ("bad", 14, "Mobile")
    assert str(error) == "Row 14, column 'Mobile': bad"
    assert str(ImportProblem("bad", row=2)) == "Row 2: bad"
    assert str(ImportProblem("bad")) == "bad"


# --- properties ----------------------------------------------------------------------------------

# Other separators would compete with the comma; U+FEFF at the start of a file *is* a BOM.
_CELL_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\t;|\ufeff"
) | st.sampled_from(["\n", "\r", ",", '"', " ", "\u00a0"])


def _tables(cells: st.SearchStrategy[str]) -> st.SearchStrategy[list[list[str]]]:
    return st.integers(1, 5).flatmap(
        lambda width: st.lists(
            st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=8
        )
    )


def _readable(rows: list[list[str]]) -> bool:
    """Tables the reader gives back as written: no blank rows, no blank last column."""
    return all(any(cell.strip() for cell in row) for row in rows) and any(
        row[-1].strip() for row in rows
    )


def _as_csv(rows: list[list[str]], quoting: Literal[0, 1, 2, 3], encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=quoting).writerows(rows)
    text = buffer.getvalue()
    head = text.lstrip().lower()
    assume(not head.startswith(("<!doctype html", "<html", "<table", "<?xml")))
    return text.encode(encoding)


@given(
    _tables(st.text(_CELL_CHARACTERS, max_size=12)),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_csv_round_trips_cell_text(rows: list[list[str]], encoding: str) -> None:
    assume(_readable(rows))
    data = _as_csv(rows, csv.QUOTE_MINIMAL, encoding)
    assert table_from_bytes(data, "p.csv").rows == tuple(tuple(row) for row in rows)


@given(
    _tables(
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\r\n"),
            max_size=12,
        )
    )
)
def test_fully_quoted_csv_round_trips_any_cell_text(rows: list[list[str]]) -> None:
    assume(_readable(rows))
    data = _as_csv(rows, csv.QUOTE_ALL, "utf-8")
    assert table_from_bytes(data, "p.csv").rows == tuple(tuple(row) for row in rows)


@given(st.binary(max_size=3000))
def test_any_bytes_give_a_table_or_an_import_problem(data: bytes) -> None:
    try:
        table = table_from_bytes(data, "x.csv")
    except ImportProblem as error:
        assert error.message
        return
    assert all(len(row) == table.width for row in table.rows)


@given(st.text(max_size=300))
def test_any_pasted_text_gives_a_rectangular_table_of_text(text: str) -> None:
    table = table_from_text(text)
    assert all(
        len(row) == table.width and all(isinstance(c, str) for c in row) for row in table.rows
    )
    assert all(any(cell.strip() for cell in row) for row in table.rows)
