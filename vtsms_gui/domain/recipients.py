"""Recipients (a client code and/or a mobile) from an imported table, each checked into ok,
warning or invalid with a plain reason, duplicates pointed at the row they repeat."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from vtsms_gui.domain.column_mapping import ColumnMapping, header_names
from vtsms_gui.domain.leading_zeros import find_lost_zeros
from vtsms_gui.domain.phone import PhoneParser, PhoneResult, PhoneVerdict
from vtsms_gui.domain.tables import Table

__all__ = [
    "CLIENT_CODE_MAX_LENGTH",
    "CheckedRecipient",
    "Recipient",
    "RecipientSummary",
    "RowState",
    "check_recipients",
    "normalise_client_code",
    "recipients_from_table",
    "summarise",
]

CLIENT_CODE_MAX_LENGTH = 10  # VETtrak's limit

# Spaces and invisible characters that come along with copied cells (web pages, Word, Excel).
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff\u00ad")
_EXCEL_DECIMAL = re.compile(r"(\d+)\.0+")
# Excel always writes the "+": without it, "1E5" is as likely an alphanumeric client code.
_EXCEL_SCIENTIFIC = re.compile(r"(\d)(?:\.(\d+))?[eE]\+(\d{1,2})")


class RowState(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"  # will be sent, but the user should look at it
    INVALID = "invalid"  # will not be sent


@dataclass(frozen=True, slots=True)
class Recipient:
    """One row of the user's list, cells cleaned of surrounding spaces but otherwise as typed.

    `extra` keeps the other columns, (header, value), for display.

    `headers` and `cells` are the whole source row (every column, mapped ones included, cells
    stripped), for personalised messages: the headers as in the file ("" for an empty one), or
    the names the grid shows for a headerless table. Rows of one table share one `headers`
    tuple. They are not part of equality (they repeat what the other fields hold), and are
    empty for rows typed in by hand, whose fields are then Name and the `extra` headers.
    """

    client_code: str | None
    mobile: str | None
    name: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    headers: tuple[str, ...] = field(default=(), compare=False)
    cells: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class CheckedRecipient:
    """A recipient with its verdict. `duplicate_of` is the index of the earlier row it repeats.

    What is sent (the TSMSRecipient): the client code when there is one, with the mobile when it
    is a usable number. A row whose number is invalid or a landline but that has a client code is
    sent by code only, to the mobile VETtrak holds for that client; a landline without a code is
    sent as it is (the plan warns that it will fail). Invalid rows and duplicates are not sent.
    """

    recipient: Recipient
    state: RowState
    reason: str
    phone: PhoneResult | None
    duplicate_of: int | None

    @property
    def send_code(self) -> str | None:
        if self.state is RowState.INVALID:
            return None
        return normalise_client_code(self.recipient.client_code or "")[0]

    @property
    def send_mobile(self) -> str | None:
        if self.state is RowState.INVALID or self.phone is None:
            return None
        if self.phone.verdict is PhoneVerdict.MOBILE:
            return self.phone.to_send
        if self.send_code is not None:
            return None  # VETtrak's stored mobile is a better bet than this number
        return self.phone.to_send

    @property
    def sendable(self) -> bool:
        return (
            self.state is not RowState.INVALID
            and self.duplicate_of is None
            and (self.send_code is not None or self.send_mobile is not None)
        )


@dataclass(frozen=True)
class RecipientSummary:
    total: int
    ok: int
    warnings: int  # duplicates and landlines included
    invalid: int
    duplicates: int
    landlines: int  # numbers that cannot take an SMS (landlines, 1300...)

    def __str__(self) -> str:
        parts = [_count(self.total, "recipient")]
        if self.invalid:
            parts.append(f"{self.invalid:,} invalid")
        if self.duplicates:
            parts.append(_count(self.duplicates, "duplicate"))
        if self.landlines:
            parts.append(_count(self.landlines, "landline"))
        others = self.warnings - self.duplicates - self.landlines
        if others > 0:
            parts.append(_count(others, "warning"))
        return " · ".join(parts)


def normalise_client_code(raw: str) -> tuple[str | None, str]:
    """(code, "") for a usable client code, (None, problem) for a bad one, (None, "") for blank.

    Leading zeros are kept (codes are text); Excel's float form `3037.0` becomes `3037`. A zero
    Excel already dropped (`03037` shown as `3037`) cannot be known, so it is not guessed back.
    """
    code = _clean(raw)
    if not code:
        return None, ""
    code = _undo_excel_number(code)
    if _EXCEL_SCIENTIFIC.fullmatch(code):
        return None, (
            f"Excel shortened this client code to {code}, so its digits are lost: format the "
            "column as Text in Excel and copy the codes again"
        )
    hidden = next((ch for ch in code if not ch.isprintable()), None)
    if hidden is not None:
        # Control and invisible characters cannot travel in the SOAP request (XML 1.0) and
        # are never part of a real code: usually debris from a copy out of another program.
        return None, (
            f"client code {code!r} contains an invisible character (U+{ord(hidden):04X}): retype it"
        )
    if len(code) > CLIENT_CODE_MAX_LENGTH:
        return None, (
            f"client code '{code}' is longer than {CLIENT_CODE_MAX_LENGTH} characters, "
            "VETtrak's limit"
        )
    return code, ""


def recipients_from_table(table: Table, mapping: ColumnMapping) -> list[Recipient]:
    """One recipient per data row (the header row, if any, skipped)."""
    names = header_names(table, mapping)
    if mapping.has_header and table.rows:
        headers = tuple(cell.strip() for cell in table.rows[0])
    else:
        headers = tuple(names)
    mapped = {i for i in (mapping.client_code, mapping.mobile, *mapping.name) if i is not None}
    extra_columns = [(i, name) for i, name in enumerate(names) if i not in mapped]
    rows = table.rows[1:] if mapping.has_header else table.rows
    width = table.width
    code_at = mapping.client_code if _fits(mapping.client_code, width) else None
    mobile_at = mapping.mobile if _fits(mapping.mobile, width) else None
    name_at = [i for i in mapping.name if _fits(i, width)]
    recipients = []
    for row in rows:
        code = _clean(row[code_at]) if code_at is not None else ""
        mobile = _clean(row[mobile_at]) if mobile_at is not None else ""
        name = " ".join(part for part in (_clean(row[i]) for i in name_at) if part)
        extra = tuple((header, row[i].strip()) for i, header in extra_columns)
        cells = tuple(cell.strip() for cell in row)
        recipients.append(Recipient(code or None, mobile or None, name, extra, headers, cells))
    return recipients


def check_recipients(
    recipients: Sequence[Recipient],
    parser: PhoneParser,
    *,
    require_client_code: bool = False,
    known_code_length: int | None = None,
) -> list[CheckedRecipient]:
    """Judge every row, then mark later rows with the same client code or number as duplicates.

    `require_client_code` is for sends that accept replies: VETtrak needs a code on every row.
    `known_code_length`: the length of this VETtrak's client codes, where past sends show it
    (core.history.server_code_length), so that shortened codes are caught in any list.
    Reasons name rows 1-based, in the order of `recipients`.
    """
    parsed: dict[str, PhoneResult] = {}  # the same number often appears many times
    checked = []
    for recipient in recipients:
        phone = None
        mobile = _clean(recipient.mobile or "")
        if mobile:
            phone = parsed.get(mobile)
            if phone is None:
                phone = parsed[mobile] = parser.parse(mobile)
        checked.append(_check_one(recipient, phone, require_client_code=require_client_code))
    return _mark_duplicates(_flag_lost_zeros(checked, known_code_length))


def _flag_lost_zeros(
    checked: list[CheckedRecipient], known_length: int | None
) -> list[CheckedRecipient]:
    """Ready rows whose digit-only code is shorter than the column's usual length (or the
    server's) become warnings: Excel probably removed their leading zeros (VETtrak would not
    find the client)."""
    codes = [item.recipient.client_code for item in checked]
    lost = find_lost_zeros(codes, known_length)
    if lost is None:
        return checked
    for row in lost.suggestions:
        item = checked[row]
        code = (item.recipient.client_code or "").strip()
        if item.state is RowState.OK:
            reason = lost.reason(row, code)
            checked[row] = CheckedRecipient(
                item.recipient, RowState.WARNING, reason, item.phone, item.duplicate_of
            )
    return checked


def summarise(checked: Sequence[CheckedRecipient]) -> RecipientSummary:
    states = [item.state for item in checked]
    return RecipientSummary(
        total=len(checked),
        ok=states.count(RowState.OK),
        warnings=states.count(RowState.WARNING),
        invalid=states.count(RowState.INVALID),
        duplicates=sum(item.duplicate_of is not None for item in checked),
        landlines=sum(
            item.state is not RowState.INVALID
            and item.phone is not None
            and item.phone.verdict is PhoneVerdict.NOT_MOBILE
            for item in checked
        ),
    )


# --- checking one row --------------------------------------------------------------------------


def _check_one(
    recipient: Recipient, phone: PhoneResult | None, *, require_client_code: bool
) -> CheckedRecipient:
    def verdict(state: RowState, reason: str) -> CheckedRecipient:
        return CheckedRecipient(recipient, state, reason, phone, None)

    code, code_problem = normalise_client_code(recipient.client_code or "")
    if code_problem:
        return verdict(RowState.INVALID, code_problem)
    if code is None and phone is None:
        return verdict(RowState.INVALID, "no client code and no mobile number")
    if code is None and require_client_code:
        return verdict(
            RowState.INVALID,
            "no client code: when replies are accepted, VETtrak needs a client code on every row",
        )
    if phone is None:
        return verdict(RowState.OK, f"sent to the mobile stored in VETtrak for client {code}")
    if phone.verdict is PhoneVerdict.MOBILE:
        note = f" ({phone.reason})" if phone.reason else ""
        if code is None:
            return verdict(RowState.OK, f"ready; no SMS history in VETtrak without a code{note}")
        return verdict(RowState.OK, f"ready; SMS history recorded on client {code}{note}")
    said = _as_typed(recipient, phone)
    if code is not None:
        return verdict(
            RowState.WARNING,
            f"{said}, so it is sent by client code only, to the mobile stored in VETtrak for "
            f"client {code}; check that VETtrak holds the right one",
        )
    if phone.verdict is PhoneVerdict.NOT_MOBILE:
        return verdict(
            RowState.WARNING,
            f"{said}, and it may still be charged; use the student's mobile or remove the row",
        )
    return verdict(RowState.INVALID, f"{said}; fix the number or remove the row")


_COUNT_PROBLEMS = ("too few digits", "too many digits", "wrong number of digits")


def _as_typed(recipient: Recipient, phone: PhoneResult) -> str:
    """The phone's reason as one clause that starts with the number as the person typed it:
    "0412 3 has too few digits for an Australian mobile", "07 3000 1234 is a landline"."""
    typed = _clean(recipient.mobile or "")
    reason = phone.reason.removesuffix(": check for a typo")
    first, _, rest = reason.partition(" ")
    if rest and _digits(first) and _digits(first) in {_digits(typed), _digits(phone.to_send)}:
        return f"{typed} {rest}"  # "0298765432 is a landline" in the person's own spacing
    if reason.startswith(_COUNT_PROBLEMS):
        return f"{typed} has {reason}"
    if reason.startswith("not a phone number"):
        return f"{typed} is {reason}"
    if reason.startswith(typed):
        return reason
    return f"{typed}: {reason}"


def _digits(text: str | None) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def _mark_duplicates(checked: list[CheckedRecipient]) -> list[CheckedRecipient]:
    first_by_code: dict[str, int] = {}
    first_by_number: dict[str, int] = {}
    for index, item in enumerate(checked):
        if item.state is RowState.INVALID:
            continue
        code = item.send_code
        number = _number_key(item)
        code_first = first_by_code.get(code.casefold()) if code else None
        number_first = first_by_number.get(number) if number else None
        if code_first is None and number_first is None:
            if code:
                first_by_code[code.casefold()] = index
            if number:
                first_by_number[number] = index
            continue
        if code_first is not None:
            first, same = code_first, "same client code"
        else:
            assert number_first is not None
            first, same = number_first, "same mobile number"
        reason = f"duplicate of row {first + 1} ({same}); it is not sent again"
        if item.state is RowState.WARNING:
            reason += f"; also: {item.reason}"
        checked[index] = CheckedRecipient(
            item.recipient, RowState.WARNING, reason, item.phone, first
        )
    return checked


def _number_key(item: CheckedRecipient) -> str | None:
    if item.send_mobile is None or item.phone is None:
        return None
    return item.phone.e164 or item.send_mobile


# --- helpers -----------------------------------------------------------------------------------


def _clean(cell: str) -> str:
    if cell.isascii():  # the common case, and translate() is slow
        return cell.strip()
    return cell.translate(_INVISIBLE).strip()


def _undo_excel_number(text: str) -> str:
    """`3037.0` -> `3037`, `3.037E+03` -> `3037`; text Excel did not reformat is returned as is.

    Scientific notation that hid digits (`3.04E+03` for 3037) is left alone: it cannot be undone.
    """
    if match := _EXCEL_DECIMAL.fullmatch(text):
        return match.group(1)
    if match := _EXCEL_SCIENTIFIC.fullmatch(text):
        head, decimals, exponent = match.group(1), match.group(2) or "", int(match.group(3))
        if len(decimals) == exponent:
            return head + decimals
    return text


def _fits(index: int | None, width: int) -> bool:
    return index is not None and 0 <= index < width


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
