"""Which columns of an imported table hold the client code, the mobile and the name.

Found from the header's words when there is one ("Client Code", "Clie_Code", "Mobile Phone"...),
otherwise from what the cells look like. The result is a suggestion the user can change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vtsms_gui.domain.tables import Table

__all__ = ["ColumnMapping", "detect_mapping", "header_names"]

_SAMPLE_ROWS = 500  # enough to judge a column; keeps detection instant on 100,000 rows
_MOSTLY = 0.6  # share of a column's filled cells that must fit a kind
_CODE_MAX = 10  # VETtrak's client code limit

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
# Cells as Excel and people write numbers: spaces, brackets, dashes and dots between digits.
_PHONE_SEPARATORS = str.maketrans("", "", " ()-.\u00a0")
_PHONE = re.compile(r"\+?\d{8,15}")
_EXCEL_NUMBER = re.compile(r"\d+\.0+|\d(?:\.\d+)?[eE]\+?\d{1,2}")
_AU_MOBILE = re.compile(r"(?:\+?61|0)?4\d{8}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-/.]*")
_DIGIT = re.compile(r"\d")
_NAME = re.compile(r"[^\W\d_][^\d@]*")  # starts with a letter; no digits, no e-mail address


@dataclass(frozen=True)
class ColumnMapping:
    """Column indexes; `name` holds one column, or first and last name columns to join."""

    client_code: int | None
    mobile: int | None
    name: tuple[int, ...]
    has_header: bool


# Header words after casefolding and removing everything but letters and digits, best first.
# Each list is tried in full before the next, so "Mobile" wins over a "Phone" column beside it.
_CODE_HEADERS = (
    {
        "clientcode",
        "cliecode",
        "clientid",
        "studentid",
        "studentcode",
        "studentnumber",
        "studentno",
        "clientnumber",
        "clientno",
        "learnerid",
        "learnercode",
        "vettrakcode",
        "vettrakid",
    },
    # Not "ID" alone: that is as often a row number, and a wrong code sends to someone else.
    {"code"},
)
_CODE_HEADER_PARTS = ("clientcode", "cliecode", "studentid", "studentcode", "clientid")
_MOBILE_HEADERS = (
    {
        "mobile",
        "mobilephone",
        "mobilenumber",
        "mobileno",
        "mobilephonenumber",
        "mob",
        "mobno",
        "cliemobile",
        "cliemobilephone",
        "clientmobile",
        "studentmobile",
        "cell",
        "cellphone",
        "cellular",
        "cellnumber",
        "sms",
        "smsnumber",
    },
    {
        "phone",
        "phonenumber",
        "phoneno",
        "ph",
        "telephone",
        "tel",
        "contactnumber",
        "contactphone",
        "number",
    },
)
_MOBILE_HEADER_PARTS = ("mobile", "cellphone")
_FULL_NAME_HEADERS = (
    {
        "name",
        "fullname",
        "studentname",
        "clientname",
        "learnername",
        "contactname",
        "studentfullname",
        "clientfullname",
    },
    {"student", "client", "learner", "contact", "recipient"},
)
_FIRST_NAME_HEADERS = (
    {"firstname", "givenname", "givennames", "forename", "forenames", "first", "cliegiven"},
    {"preferredname", "preferredfirstname"},
)
_LAST_NAME_HEADERS = ({"lastname", "surname", "familyname", "last", "cliesurname", "cliefamily"},)


def detect_mapping(table: Table) -> ColumnMapping:
    """The likely columns for `table`: by header words first, then by cell content."""
    if not table.rows:
        return ColumnMapping(None, None, (), has_header=False)
    keys = [_header_key(cell) for cell in table.rows[0]]
    taken: set[int] = set()
    code = _find_header(keys, _CODE_HEADERS, _CODE_HEADER_PARTS, taken)
    mobile = _find_header(keys, _MOBILE_HEADERS, _MOBILE_HEADER_PARTS, taken)
    name = _name_columns_from_header(keys, taken)
    if code is not None or mobile is not None or name:
        # A column of phone numbers under an unknown header is still the mobile, but only a
        # column with no header may become the client code: a "Postcode" column holds short
        # numbers too, and a wrong code sends to someone else's mobile.
        free = set(range(table.width)) - taken
        profiles = _profiles(table.rows[1:], free)
        if mobile is None:
            mobile = _best_mobile_column(profiles, taken)
        if code is None:
            blank = [p for p in profiles if not keys[p.index]]
            code = _best_code_column(blank, taken)
        return ColumnMapping(code, mobile, name, has_header=True)
    return _mapping_from_content(table)


def header_names(table: Table, mapping: ColumnMapping) -> list[str]:
    """A name for every column: the header's text, or a description for a headerless table."""
    if mapping.has_header and table.rows:
        return [cell.strip() or f"Column {i + 1}" for i, cell in enumerate(table.rows[0])]
    names = [f"Column {i + 1}" for i in range(table.width)]
    if mapping.client_code is not None and mapping.client_code < len(names):
        names[mapping.client_code] = "Client code"
    if mapping.mobile is not None and mapping.mobile < len(names):
        names[mapping.mobile] = "Mobile"
    labels = ("First name", "Last name") if len(mapping.name) == 2 else ("Name",)
    for index, label in zip(mapping.name, labels, strict=False):
        if index < len(names):
            names[index] = label
    return names


