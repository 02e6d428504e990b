"""Workbooks (XLSX, XLSM, XLS, ODS through python-calamine) as tables of the text a person sees
in each cell."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from vtsms_gui.domain.table import ImportProblem, Table, password_protected, shaped_table

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook


def open_workbook(data: bytes) -> CalamineWorkbook:
    # Imported here so that `vtsms count` and other text-only paths never load it.
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise password_protected() from None
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise _damaged_workbook(error) from None


def _damaged_workbook(error: Exception) -> ImportProblem:
    return ImportProblem(
        "This workbook cannot be read; it may be damaged or saved by a program Excel does not "
        f"understand. Open it in Excel and save it again. (Details: {error})"
    )


def visible_sheets(book: CalamineWorkbook) -> list[str]:
    import python_calamine

    return [
        sheet.name
        for sheet in book.sheets_metadata
        if sheet.visible == python_calamine.SheetVisibleEnum.Visible
        and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
    ] or list(book.sheet_names)


def workbook_table(data: bytes, name: str, sheet: str | int | None) -> Table:
    import python_calamine

    with open_workbook(data) as book:
        visible = visible_sheets(book)
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
    table = shaped_table(rows, source)
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
