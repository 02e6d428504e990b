"""Finding the client code, mobile and name columns: by header words, or by content when the
table has no header the code knows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vtsms_gui.domain.column_mapping import ColumnMapping, detect_mapping, header_names
from vtsms_gui.domain.tables import Table


def table(*rows: tuple[str, ...]) -> Table:
    return Table(tuple(rows), "test")


DATA = ("03037", "0412 345 678", "Ann Lee")


@pytest.mark.parametrize(
    "header",
    [
        "Client Code",
        "Clie_Code",
        "CLIENT_CODE",
        " client  code ",
        "Student ID",
        "StudentID",
        "Student Number",
        "Code",
        "VETtrak client code",
    ],
)
def test_client_code_header_spellings(header: str) -> None:
    mapping = detect_mapping(table((header, "Note"), ("03037", "x")))
    assert mapping.client_code == 0 and mapping.has_header


@pytest.mark.parametrize(
    "header",
    [
        "Mobile",
        "Mobile Phone",
        "MobilePhone",
        "Mobile Number",
        "mobile_number",
        "MOBILE NO.",
        "Phone",
        "Cell",
        "Cell Phone",
        "Student Mobile (SMS)",
        "Telephone",
    ],
)
def test_mobile_header_spellings(header: str) -> None:
    mapping = detect_mapping(table(("Note", header), ("x", "0412345678")))
    assert mapping.mobile == 1 and mapping.has_header


@pytest.mark.parametrize("header", ["Name", "Full Name", "full_name", "Student Name", "Student"])
def test_full_name_header_spellings(header: str) -> None:
    mapping = detect_mapping(table(("Mobile", header), ("0412345678", "Ann Lee")))
    assert mapping.name == (1,)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (("First Name", "Last Name", "Mobile"), (0, 1)),
        (("Surname", "First Name", "Mobile"), (1, 0)),  # joined first name first
        (("Given Names", "Family Name", "Mobile"), (0, 1)),
        (("Mobile", "First_Name"), (1,)),
        (("Surname", "Mobile"), (0,)),
        (("First Name", "Full Name", "Surname", "Mobile"), (1,)),  # a full name wins
    ],
)
def test_first_and_last_name_columns_are_joined(
    header: tuple[str, ...], name: tuple[int, ...]
) -> None:
    assert detect_mapping(table(header)).name == name


def test_a_mobile_column_wins_over_a_phone_column_wherever_it_is() -> None:
    mapping = detect_mapping(
        table(("Phone", "Name", "Mobile"), ("02 9876 5432", "Ann", "0412345678"))
    )
    assert mapping.mobile == 2


def test_full_mapping_from_a_vettrak_export_header() -> None:
    header = ("Clie_Code", "Given_Names", "Surname", "Mobile_Phone", "Email", "Postcode")
    mapping = detect_mapping(table(header, ("03037", "Ann", "Lee", "0412345678", "a@b.c", "2000")))
    assert mapping == ColumnMapping(client_code=0, mobile=3, name=(1, 2), has_header=True)


def test_a_headed_postcode_column_is_never_taken_for_the_client_code() -> None:
    mapping = detect_mapping(
        table(("Mobile", "Postcode"), ("0412345678", "2000"), ("0413111222", "3000"))
    )
    assert mapping.client_code is None


def test_a_column_with_a_blank_header_is_judged_by_content() -> None:
    mapping = detect_mapping(
        table(("", "Mobile"), ("03037", "0412345678"), ("00125", "0413111222"))
    )
    assert mapping.client_code == 0 and mapping.mobile == 1 and mapping.has_header


def test_phone_numbers_under_an_unknown_header_are_still_the_mobile() -> None:
    mapping = detect_mapping(
        table(("Name", "Contact"), ("Ann", "0412345678"), ("Bob", "0413 111 222"))
    )
    assert mapping.mobile == 1 and mapping.name == (0,) and mapping.has_header


# --- headerless tables ---------------------------------------------------------------------------


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)])
def test_headerless_columns_are_found_by_content(order: tuple[int, int, int]) -> None:
    rows = [
        ("03037", "0412 345 678", "Ann Lee"),
        ("00125", "+61 413 111 222", "Bob King"),
        ("AB123", "412345678", "Cy Moe"),
    ]
    shuffled = [tuple(row[i] for i in order) for row in rows]
    mapping = detect_mapping(table(*shuffled))
    assert not mapping.has_header
    assert (mapping.client_code, mapping.mobile, mapping.name) == (
        order.index(0),
        order.index(1),
        (order.index(2),),
    )


def test_headerless_mobiles_with_excel_damage() -> None:
    mapping = detect_mapping(table(("412345678.0",), ("4.12345678E+08",), ("0413111222",)))
    assert mapping.mobile == 0 and not mapping.has_header


def test_headerless_mobile_column_is_preferred_to_a_landline_column() -> None:
    rows = [("02 9876 5432", "0412345678"), ("03 9123 4567", "0413111222")]
    assert detect_mapping(table(*rows)).mobile == 1


def test_headerless_first_and_last_name_columns() -> None:
    mapping = detect_mapping(table(("Ann", "Lee", "0412345678"), ("Bob", "King", "0413111222")))
    assert mapping == ColumnMapping(client_code=None, mobile=2, name=(0, 1), has_header=False)


def test_eight_bare_digits_are_a_client_code_not_a_phone() -> None:
    mapping = detect_mapping(table(("00012345", "0412345678"), ("00012346", "0413111222")))
    assert (mapping.client_code, mapping.mobile) == (0, 1)


def test_an_unrecognised_header_is_seen_because_it_does_not_fit_the_column() -> None:
    mapping = detect_mapping(
        table(("Who", "Reach on"), ("Ann", "0412345678"), ("Bob", "0413111222"))
    )
    assert mapping.has_header and mapping.mobile == 1


def test_a_single_data_row_is_not_a_header() -> None:
    assert detect_mapping(table(DATA)) == ColumnMapping(0, 1, (2,), has_header=False)


def test_an_empty_table() -> None:
    assert detect_mapping(table()) == ColumnMapping(None, None, (), has_header=False)


# --- header names --------------------------------------------------------------------------------


def test_header_names_come_from_the_header_row() -> None:
    t = table(("Client Code", "", "Mobile"), ("03037", "x", "0412345678"))
    assert header_names(t, detect_mapping(t)) == ["Client Code", "Column 2", "Mobile"]


def test_header_names_of_a_headerless_table_describe_the_mapping() -> None:
    t = table(
        ("Ann", "Lee", "0412345678", "03037", "x y"), ("Bob", "King", "0413111222", "00125", "z")
    )
    assert header_names(t, detect_mapping(t)) == [
        "First name",
        "Last name",
        "Mobile",
        "Client code",
        "Column 5",
    ]


def test_header_names_ignore_a_mapping_that_points_past_the_table() -> None:
    t = table(("0412345678",))
    assert header_names(t, ColumnMapping(5, 0, (7,), has_header=False)) == ["Mobile"]


# --- properties ----------------------------------------------------------------------------------

_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["0412 345 678", "+61413111222", "03037", "Ann", "Lee", "Mobile", "Clie_Code", ""]
    ),
)


@given(st.integers(1, 6).flatmap(lambda w: st.lists(st.tuples(*[_CELLS] * w), max_size=12)))
def test_any_table_gets_a_mapping_of_distinct_columns_inside_it(
    rows: list[tuple[str, ...]],
) -> None:
    t = table(*rows)
    mapping = detect_mapping(t)
    used = [i for i in (mapping.client_code, mapping.mobile, *mapping.name) if i is not None]
    assert len(used) == len(set(used))
    assert all(0 <= i < t.width for i in used)
    assert len(header_names(t, mapping)) == t.width
