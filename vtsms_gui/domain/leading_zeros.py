"""Client codes that Excel has damaged: a spreadsheet opened and saved in Excel stores `03038` as
the number 3038, so VETtrak later answers "client code not found". Spotted here by their
length, before anything is sent, with the code each most likely was.

Written by hand: no library knows VETtrak's codes. The rule: in a column of digit-only codes of
mixed lengths, the usual length is the longest one that several codes share (or the server's,
when it is known); a digit-only code shorter than that probably lost its leading zeros.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# A length must be shared by this many codes (or this share of them) to count as the usual one,
# so that one mistyped long code does not make every other code look damaged.
_MIN_SHARING = 2
_MIN_SHARE = 0.05


@dataclass(frozen=True)
class LostZeros:
    """Rows whose codes look shortened, and the length the column's codes usually have."""

    length: int
    suggestions: dict[int, str]  # row -> the code padded with zeros to `length`
    from_server: bool = False  # `length` is that of the codes this VETtrak accepted before

    def reason(self, row: int, code: str) -> str:
        padded = self.suggestions[row]
        zeros = "zero" if len(padded) - len(code) == 1 else "zeros"
        where = (
            "The client codes you have sent to on this VETtrak have"
            if self.from_server
            else "Most client codes in this list have"
        )
        return (
            f"Excel may have removed a leading zero: {code} → {padded}? "
            f"{where} {self.length} digits; add the missing {zeros}, or fix the code."
        )


def find_lost_zeros(
    codes: Sequence[str | None], known_length: int | None = None
) -> LostZeros | None:
    """The rows of `codes` (cells as typed, None for none) that look shortened, or None.

    `known_length`: the length of this VETtrak's codes, when past sends show it: then even a
    list whose codes were all shortened alike (or a single code) is caught."""
    digits = {row: code.strip() for row, code in enumerate(codes) if code and code.strip()}
    digits = {row: code for row, code in digits.items() if code.isascii() and code.isdigit()}
    if not digits:
        return None
    length = known_length or _usual_length([len(code) for code in digits.values()])
    if length is None:
        return None
    suggestions = {row: code.zfill(length) for row, code in digits.items() if len(code) < length}
    return LostZeros(length, suggestions, bool(known_length)) if suggestions else None


def pad_codes(codes: Sequence[str | None], lost: LostZeros) -> list[str | None]:
    """`codes` with the suspected ones padded: the one-click repair the user is offered."""
    return [lost.suggestions.get(row, code) for row, code in enumerate(codes)]


def _usual_length(lengths: Sequence[int]) -> int | None:
    counts = Counter(lengths)
    if len(counts) < 2:
        return None  # all the same length: nothing to compare with
    needed = max(_MIN_SHARING, round(_MIN_SHARE * len(lengths)))
    shared = [length for length, n in counts.items() if n >= needed]
    return max(shared) if shared else None


__all__ = ["LostZeros", "find_lost_zeros", "pad_codes"]