# --- headers -----------------------------------------------------------------------------------


def _header_key(cell: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", cell.casefold())


def _find_header(
    keys: Sequence[str],
    exact: Sequence[set[str]],
    parts: Sequence[str],
    taken: set[int],
) -> int | None:
    """The leftmost free column whose header is in the best-ranked word list that has one."""
    for words in exact:
        for index, key in enumerate(keys):
            if index not in taken and key in words:
                taken.add(index)
                return index
    for index, key in enumerate(keys):
        if index not in taken and key and any(part in key for part in parts):
            taken.add(index)
            return index
    return None


def _name_columns_from_header(keys: Sequence[str], taken: set[int]) -> tuple[int, ...]:
    full = _find_header(keys, _FULL_NAME_HEADERS, ("fullname",), taken)
    if full is not None:
        return (full,)
    first = _find_header(keys, _FIRST_NAME_HEADERS, ("firstname", "givenname"), taken)
    last = _find_header(keys, _LAST_NAME_HEADERS, ("surname", "lastname"), taken)
    return tuple(index for index in (first, last) if index is not None)


# --- content -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Profile:
    """Shares of a column's filled cells that look like each kind of value."""

    index: int
    filled: int
    phone: float
    au_mobile: float
    code: float
    name: float
    single_word: float


def _profiles(rows: Sequence[Sequence[str]], columns: set[int]) -> list[_Profile]:
    sample = rows[:_SAMPLE_ROWS]
    profiles = []
    for index in sorted(columns):
        cells = [row[index].strip() for row in sample if index < len(row) and row[index].strip()]
        if not cells:
            continue
        phone = au_mobile = code = name = single_word = 0
        for cell in cells:
            if _looks_like_phone(cell):
                digits = _phone_digits(cell)
                phone += 1
                au_mobile += bool(_AU_MOBILE.fullmatch(digits))
            elif len(cell) <= _CODE_MAX and _CODE.fullmatch(cell) and _DIGIT.search(cell):
                code += 1
            elif _NAME.fullmatch(cell):
                name += 1
                single_word += " " not in cell
        total = len(cells)
        profiles.append(
            _Profile(
                index,
                total,
                phone / total,
                au_mobile / total,
                code / total,
                name / total,
                single_word / total,
            )
        )
    return profiles


def _looks_like_phone(cell: str) -> bool:
    # Eight bare digits is more often a client code; a local landline is written "9876 5432".
    digits = _phone_digits(cell)
    return bool(_PHONE.fullmatch(digits)) and (len(digits) >= 9 or digits != cell)


def _phone_digits(cell: str) -> str:
    if _EXCEL_NUMBER.fullmatch(cell):
        try:
            cell = str(int(float(cell)))
        except (ValueError, OverflowError):
            return cell
    return cell.translate(_PHONE_SEPARATORS)


def _best_mobile_column(profiles: Sequence[_Profile], taken: set[int]) -> int | None:
    candidates = [p for p in profiles if p.index not in taken and p.phone >= _MOSTLY]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: (p.au_mobile, p.phone, -p.index))
    taken.add(best.index)
    return best.index


def _best_code_column(profiles: Sequence[_Profile], taken: set[int]) -> int | None:
    candidates = [p for p in profiles if p.index not in taken and p.code >= _MOSTLY]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: (p.code, -p.index))
    taken.add(best.index)
    return best.index


def _best_name_columns(profiles: Sequence[_Profile], taken: set[int]) -> tuple[int, ...]:
    names = [p for p in profiles if p.index not in taken and p.name >= _MOSTLY]
    if not names:
        return ()
    first = names[0]
    # Two neighbouring columns of single words are a first name and a last name.
    following = next((p for p in names if p.index == first.index + 1), None)
    if following and first.single_word >= _MOSTLY and following.single_word >= _MOSTLY:
        return (first.index, following.index)
    return (first.index,)


def _mapping_from_content(table: Table) -> ColumnMapping:
    """Columns of a table whose first row is not a recognised header."""
    all_columns = set(range(table.width))
    taken: set[int] = set()
    profiles = _profiles(table.rows, all_columns)
    mobile = _best_mobile_column(profiles, taken)
    code = _best_code_column(profiles, taken)
    name = _best_name_columns(profiles, taken)
    return ColumnMapping(code, mobile, name, has_header=_first_row_is_header(table, code, mobile))


def _first_row_is_header(table: Table, code: int | None, mobile: int | None) -> bool:
    """An unrecognised header still shows: its cells do not fit the kind found below them."""
    if len(table.rows) < 2:
        return False
    first = table.rows[0]
    if mobile is not None:
        return not _looks_like_phone(first[mobile].strip())
    if code is not None:
        cell = first[code].strip()
        return not (_CODE.fullmatch(cell) and _DIGIT.search(cell))
    return False
