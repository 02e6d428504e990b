"""Turn phone numbers as office staff paste them into the form to send, with a plain verdict.

Validation is the phonenumbers library's (Google's libphonenumber data); a fast path for the
common Australian shapes types numbers with one regex built from that same data at import.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberDesc,
    PhoneNumberFormat,
    PhoneNumberType,
    ValidationResult,
)

__all__ = [
    "AuFormat",
    "PhoneParser",
    "PhoneResult",
    "PhoneVerdict",
    "looks_like_phone_number",
]


class PhoneVerdict(enum.StrEnum):
    """Whether a pasted value can take an SMS."""

    MOBILE = "mobile"
    NOT_MOBILE = "not_mobile"  # a real number that cannot take an SMS (landline, 1300, ...)
    INVALID = "invalid"


class AuFormat(enum.StrEnum):
    """How Australian mobiles are sent: `0412345678` or `+61412345678`."""

    NATIONAL = "national"
    E164 = "e164"


@dataclass(frozen=True, slots=True)
class PhoneResult:
    """One pasted value and what to do with it.

    `to_send` is set for MOBILE (and for NOT_MOBILE, to show the user; it is never sent);
    `e164` is the key for matching and de-duplication; `reason` is "" for a clean mobile.
    """

    raw: str
    verdict: PhoneVerdict
    to_send: str | None
    e164: str | None
    region: str | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.verdict is PhoneVerdict.MOBILE


_NOT_MOBILE_TYPES: dict[int, str] = {
    PhoneNumberType.FIXED_LINE: "a landline",
    PhoneNumberType.TOLL_FREE: "a freecall number",
    PhoneNumberType.SHARED_COST: "a shared-cost business number",
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.VOIP: "an internet phone (VoIP) number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal forwarding number",
    PhoneNumberType.PAGER: "a pager number",
    PhoneNumberType.UAN: "a company switchboard number",
    PhoneNumberType.VOICEMAIL: "a voicemail access number",
}
_AU_NOT_MOBILE_TYPES: dict[int, str] = {
    PhoneNumberType.TOLL_FREE: "a freecall 1800 number",
    PhoneNumberType.SHARED_COST: "a 13 or 1300 business number",
    PhoneNumberType.PREMIUM_RATE: "a premium-rate 190 number",
}
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_AU_MOBILE_EXAMPLE = "0412 345 678"

# Excel turns a number column into floats: 412345678.0, 4.12345678E+08 or 412,345,678.
_EXCEL_DECIMAL = re.compile(r"([0-9]+)\.0+")
_EXCEL_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]{1,2}")
_EXCEL_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.0+)?")
_LETTER = re.compile(r"[^\W\d_]")
_UNUSUAL = re.compile(r"[^0-9+()\-/]")  # what may be a letter or Excel damage
# Separators people type or paste between digit groups (phonenumbers ignores them too; removing
# them here lets the fast path see the bare digits). NFKC has already turned NBSP into spaces.
_SEPARATORS = str.maketrans("", "", "-.()/[]\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
# More digits than one E.164 number holds (15), with a list separator: two numbers in one cell.
_TWO_NUMBERS = 16
_COMPACT = re.compile(r"\+?\d+")
_PHONE_CHARACTERS = re.compile(r"[\d\s+\-().\u00a0\u202f]+")


class _Cleaned(NamedTuple):
    """A pasted value with Excel damage undone and separators removed: digits, maybe a + first."""

    compact: str
    note: str  # e.g. "converted from Excel number 4.12345678E+08"


# --- The fast path: built from phonenumbers' own AU metadata, so it cannot drift from it. -----

# The AU number types in the order phonenumbers tries them when it types a number.
_AU_TYPE_ORDER = {
    "premium_rate": PhoneNumberType.PREMIUM_RATE,
    "toll_free": PhoneNumberType.TOLL_FREE,
    "shared_cost": PhoneNumberType.SHARED_COST,
    "voip": PhoneNumberType.VOIP,
    "personal_number": PhoneNumberType.PERSONAL_NUMBER,
    "pager": PhoneNumberType.PAGER,
    "uan": PhoneNumberType.UAN,
    "voicemail": PhoneNumberType.VOICEMAIL,
    "fixed_line_or_mobile": PhoneNumberType.FIXED_LINE_OR_MOBILE,
    "fixed_line": PhoneNumberType.FIXED_LINE,
    "mobile": PhoneNumberType.MOBILE,
}


def _au_typing_pattern() -> re.Pattern[str]:
    """One regex that types an AU national significant number exactly as phonenumbers does.

    Each alternative is one type's pattern (with its allowed lengths) from phonenumbers' metadata,
    behind the general pattern, in phonenumbers' order, so the first to match wins as it does
    there; `match.lastgroup` names the type. A number both fixed-line and mobile is typed
    FIXED_LINE_OR_MOBILE. Compiled once: one C-level match instead of a dozen Python calls.
    """
    au = PhoneMetadata.metadata_for_region("AU")
    assert au is not None and not au.same_mobile_and_fixed_line_pattern
    # The fast path answers "AU" without asking phonenumbers which region +61 means.
    assert phonenumbers.COUNTRY_CODE_TO_REGION_CODE[61][0] == "AU" and au.leading_digits is None

    def pattern(desc: PhoneNumberDesc | None) -> str | None:
        if desc is None or not desc.national_number_pattern:
            return None
        assert re.compile(desc.national_number_pattern).groups == 0  # lastgroup must be ours
        # The digits first (most types fail on the first one), then phonenumbers' length rule.
        lengths = "|".join(f"[0-9]{{{n}}}" for n in desc.possible_length or ()) or "[0-9]+"
        return f"(?=(?:{desc.national_number_pattern})\\Z)(?:{lengths})"

    general, mobile = pattern(au.general_desc), pattern(au.mobile)
    descs = {name: getattr(au, name, None) for name in _AU_TYPE_ORDER}
    descs["fixed_line_or_mobile"] = au.fixed_line
    branches = []
    for name, desc in descs.items():
        if body := pattern(desc):
            both = f"(?={mobile}\\Z)" if name == "fixed_line_or_mobile" else ""
            branches.append(f"(?P<{name}>{both}{body})\\Z")
    assert general and mobile and branches
    # ASCII: only plain digits take the fast path (phonenumbers maps other scripts' digits).
    return re.compile(f"(?=(?:{general})\\Z)(?:{'|'.join(branches)})", re.ASCII)


def _au_national_prefixes() -> dict[int, str]:
    """The trunk prefix phonenumbers writes before each AU type nationally: 02.., 04.. but 1300.."""
    prefixes = {}
    for number_type in _AU_TYPE_ORDER.values():
        example = phonenumbers.example_number_for_type("AU", number_type)
        if example is not None:
            national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
            digits = phonenumbers.normalize_digits_only(national)
            prefixes[number_type] = digits.removesuffix(
                phonenumbers.national_significant_number(example)
            )
    prefixes[PhoneNumberType.FIXED_LINE_OR_MOBILE] = prefixes[PhoneNumberType.MOBILE]
    return prefixes


_AU_TYPING = _au_typing_pattern()
_AU_PREFIX = _au_national_prefixes()
# Shapes that phonenumbers reads as an AU national significant number: 9 digits (landlines,
# mobiles) after +61, 61 or 0, or bare; 13, 1300 and 1800 numbers bare or after +61.
_AU_SHAPE_FROM_AU = re.compile(
    r"(?:\+61|61|0)?([2-478][0-9]{8})|(?:\+61)?(1[38]00[0-9]{6}|13[0-9]{4})"
)
# With another default country only +61 means Australia.
_AU_SHAPE_FROM_ELSEWHERE = re.compile(r"\+61(?:([2-478][0-9]{8})|(1[38]00[0-9]{6}|13[0-9]{4}))")


class PhoneParser:
    """Parses pasted phone numbers for one default country and one AU sending format."""

    def __init__(self, default_region: str = "AU", au_format: AuFormat = AuFormat.NATIONAL) -> None:
        region = default_region.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"{default_region!r} is not a country code such as AU or NZ.")
        self.default_region = region
        self.au_format = AuFormat(au_format)
        self._au_shape = _AU_SHAPE_FROM_AU if region == "AU" else _AU_SHAPE_FROM_ELSEWHERE
        # Most of the world dials abroad with 00; Australia uses 0011, so 0061... reaches
        # phonenumbers as +61... unless 00 is already this country's international prefix.
        idd = PhoneMetadata.metadata_for_region(region)
        self._idd = (
            re.compile(idd.international_prefix) if idd and idd.international_prefix else None
        )

    def parse(self, raw: str) -> PhoneResult:
        cleaned = self._clean(raw)
        if isinstance(cleaned, PhoneResult):
            return cleaned
        return self._parse_au_fast(raw, cleaned) or self._parse_with_library(raw, cleaned)

    def matching_key(self, raw: str) -> str | None:
        """The E.164 form of any plausible number, else its digits; None when it has no digits.

        Matches what the server echoes (61412345678, +61412345678, 0412 345 678, and 64211234567
        for +64 21 123 4567) to what was sent.
        """
        cleaned = self._clean(raw)
        if isinstance(cleaned, PhoneResult):
            return phonenumbers.normalize_digits_only(raw) or None
        if shape := self._au_shape.fullmatch(cleaned.compact):
            return "+61" + (shape.group(1) or shape.group(2))
        readings = [self._parse_or_none(cleaned.compact)]
        if not cleaned.compact.startswith("+"):  # servers also echo E.164 without its +
            readings.append(self._parse_or_none("+" + cleaned.compact))
        numbers = [number for number in readings if number is not None]
        for accept in (phonenumbers.is_valid_number, phonenumbers.is_possible_number):
            for number in numbers:
                if accept(number):
                    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
        return phonenumbers.normalize_digits_only(cleaned.compact) or None

    # --- steps ---------------------------------------------------------------------------------

    def _clean(self, raw: str) -> _Cleaned | PhoneResult:
        """Undo paste and Excel damage; an INVALID result when it is not a number at all."""
        text = "".join(_normalise_unicode(raw).split())  # also drops tabs and no-break spaces
        if not text:
            return _invalid(raw, "no number")
        note = ""
        if _UNUSUAL.search(text):  # most pastes are digits and separators: skip these checks
            excel = _from_excel(text)
            if excel is not None:
                digits, problem = excel
                if problem:
                    return _invalid(raw, problem)
                note = f"converted from Excel number {text}"
                text = digits
            if _LETTER.search(text):
                return _invalid(raw, "not a phone number: contains letters")
        compact = text.translate(_SEPARATORS)
        if not _COMPACT.fullmatch(compact) or ("/" in text and len(compact) >= _TWO_NUMBERS):
            return _invalid(raw, _not_a_number_reason(compact))
        if compact.startswith("00") and not (self._idd and self._idd.match(compact)):
            compact = "+" + compact[2:]
        return _Cleaned(compact, note)

    def _parse_au_fast(self, raw: str, cleaned: _Cleaned) -> PhoneResult | None:
        """The result for a common AU shape that phonenumbers would call valid; None otherwise."""
        shape = self._au_shape.fullmatch(cleaned.compact)
        if shape is None:
            return None
        nsn = shape.group(1) or shape.group(2)
        typed = _AU_TYPING.fullmatch(nsn)
        number_type = _AU_TYPE_ORDER[typed.lastgroup or ""] if typed else PhoneNumberType.UNKNOWN
        if number_type not in _AU_PREFIX:  # invalid (phonenumbers will say why), or a rare type
            return None
        e164 = "+61" + nsn
        to_send = e164 if self.au_format is AuFormat.E164 else _AU_PREFIX[number_type] + nsn
        if number_type in _MOBILE_TYPES:  # the common case, kept short
            return PhoneResult(raw, PhoneVerdict.MOBILE, to_send, e164, "AU", cleaned.note)
        number = PhoneNumber(country_code=61, national_number=int(nsn))
        return _valid_result(
            raw, number, number_type, region="AU", to_send=to_send, e164=e164, note=cleaned.note
        )

    def _parse_or_none(self, text: str) -> PhoneNumber | None:
        try:
            return phonenumbers.parse(text, self.default_region)
        except NumberParseException:
            return None

    def _parse_with_library(self, raw: str, cleaned: _Cleaned) -> PhoneResult:
        try:
            number = phonenumbers.parse(cleaned.compact, self.default_region)
        except NumberParseException as error:
            return _invalid(raw, _with_note(_parse_error_reason(error), cleaned.note))
        # number_type is UNKNOWN exactly when is_valid_number is False (both ask the same
        # region's metadata), so one call answers both and saves a second lookup.
        number_type = phonenumbers.number_type(number)
        if number_type == PhoneNumberType.UNKNOWN:
            return _invalid(raw, _with_note(_invalid_reason(number, raw), cleaned.note))
        region = _region_of_valid(number)
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if region != "AU" or self.au_format is AuFormat.E164:
            to_send = e164
        else:
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            to_send = phonenumbers.normalize_digits_only(national)
        return _valid_result(
            raw, number, number_type, region=region, to_send=to_send, e164=e164, note=cleaned.note
        )


def _parse_slow(
    raw: str, default_region: str = "AU", au_format: AuFormat = AuFormat.NATIONAL
) -> PhoneResult:
    """The same as `PhoneParser.parse` without the fast path (tests prove the two agree)."""
    parser = PhoneParser(default_region, au_format)
    cleaned = parser._clean(raw)
    if isinstance(cleaned, PhoneResult):
        return cleaned
    return parser._parse_with_library(raw, cleaned)


def looks_like_phone_number(value: str) -> bool:
    """The command line's rule: only phone characters (digits, spaces, + - ( ) .) and 8+ digits."""
    if not _PHONE_CHARACTERS.fullmatch(value):
        return False
    return sum(ch.isdigit() for ch in value) >= 8


