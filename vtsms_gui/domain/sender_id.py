"""Australian rules for the SMS sender ID (the "from" shown on the student's phone)."""

from __future__ import annotations

import re
from dataclasses import dataclass

ALPHANUMERIC_MIN = 2
ALPHANUMERIC_MAX = 11
NUMERIC_MAX_DIGITS = 15

_NUMERIC = re.compile(r"\+?[0-9]+")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")

UNVERIFIED_NOTE = (
    "Since 1 July 2026 Australian carriers label messages from a sender name that is not in "
    'the ACMA SMS Sender ID Register as "Unverified". Check that your organisation has '
    "registered it."
)


@dataclass(frozen=True)
class SenderCheck:
    """`problem` breaks the rules (the gateway may reject or rewrite it); `note` is advice."""

    kind: str  # "none", "numeric" or "alphanumeric"
    problem: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def check_sender(sender: str) -> SenderCheck:
    if sender == "":
        return SenderCheck(
            "none", note="No sender given: the SMS gateway's default number is used."
        )
    if _NUMERIC.fullmatch(sender):
        digits = len(sender.lstrip("+"))
        if digits > NUMERIC_MAX_DIGITS:
            return SenderCheck(
                "numeric",
                problem=f"A numeric sender can have at most {NUMERIC_MAX_DIGITS} digits "
                f"(this one has {digits}).",
            )
        return SenderCheck("numeric")
    return _check_alphanumeric(sender)


def _check_alphanumeric(sender: str) -> SenderCheck:
    if not _PRINTABLE_ASCII.fullmatch(sender):
        bad = next(ch for ch in sender if not _PRINTABLE_ASCII.fullmatch(ch))
        return SenderCheck(
            "alphanumeric",
            problem=f"A sender name can only use plain keyboard characters; {bad!r} is not one.",
        )
    if not ALPHANUMERIC_MIN <= len(sender) <= ALPHANUMERIC_MAX:
        return SenderCheck(
            "alphanumeric",
            problem=f"A sender name must be {ALPHANUMERIC_MIN} to {ALPHANUMERIC_MAX} characters "
            f"long (this one has {len(sender)}).",
        )
    if sender[0] in " _" or sender[-1] in " _":
        return SenderCheck(
            "alphanumeric",
            problem="A sender name cannot start or end with a space or an underscore.",
        )
    return SenderCheck("alphanumeric", note=UNVERIFIED_NOTE)
