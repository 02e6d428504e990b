"""Recipients from tables, their states and reasons, what is sent for each, duplicates, the
summary line, and 100,000 rows in a few seconds."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vtsms_gui.domain.column_mapping import ColumnMapping, detect_mapping
from vtsms_gui.domain.phone import AuFormat, PhoneParser, PhoneResult, PhoneVerdict
from vtsms_gui.domain.recipients import (
    CheckedRecipient,
    Recipient,
    RecipientSummary,
    RowState,
    check_recipients,
    normalise_client_code,
    recipients_from_table,
    summarise,
)
from vtsms_gui.domain.tables import Table, table_from_bytes, table_from_text

PARSER = PhoneParser()
MOBILE = "0491 570 156"  # ACMA's numbers for drama and tests
OTHER_MOBILE = "0491 570 157"
LANDLINE = "02 9876 5432"


def check(*recipients: Recipient, require_client_code: bool = False) -> list[CheckedRecipient]:
    return check_recipients(recipients, PARSER, require_client_code=require_client_code)


def one(code: str | None, mobile: str | None, **kwargs: bool) -> CheckedRecipient:
    return check(Recipient(code, mobile), **kwargs)[0]


# --- client codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("03037", "03037"),
        ("  03037\t", "03037"),
        ("3037.0", "3037"),
        ("03037.00", "03037"),
        ("3.037E+03", "3037"),
        ("AB-123", "AB-123"),
        ("1E5", "1E5"),  # an alphanumeric code, not Excel's scientific notation (that has a +)
        ("\u200b03037\ufeff", "03037"),
        ("1234567890", "1234567890"),
    ],
)
def test_client_codes_are_text_with_excel_float_damage_undone(raw: str, code: str) -> None:
    assert normalise_client_code(raw) == (code, "")


def test_blank_client_code_is_none_without_a_problem() -> None:
    assert normalise_client_code("   ") == (None, "")


def test_a_client_code_over_ten_characters_is_a_problem() -> None:
    code, problem = normalise_client_code("12345678901")
    assert code is None
    assert "'12345678901'" in problem and "10 characters" in problem


def test_a_client_code_excel_shortened_cannot_be_guessed_back() -> None:
    code, problem = normalise_client_code("3.04E+03")
    assert code is None and "format the column as Text" in problem


# --- from a table --------------------------------------------------------------------------------


def test_recipients_from_a_table_with_a_header() -> None:
    t = table_from_text(
        "Clie_Code\tMobile Phone\tFirst Name\tSurname\tCourse\r\n"
        "03037\t 0491 570 156 \tAnn\tLee\tCert III\r\n"
        "\t0491570157\t\tKing\t\r\n"
    )
    assert recipients_from_table(t, detect_mapping(t)) == [
        Recipient("03037", "0491 570 156", "Ann Lee", (("Course", "Cert III"),)),
        Recipient(None, "0491570157", "King", (("Course", ""),)),
    ]


def test_recipients_from_a_headerless_table_keep_the_first_row() -> None:
    t = table_from_text("03037\t0491570156\tAnn Lee\tx\r\n00125\t0491570157\tBob King\ty\r\n")
    recipients = recipients_from_table(t, detect_mapping(t))
    assert [r.client_code for r in recipients] == ["03037", "00125"]
    assert recipients[0].extra == (("Column 4", "x"),)


def test_the_user_can_change_the_mapping() -> None:
    t = Table((("Mobile", "Other mobile"), ("0491570156", "0491570157")), "test")
    mapping = replace(detect_mapping(t), mobile=1)
    assert recipients_from_table(t, mapping) == [
        Recipient(None, "0491570157", "", (("Mobile", "0491570156"),))
    ]


def test_a_mapping_from_another_table_does_not_crash() -> None:
    t = Table((("0491570156",),), "test")
    assert recipients_from_table(t, ColumnMapping(4, 0, (9,), has_header=False)) == [
        Recipient(None, "0491570156")
    ]


def test_leading_zeros_of_text_cells_survive_import() -> None:
    data = b"Client Code,Mobile\r\n03037,0491570156\r\n00125,\r\n"
    t = table_from_bytes(data, "a.csv")
    assert [r.client_code for r in recipients_from_table(t, detect_mapping(t))] == [
        "03037",
        "00125",
    ]


# --- states and reasons --------------------------------------------------------------------------


def test_code_and_mobile_is_ok_and_sends_both() -> None:
    row = one("03037", MOBILE)
    assert (row.state, row.send_code, row.send_mobile, row.sendable) == (
        RowState.OK,
        "03037",
        "0491570156",
        True,
    )
    assert "history recorded on client 03037" in row.reason


def test_code_only_goes_to_the_mobile_vettrak_holds() -> None:
    row = one("03037", None)
    assert (row.state, row.send_code, row.send_mobile, row.phone) == (
        RowState.OK,
        "03037",
        None,
        None,
    )
    assert row.reason == "sent to the mobile stored in VETtrak for client 03037"


def test_mobile_only_is_ok_and_sent_as_configured() -> None:
    row = one(None, "+61 491 570 156")
    assert (row.state, row.send_code, row.send_mobile) == (RowState.OK, None, "0491570156")
    assert "no SMS history" in row.reason
    e164 = check_recipients([Recipient(None, MOBILE)], PhoneParser(au_format=AuFormat.E164))[0]
    assert e164.send_mobile == "+61491570156"


def test_a_mobile_excel_turned_into_a_float_is_ok_and_says_so() -> None:
    row = one(None, "491570156.0")
    assert row.state is RowState.OK and row.send_mobile == "0491570156"
    assert "Excel" in row.reason


@pytest.mark.parametrize(("code", "mobile"), [(None, None), ("", "  "), ("\u200b", None)])
def test_no_code_and_no_number_is_invalid(code: str | None, mobile: str | None) -> None:
    row = one(code, mobile)
    assert row.state is RowState.INVALID and row.reason == "no client code and no mobile number"
    assert not row.sendable and row.send_code is None and row.send_mobile is None


def test_a_bad_number_without_a_code_is_invalid_with_the_phone_reason() -> None:
    row = one(None, "0491 570")
    assert row.state is RowState.INVALID
    assert row.reason.startswith("0491 570 has too few digits for an Australian mobile")
    assert row.reason.endswith("fix the number or remove the row")
    assert not row.sendable


def test_a_bad_number_with_a_code_is_a_warning_and_is_sent_by_code_only() -> None:
    row = one("03037", "04915701")
    assert row.state is RowState.WARNING and row.sendable
    assert (row.send_code, row.send_mobile) == ("03037", None)
    assert row.reason.startswith("04915701 has too few digits")
    assert "client code only, to the mobile stored in VETtrak for client 03037" in row.reason


def test_a_landline_without_a_code_is_a_warning_that_it_will_fail() -> None:
    row = one(None, LANDLINE)
    assert row.state is RowState.WARNING and row.sendable
    assert row.phone is not None and row.phone.verdict is PhoneVerdict.NOT_MOBILE
    assert row.send_mobile == "0298765432"
    assert "landline" in row.reason and "charged" in row.reason


def test_a_landline_with_a_code_is_sent_by_code_only() -> None:
    row = one("03037", LANDLINE)
    assert row.state is RowState.WARNING
    assert (row.send_code, row.send_mobile) == ("03037", None)
    assert "is a landline" in row.reason and "client 03037" in row.reason


def test_a_client_code_too_long_is_invalid_even_with_a_good_mobile() -> None:
    row = one("CODE-TOO-LONG", MOBILE)
    assert row.state is RowState.INVALID and not row.sendable
    assert "longer than 10 characters" in row.reason


def test_replies_need_a_client_code_on_every_row() -> None:
    rows = check(
        Recipient(None, MOBILE),
        Recipient("03037", OTHER_MOBILE),
        Recipient("00125", None),
        require_client_code=True,
    )
    assert [r.state for r in rows] == [RowState.INVALID, RowState.OK, RowState.OK]
    assert "replies are accepted" in rows[0].reason and "client code" in rows[0].reason


def test_every_row_has_a_reason() -> None:
    rows = check(
        Recipient("03037", MOBILE),
        Recipient(None, OTHER_MOBILE),
        Recipient("00125", None),
        Recipient(None, None),
    )
    assert all(row.reason for row in rows)


# --- duplicates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        "0491570156",
        "+61491570156",
        "61491570156",
        "+61 (0) 491 570 156",
        "491570156.0",
        "4.91570156E+08",
        "0491-570-156",
    ],
)
def test_the_same_number_in_another_shape_is_a_duplicate(shape: str) -> None:
    first, later = check(Recipient(None, "0491 570 156"), Recipient(None, shape))
    assert first.state is RowState.OK and first.duplicate_of is None
    assert later.state is RowState.WARNING and later.duplicate_of == 0
    assert later.reason.startswith("duplicate of row 1 (same mobile number)")
    assert first.sendable and not later.sendable


def test_the_same_client_code_is_a_duplicate_whatever_its_case_or_excel_damage() -> None:
    rows = check(
        Recipient("ab12", None),
        Recipient("03037", MOBILE),
        Recipient("AB12", OTHER_MOBILE),
        Recipient("3037", None),  # Excel lost the zero: not the same code
        Recipient("03037.0", None),
    )
    assert [r.duplicate_of for r in rows] == [None, None, 0, None, 1]
    assert rows[2].reason.startswith("duplicate of row 1 (same client code)")
    assert rows[4].reason.startswith("duplicate of row 2 (same client code)")


def test_a_duplicate_points_at_the_first_row_not_the_previous_duplicate() -> None:
    rows = check(*[Recipient(None, MOBILE)] * 4)
    assert [r.duplicate_of for r in rows] == [None, 0, 0, 0]


def test_invalid_rows_are_not_duplicates_and_do_not_hide_later_rows() -> None:
    rows = check(
        Recipient("CODE-TOO-LONG", MOBILE),
        Recipient(None, MOBILE),
        Recipient(None, None),
        Recipient(None, None),
    )
    assert [r.state for r in rows] == [
        RowState.INVALID,
        RowState.OK,
        RowState.INVALID,
        RowState.INVALID,
    ]
    assert [r.duplicate_of for r in rows] == [None, None, None, None]


def test_a_duplicate_keeps_its_other_warning() -> None:
    rows = check(Recipient(None, LANDLINE), Recipient(None, "(02) 9876-5432"))
    assert rows[1].duplicate_of == 0
    assert rows[1].reason.startswith("duplicate of row 1") and "landline" in rows[1].reason


def test_a_number_sent_by_code_only_is_not_a_number_duplicate() -> None:
    rows = check(Recipient(None, LANDLINE), Recipient("03037", LANDLINE))
    assert rows[1].duplicate_of is None and rows[1].send_mobile is None


def test_the_same_number_for_two_clients_is_still_reported() -> None:
    rows = check(Recipient("03037", MOBILE), Recipient("00125", "+61491570156"))
    assert rows[1].duplicate_of == 0 and "same mobile number" in rows[1].reason


# --- summary -------------------------------------------------------------------------------------


def test_summary_counts_and_line() -> None:
    rows = [Recipient(None, f"0491 570 {i:03d}") for i in range(207)]
    rows += [Recipient(None, "12ab"), Recipient(None, None), Recipient("CODE-TOO-LONG", None)]
    rows += [Recipient(None, "0491 570 000"), Recipient(None, "+61491570001")]
    summary = summarise(check(*rows))
    assert summary == RecipientSummary(
        total=212, ok=207, warnings=2, invalid=3, duplicates=2, landlines=0
    )
    assert str(summary) == "212 recipients · 3 invalid · 2 duplicates"


@pytest.mark.parametrize(
    ("summary", "line"),
    [
        (RecipientSummary(0, 0, 0, 0, 0, 0), "0 recipients"),
        (RecipientSummary(1, 1, 0, 0, 0, 0), "1 recipient"),
        (
            RecipientSummary(100_000, 99_990, 10, 0, 1, 2),
            "100,000 recipients · 1 duplicate · 2 landlines · 7 warnings",
        ),
        (RecipientSummary(3, 0, 1, 2, 0, 1), "3 recipients · 2 invalid · 1 landline"),
    ],
)
def test_summary_line_wording(summary: RecipientSummary, line: str) -> None:
    assert str(summary) == line


def test_summary_of_mixed_rows() -> None:
    rows = check(
        Recipient("03037", MOBILE),
        Recipient(None, LANDLINE),
        Recipient("00125", "bad"),
        Recipient(None, "bad"),
        Recipient(None, MOBILE),
    )
    assert summarise(rows) == RecipientSummary(
        total=5, ok=1, warnings=3, invalid=1, duplicates=1, landlines=1
    )


# --- scale and robustness ------------------------------------------------------------------------


def test_100k_rows_parse_and_check() -> None:
    # Correctness at size only: how fast is a benchmark's question (tests/benchmarks), not a
    # timed test's, which fails whenever the machine is busy.
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["Client Code", "Mobile", "First Name", "Last Name", "Course"])
    for i in range(100_000):
        mobile = LANDLINE if i % 97 == 0 else f"04{(i * 7919) % 100_000_000:08d}"
        writer.writerow([f"{i:07d}", mobile, "Ann", "Lee", "Cert III in Hospitality"])
    data = out.getvalue().encode("utf-8")
    t = table_from_bytes(data, "big.csv")
    checked = check_recipients(recipients_from_table(t, detect_mapping(t)), PARSER)
    summary = summarise(checked)
    assert summary.total == 100_000 and summary.landlines == 1031


class _CountingParser(PhoneParser):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def parse(self, raw: str) -> PhoneResult:
        self.calls += 1
        return super().parse(raw)


def test_each_distinct_number_is_parsed_once() -> None:
    parser = _CountingParser()
    check_recipients([Recipient(None, MOBILE)] * 50 + [Recipient(None, "  ")], parser)
    assert parser.calls == 1


_CELL = st.one_of(
    st.text(max_size=15),
    st.sampled_from(
        [
            "03037",
            "3037.0",
            "0491 570 156",
            "+61491570156",
            "4.9157E+08",
            LANDLINE,
            "Ann",
            "",
            "x" * 11,
        ]
    ),
)


@given(
    st.integers(1, 5).flatmap(lambda w: st.lists(st.tuples(*[_CELL] * w), max_size=15)),
    st.booleans(),
)
def test_any_table_of_strings_is_checked_without_crashing(
    rows: list[tuple[str, ...]], replies: bool
) -> None:
    t = Table(tuple(rows), "test")
    recipients = recipients_from_table(t, detect_mapping(t))
    checked = check_recipients(recipients, PARSER, require_client_code=replies)
    assert len(checked) == len(recipients)
    for index, row in enumerate(checked):
        assert row.reason
        if row.sendable:
            assert row.send_code or row.send_mobile
            assert row.state is not RowState.INVALID
        if replies and row.state is not RowState.INVALID:
            assert row.send_code
        if row.send_code is not None:
            assert len(row.send_code) <= 10
        if row.duplicate_of is not None:
            first = checked[row.duplicate_of]
            assert row.duplicate_of < index and first.duplicate_of is None
            assert first.state is not RowState.INVALID and row.state is RowState.WARNING
    summary = summarise(checked)
    assert summary.ok + summary.warnings + summary.invalid == summary.total


@pytest.mark.parametrize("raw", ["03\x0137", "AB\x0bC", "12\ud80034"])
def test_client_codes_with_invisible_characters_are_invalid(raw: str) -> None:
    code, problem = normalise_client_code(raw)
    assert code is None
    assert "invisible character" in problem


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("0412 3", "0412 3 has too few digits for an Australian mobile"),
        ("04123", "04123 has too few digits for an Australian mobile"),
        ("0441 234 567", "0441 234 567 is not an Australian mobile number in use"),
        ("(02) 9876 5432", "(02) 9876 5432 is a landline"),
    ],
)
def test_reasons_start_with_the_number_as_typed_never_half_normalised(
    typed: str, reason: str
) -> None:
    row = one(None, typed)
    assert row.reason.startswith(reason)
    assert "+61" not in row.reason