# --- helpers ---------------------------------------------------------------------------------


def _normalise_unicode(text: str) -> str:
    # NFKC maps full-width digits and plus signs to ASCII and no-break spaces to spaces.
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _from_excel(text: str) -> tuple[str, str] | None:
    """(digits, problem) when `text` is a number Excel reformatted; None when it is not one."""
    if match := _EXCEL_DECIMAL.fullmatch(text):
        return match.group(1), ""
    if _EXCEL_THOUSANDS.fullmatch(text):
        return text.split(".", maxsplit=1)[0].replace(",", ""), ""
    if not _EXCEL_SCIENTIFIC.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets valid decimals through
        return None
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    if decimals < int(exponent.lstrip("+")):
        # Excel kept only the leading digits and padded with zeros: the real number is lost.
        problem = (
            f"Excel shortened this number to {text}, so its last digits are lost: "
            "format the column as Text in Excel and copy the numbers again"
        )
        return "", problem
    return str(int(value)), ""


def _invalid_reason(number: PhoneNumber, raw: str) -> str:
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    if region == phonenumbers.UNKNOWN_REGION:
        return f"+{number.country_code} is not a country code in use"
    nsn = phonenumbers.national_significant_number(number)
    if region == "AU" and nsn.startswith("04") and len(nsn) < 10:  # "0412 3": kept its zero
        return f"too few digits for an Australian mobile (they look like {_AU_MOBILE_EXAMPLE})"
    if region == "AU" and nsn.startswith("4"):
        as_mobile = phonenumbers.is_possible_number_for_type_with_reason(
            number, PhoneNumberType.MOBILE
        )
        if as_mobile == ValidationResult.TOO_SHORT:
            return f"too few digits for an Australian mobile (they look like {_AU_MOBILE_EXAMPLE})"
        if as_mobile == ValidationResult.TOO_LONG:
            return f"too many digits for an Australian mobile (they look like {_AU_MOBILE_EXAMPLE})"
        return f"0{nsn} is not an Australian mobile number in use: check for a typo"
    where = _country_name(region)
    length = phonenumbers.is_possible_number_with_reason(number)
    if length == ValidationResult.TOO_SHORT:
        return f"too few digits for a phone number in {where}"
    if length == ValidationResult.TOO_LONG:
        return f"too many digits for a phone number in {where}"
    if length == ValidationResult.INVALID_LENGTH:
        return f"wrong number of digits for a phone number in {where}"
    # The number as typed: a half-normalised "+61 04123" would be no one's words.
    return f"{raw.strip()} is not a phone number in use in {where}: check for a typo"


