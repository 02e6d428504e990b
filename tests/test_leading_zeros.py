"""Client codes Excel shortened (03038 saved as 3038): found by length, padded on request."""

from __future__ import annotations

from vtsms_gui.domain.leading_zeros import find_lost_zeros, pad_codes


def test_codes_shorter_than_the_usual_length_are_suggested_padded() -> None:
    codes = ["00125", "3038", "10452", "7", "12001", None, "A1042"]
    lost = find_lost_zeros(codes)
    assert lost is not None and lost.length == 5
    assert lost.suggestions == {1: "03038", 3: "00007"}
    assert lost.reason(1, "3038") == (
        "Excel may have removed a leading zero: 3038 → 03038? "
        "Most client codes in this list have 5 digits; add the missing zero, or fix the code."
    )
    assert lost.reason(3, "7").endswith("add the missing zeros, or fix the code.")
    assert pad_codes(codes, lost) == ["00125", "03038", "10452", "00007", "12001", None, "A1042"]


def test_a_whole_column_that_lost_its_zeros_still_shows_the_real_length() -> None:
    # The demo's codes after Excel: only those that started with 1-9 kept five digits.
    codes = ["125", "3037", "7", "1250", "4410", "10452", "12001", "342"]
    lost = find_lost_zeros(codes)
    assert lost is not None and lost.length == 5
    assert set(lost.suggestions) == {0, 1, 2, 3, 4, 7}


def test_one_mistyped_long_code_does_not_make_the_others_suspect() -> None:
    codes = ["03037", "00125", "04410", "123456789", "02718"]
    lost = find_lost_zeros(codes)
    assert lost is None


def test_codes_of_one_length_or_no_digit_codes_need_nothing() -> None:
    assert find_lost_zeros(["03037", "00125"]) is None
    assert find_lost_zeros(["A1042", "B77", None, ""]) is None
    assert find_lost_zeros([]) is None


def test_the_server_s_code_length_when_known_wins() -> None:
    lost = find_lost_zeros(["3037", "3038"], known_length=5)
    assert lost is not None and lost.suggestions == {0: "03037", 1: "03038"}


def test_non_ascii_digits_are_not_taken_for_codes() -> None:
    assert find_lost_zeros(["٣٠٣٨", "03037", "00125"]) is None


def test_mobiles_that_lost_their_zero_are_still_read_as_mobiles() -> None:
    from vtsms_gui.domain.phone import PhoneParser

    result = PhoneParser().parse("412345678")
    assert result.ok and result.e164 == "+61412345678"


def test_check_recipients_flags_rows_whose_code_lost_its_zeros() -> None:
    from vtsms_gui.domain.phone import PhoneParser
    from vtsms_gui.domain.recipients import Recipient, RowState, check_recipients

    rows = [Recipient(code, None) for code in ("00125", "3038", "10452", "12001")]
    checked = check_recipients(rows, PhoneParser())
    assert [item.state for item in checked] == [
        RowState.OK,
        RowState.WARNING,
        RowState.OK,
        RowState.OK,
    ]
    assert checked[1].reason.startswith("Excel may have removed a leading zero: 3038 → 03038?")
    assert checked[1].sendable  # a warning: the user decides


def test_a_mobile_that_lost_its_zero_is_read_as_a_mobile_in_a_checked_row() -> None:
    from vtsms_gui.domain.phone import PhoneParser
    from vtsms_gui.domain.recipients import Recipient, RowState, check_recipients

    [row] = check_recipients([Recipient(None, "412345678")], PhoneParser())
    assert row.state is RowState.OK and row.phone is not None
    assert row.phone.to_send == "0412345678"  # shown as 0412 345 678


def test_a_single_code_is_caught_when_the_server_s_length_is_known() -> None:
    """A list of one (or a list shortened alike) has nothing to compare with; the length of the
    codes this VETtrak accepted before has."""
    assert find_lost_zeros(["3037"]) is None
    lost = find_lost_zeros(["3037"], known_length=5)
    assert lost is not None and lost.suggestions == {0: "03037"}
    assert "The client codes you have sent to on this VETtrak have 5 digits" in lost.reason(
        0, "3037"
    )
    from vtsms_gui.domain.phone import PhoneParser
    from vtsms_gui.domain.recipients import Recipient, RowState, check_recipients

    checked = check_recipients([Recipient("3037", None)], PhoneParser(), known_code_length=5)
    assert checked[0].state is RowState.WARNING
    assert checked[0].reason is not None and "3037 → 03037?" in checked[0].reason
