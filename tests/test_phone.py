"""Phone numbers as staff paste them: shapes, verdicts, reasons, and the fast path's fidelity."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vtsms_gui.domain import phone
from vtsms_gui.domain.phone import (
    AuFormat,
    PhoneParser,
    PhoneResult,
    PhoneVerdict,
    _parse_slow,
    looks_like_phone_number,
)

PARSER = PhoneParser()
E164_PARSER = PhoneParser(au_format=AuFormat.E164)

PASTED_MOBILE_SHAPES = [
    "0412 345 678",
    "0412-345-678",
    "0412.345.678",
    "0412/345/678",
    "0412–345–678",  # en dash from Word
    "(04) 1234 5678",
    "+61 412 345 678",
    "+61412345678",
    "61412345678",
    "412345678",
    "0412345678",
    "0061 412 345 678",
    "0011 61 412 345 678",
    "+61 (0) 412 345 678",
    "  0412 345 678  ",
    "\t0412\t345\t678\n",
    "0412\u00a0345\u00a0678",  # no-break spaces
    "0412\u202f345\u202f678",  # narrow no-break spaces
    "０４１２ ３４５ ６７８",  # full-width digits
    "＋６１ ４１２ ３４５ ６７８",  # full-width plus
]
EXCEL_SHAPES = ["412345678.0", "4.12345678E+08", "4.12345678e8", "4.12345678E8", "412,345,678"]


@pytest.mark.parametrize("raw", PASTED_MOBILE_SHAPES)
def test_pasted_shapes_of_one_mobile_all_give_the_same_clean_result(raw: str) -> None:
    result = PARSER.parse(raw)
    assert result == PhoneResult(raw, PhoneVerdict.MOBILE, "0412345678", "+61412345678", "AU", "")
    assert result.ok


@pytest.mark.parametrize("raw", EXCEL_SHAPES)
def test_excel_damaged_numbers_are_repaired_with_a_note(raw: str) -> None:
    result = PARSER.parse(raw)
    assert result.verdict is PhoneVerdict.MOBILE
    assert (result.to_send, result.e164) == ("0412345678", "+61412345678")
    assert result.reason == f"converted from Excel number {raw}"


@pytest.mark.parametrize("raw", ["4.12E+08", "4.1234567E+08", "4.12346e8"])
def test_excel_numbers_that_lost_digits_are_refused(raw: str) -> None:
    result = PARSER.parse(raw)
    assert result.verdict is PhoneVerdict.INVALID
    assert "last digits are lost" in result.reason and "Text" in result.reason


def test_landline_is_a_number_but_not_a_mobile_and_says_where() -> None:
    result = PARSER.parse("(02) 9876 5432")
    assert result.verdict is PhoneVerdict.NOT_MOBILE and not result.ok
    assert (result.to_send, result.e164, result.region) == ("0298765432", "+61298765432", "AU")
    assert result.reason == "0298765432 is a landline (Sydney): SMS cannot be delivered to it"


def test_excel_damaged_landline_keeps_both_the_reason_and_the_note() -> None:
    result = PARSER.parse("2.98765432E+08")
    assert result.verdict is PhoneVerdict.NOT_MOBILE
    assert result.reason.startswith("0298765432 is a landline")
    assert result.reason.endswith("(converted from Excel number 2.98765432E+08)")


@pytest.mark.parametrize(
    ("raw", "to_send", "kind"),
    [
        ("1300 123 456", "1300123456", "a 13 or 1300 business number"),
        ("13 12 34", "131234", "a 13 or 1300 business number"),
        ("1800 123 456", "1800123456", "a freecall 1800 number"),
        ("+61 1800 123 456", "1800123456", "a freecall 1800 number"),
    ],
)
def test_business_numbers_are_not_mobiles(raw: str, to_send: str, kind: str) -> None:
    result = PARSER.parse(raw)
    assert result.verdict is PhoneVerdict.NOT_MOBILE
    assert result.to_send == to_send
    assert result.reason == f"{to_send} is {kind}: SMS cannot be delivered to it"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "no number"),
        ("  \t ", "no number"),
        ("0412abc678", "not a phone number: contains letters"),
        ("call reception", "not a phone number: contains letters"),
        ("n/a", "not a phone number: contains letters"),
        ("-", "not a phone number: contains no digits"),
        ("0412#345678", 'not a phone number: contains "#"'),
        ("0412 345 678, 0498 765 432", "looks like more than one number"),
        ("0412 345 678 / 0498 765 432", "looks like more than one number"),
        ("0412 345", "too few digits for an Australian mobile"),
        ("412 345 67", "too few digits for an Australian mobile"),
        ("0412 345 6789", "too many digits for an Australian mobile"),
        ("0441 234 567", "0441234567 is not an Australian mobile number in use"),
        ("+999 412 345 678", "the country code after + is not one in use"),
        ("12", "too few digits for a phone number in Australia"),
    ],
)
def test_invalid_numbers_say_why_in_plain_english(raw: str, reason: str) -> None:
    result = PARSER.parse(raw)
    assert result == PhoneResult(raw, PhoneVerdict.INVALID, None, None, None, result.reason)
    assert result.reason.startswith(reason)


@pytest.mark.parametrize(
    ("raw", "e164", "region"),
    [
        ("+64 21 123 4567", "+64211234567", "NZ"),
        ("0064 21 123 4567", "+64211234567", "NZ"),
        ("0011 64 21 123 4567", "+64211234567", "NZ"),
        ("+44 7400 123456", "+447400123456", "GB"),
        ("+65 9123 4567", "+6591234567", "SG"),
    ],
)
def test_international_mobiles_are_sent_in_e164(raw: str, e164: str, region: str) -> None:
    for parser in (PARSER, E164_PARSER):
        assert parser.parse(raw) == PhoneResult(raw, PhoneVerdict.MOBILE, e164, e164, region, "")


def test_international_landline_is_not_a_mobile() -> None:
    result = PARSER.parse("+44 20 7946 0000")
    assert result.verdict is PhoneVerdict.NOT_MOBILE and result.region == "GB"
    assert result.reason == "+442079460000 is a landline (London): SMS cannot be delivered to it"


def test_australian_numbers_can_be_sent_in_e164() -> None:
    assert E164_PARSER.parse("0412 345 678").to_send == "+61412345678"
    assert E164_PARSER.parse("+61 (0) 412 345 678").to_send == "+61412345678"  # slow path
    landline = E164_PARSER.parse("02 9876 5432")
    assert landline.to_send == "+61298765432" and landline.reason.startswith("+61298765432 is")


def test_default_region_decides_what_a_national_number_means() -> None:
    nz = PhoneParser(default_region="NZ")
    assert nz.parse("021 123 4567") == PhoneResult(
        "021 123 4567", PhoneVerdict.MOBILE, "+64211234567", "+64211234567", "NZ", ""
    )
    assert nz.parse("0412 345 678").verdict is PhoneVerdict.INVALID  # not an NZ number
    for raw in ("+61 412 345 678", "0061 412 345 678"):  # 00 is New Zealand's own prefix
        assert nz.parse(raw).to_send == "0412345678"


def test_unknown_default_region_is_refused() -> None:
    with pytest.raises(ValueError, match="not a country code"):
        PhoneParser(default_region="XX")


def test_result_is_a_frozen_value() -> None:
    result = PARSER.parse("0412 345 678")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.to_send = "0400000000"  # type: ignore[misc]


def test_other_scripts_digits_are_sent_as_plain_digits() -> None:
    result = PARSER.parse("٠٤١٢٣٤٥٦٧٨")  # Arabic-Indic digits
    assert result.verdict is PhoneVerdict.MOBILE and result.to_send == "0412345678"


# --- matching what the server echoes -------------------------------------------------------


@pytest.mark.parametrize(
    "numbers",
    [
        ["0412 345 678", "61412345678", "+61412345678", "412345678", "0061412345678"],
        ["0441 234 567", "61441234567", "+61 441 234 567"],  # not in use, still matched
        ["+64 21 123 4567", "64211234567", "0064211234567"],
        ["1300 123 456", "+611300123456"],
    ],
)
def test_matching_key_is_equal_across_echo_forms(numbers: list[str]) -> None:
    keys = {PARSER.matching_key(n) for n in numbers}
    assert len(keys) == 1 and None not in keys


def test_matching_key_falls_back_to_digits() -> None:
    assert PARSER.matching_key("12") == "12"
    assert PARSER.matching_key("4.12E+08") == "41208"
    assert PARSER.matching_key("no number here") is None
    assert PARSER.matching_key("0412 345 678") != PARSER.matching_key("0412 345 679")


# --- the command line's rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0412 345 678", True),
        ("+61 (4) 1234-5678", True),
        ("0412\u00a0345\u00a0678", True),
        ("12345678", True),
        ("1234567", False),  # too few digits: a client code
        ("03037", False),
        ("0412abc678", False),
        ("4.12E+08", False),
        ("John Smith", False),
        ("", False),
    ],
)
def test_looks_like_phone_number(value: str, expected: bool) -> None:
    assert looks_like_phone_number(value) is expected


# --- the fast path agrees with phonenumbers ------------------------------------------------


def test_fast_path_answers_common_shapes_without_phonenumbers_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("the fast path should have answered")

    monkeypatch.setattr(phonenumbers, "parse", refuse)
    for raw in [*PASTED_MOBILE_SHAPES[:12], *EXCEL_SHAPES, "02 9876 5432", "1300 123 456"]:
        assert PARSER.parse(raw).verdict is not PhoneVerdict.INVALID


def test_fast_path_agrees_with_phonenumbers_on_every_four_digit_prefix() -> None:
    # Every AU range down to four digits, for each first digit the fast path accepts.
    for prefix in range(2000, 9000):
        for suffix in ("00000", "98765"):
            raw = f"0{prefix}{suffix}"
            assert PARSER.parse(raw) == _parse_slow(raw), raw


@given(
    digits=st.from_regex(r"\+?[0-9]{4,15}", fullmatch=True),
    region=st.sampled_from(["AU", "NZ", "GB", "US"]),
)
def test_validity_from_number_type_is_phonenumbers_validity(digits: str, region: str) -> None:
    # The slow path relies on this to save a second metadata lookup.
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return
    is_typed = phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.UNKNOWN
    assert is_typed == phonenumbers.is_valid_number(number)


def _spaced(n: str) -> str:
    return f"{n[:-6]} {n[-6:-3]} {n[-3:]}"


def _scientific(n: str) -> str:
    digits = n.lstrip("0") or "0"
    return f"{digits[0]}.{digits[1:]}E+{len(digits) - 1:02d}"


SHAPES: list[Callable[[str], str]] = [
    lambda n: n,
    lambda n: "0" + n,
    lambda n: "61" + n,
    lambda n: "+61" + n,
    lambda n: "+61 " + _spaced(n),
    lambda n: "0061 " + _spaced(n),
    lambda n: "0011 61 " + n,
    lambda n: "+61 (0) " + n,
    lambda n: f"(0{n[:1]}) {n[1:5]} {n[5:]}",
    lambda n: "0" + _spaced(n).replace(" ", "-"),
    lambda n: f"{n}.0",
    _scientific,
    lambda n: f"{int(n):,}",
    lambda n: "0" + _spaced(n).replace(" ", "\u00a0"),
    lambda n: ("0" + n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
]
AU_LOOKING = st.one_of(
    st.from_regex(r"[2-478][0-9]{8}", fullmatch=True),  # landlines, mobiles and typos of them
    st.from_regex(r"4[0-9]{6,10}", fullmatch=True),  # mobiles with digits missing or extra
    st.from_regex(r"1[38]00[0-9]{6}|13[0-9]{4}|1[0-9]{5,10}", fullmatch=True),
)


@settings(max_examples=400)
@given(
    nsn=AU_LOOKING,
    shape=st.sampled_from(SHAPES),
    region=st.sampled_from(["AU", "NZ"]),
    au_format=st.sampled_from(list(AuFormat)),
)
def test_fast_path_and_phonenumbers_agree(
    nsn: str, shape: Callable[[str], str], region: str, au_format: AuFormat
) -> None:
    raw = shape(nsn)
    fast = PhoneParser(region, au_format).parse(raw)
    assert fast == _parse_slow(raw, region, au_format)
    if fast.verdict is not PhoneVerdict.INVALID:  # and both agree with phonenumbers itself
        assert fast.e164 is not None
        assert phonenumbers.is_valid_number(phonenumbers.parse(fast.e164))


def test_fast_path_pattern_is_built_from_phonenumbers_metadata() -> None:
    au = phonenumbers.PhoneMetadata.metadata_for_region("AU")
    assert au is not None and au.mobile is not None and au.mobile.national_number_pattern
    assert au.mobile.national_number_pattern in phone._AU_TYPING.pattern