def _not_a_number_reason(compact: str) -> str:
    digits = sum(ch.isdigit() for ch in compact)
    if digits == 0:
        return "not a phone number: contains no digits"
    if digits >= _TWO_NUMBERS:
        return "looks like more than one number: put each number in its own cell"
    odd = next(ch for i, ch in enumerate(compact) if not (ch.isdigit() or (ch == "+" and i == 0)))
    return f'not a phone number: contains "{odd}"'


def _parse_error_reason(error: NumberParseException) -> str:
    reasons = {
        NumberParseException.INVALID_COUNTRY_CODE: "the country code after + is not one in use",
        NumberParseException.NOT_A_NUMBER: "not a phone number",
        NumberParseException.TOO_SHORT_AFTER_IDD: "too few digits after the international prefix",
        NumberParseException.TOO_SHORT_NSN: "too few digits for a phone number",
        NumberParseException.TOO_LONG: "too many digits for a phone number",
    }
    return reasons.get(error.error_type, "not a phone number")


def _valid_result(
    raw: str,
    number: PhoneNumber,
    number_type: int,
    *,
    region: str | None,
    to_send: str,
    e164: str,
    note: str,
) -> PhoneResult:
    if number_type in _MOBILE_TYPES:
        return PhoneResult(raw, PhoneVerdict.MOBILE, to_send, e164, region, note)
    reason = _with_note(_not_mobile_reason(number, number_type, region, to_send), note)
    return PhoneResult(raw, PhoneVerdict.NOT_MOBILE, to_send, e164, region, reason)


def _region_of_valid(number: PhoneNumber) -> str | None:
    """The region of a valid number; only calling codes shared by several regions need a search."""
    regions = phonenumbers.region_codes_for_country_code(number.country_code or 0)
    return regions[0] if len(regions) == 1 else phonenumbers.region_code_for_number(number)


def _not_mobile_reason(
    number: PhoneNumber, number_type: int, region: str | None, shown: str
) -> str:
    names = _AU_NOT_MOBILE_TYPES if region == "AU" else {}
    kind = names.get(number_type) or _NOT_MOBILE_TYPES.get(number_type, "not a mobile number")
    if number_type == PhoneNumberType.FIXED_LINE and (place := _place_name(number)):
        kind += f" ({place})"
    return f"{shown} is {kind}: SMS cannot be delivered to it"


# The geocoder loads ~30 data modules (0.4 s), and only reasons for landlines and unusable numbers
# need it, so it is imported the first time one is seen rather than with this module.


def _place_name(number: PhoneNumber) -> str:
    from phonenumbers import geocoder

    return geocoder.description_for_valid_number(number, "en")


@functools.cache
def _country_name(region: str) -> str:
    from phonenumbers import geocoder

    # The geocoder names countries only through a number, so ask with the country's example.
    example = phonenumbers.example_number(region)
    return (geocoder.country_name_for_number(example, "en") if example else "") or region


def _invalid(raw: str, reason: str) -> PhoneResult:
    return PhoneResult(raw, PhoneVerdict.INVALID, None, None, None, reason)


def _with_note(reason: str, note: str) -> str:
    return f"{reason} ({note})" if note else reason
