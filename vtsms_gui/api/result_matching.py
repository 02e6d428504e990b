"""Matches the server's per-recipient results to the recipients of a batch.

Results may come back in any order, with numbers reformatted, duplicated or missing, so they
are matched by client code and normalised number, never by position. No zeep here.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from vtsms_gui.domain.outcomes import (
    NOT_RETURNED_DETAIL,
    Outcome,
    RecipientOutcome,
    describe_status,
    outcome_for_status,
)
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.send_plan import Batch, PlannedRecipient

PhoneKey = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class RawResult:
    """One TSMSResult as the server sent it."""

    client_code: str | None
    mobile: str | None
    status: int


@lru_cache(maxsize=1)
def _default_key() -> PhoneKey:
    return PhoneParser().matching_key


def match_results(
    batch: Batch, results: Sequence[RawResult], key: PhoneKey | None = None
) -> list[RecipientOutcome]:
    """One outcome per recipient of `batch`, in the batch's order.

    Each result is used at most once, in passes from the most to the least specific match:
    code and number; code alone (a code-only recipient's result echoes the client's stored
    number); number alone. A recipient left without a result failed: the server did not
    report it (for example, opted out of marketing).
    """
    matcher = _Matcher(results, key or _default_key())
    claimed: list[RawResult | None] = [None] * len(batch.recipients)
    passes = (matcher.by_code_and_mobile, matcher.by_code, matcher.by_mobile)
    for find in passes:
        for index, recipient in enumerate(batch.recipients):
            if claimed[index] is None:
                claimed[index] = find(recipient)
    return [
        _outcome(recipient, result, batch.number)
        for recipient, result in zip(batch.recipients, claimed, strict=True)
    ]


class _Matcher:
    """The results not yet claimed, indexed by normalised code and number (batches are large)."""

    def __init__(self, results: Sequence[RawResult], key: PhoneKey) -> None:
        self._key = key
        self._keys: dict[str, str] = {}
        self._results = list(results)
        self._taken = [False] * len(results)
        self._by_pair: dict[tuple[str, str], deque[int]] = defaultdict(deque)
        self._by_code: dict[str, deque[int]] = defaultdict(deque)
        self._by_mobile_without_code: dict[str, deque[int]] = defaultdict(deque)
        self._by_mobile: dict[str, deque[int]] = defaultdict(deque)
        self._empty: deque[int] = deque()
        for index, result in enumerate(self._results):
            code, mobile = _code(result.client_code), self._mobile(result.mobile)
            if code is not None:
                self._by_code[code].append(index)
                if mobile is not None:
                    self._by_pair[code, mobile].append(index)
            if mobile is not None:
                self._by_mobile[mobile].append(index)
                if code is None:
                    self._by_mobile_without_code[mobile].append(index)
            if code is None and mobile is None:
                self._empty.append(index)

    def by_code_and_mobile(self, recipient: PlannedRecipient) -> RawResult | None:
        code, mobile = _code(recipient.client_code), self._mobile(recipient.mobile)
        if code is None or mobile is None:
            return None
        return self._take(self._by_pair.get((code, mobile)))

    def by_code(self, recipient: PlannedRecipient) -> RawResult | None:
        code = _code(recipient.client_code)
        return None if code is None else self._take(self._by_code.get(code))

    def by_mobile(self, recipient: PlannedRecipient) -> RawResult | None:
        if _code(recipient.client_code) is not None:
            return None
        mobile = self._mobile(recipient.mobile)
        if mobile is None:  # neither code nor number: the server answers -1 with both empty
            return self._take(self._empty)
        # Prefer a result without a code; a server may add the code of the number's owner.
        return self._take(self._by_mobile_without_code.get(mobile)) or self._take(
            self._by_mobile.get(mobile)
        )

    def _take(self, candidates: deque[int] | None) -> RawResult | None:
        while candidates:
            index = candidates.popleft()
            if not self._taken[index]:
                self._taken[index] = True
                return self._results[index]
        return None

    def _mobile(self, raw: str | None) -> str | None:
        if raw is None or not raw.strip():
            return None
        if raw not in self._keys:
            self._keys[raw] = self._key(raw) or raw.strip()
        return self._keys[raw]


def _code(raw: str | None) -> str | None:
    # VETtrak client codes are matched as text (leading zeros matter) but not by case or padding.
    if raw is None or not raw.strip():
        return None
    return raw.strip().casefold()


def _outcome(recipient: PlannedRecipient, result: RawResult | None, batch: int) -> RecipientOutcome:
    if result is None:
        return RecipientOutcome(
            row=recipient.row,
            client_code=recipient.client_code,
            mobile=recipient.mobile,
            status=None,
            outcome=Outcome.FAILED,
            detail=NOT_RETURNED_DETAIL,
            batch=batch,
        )
    return RecipientOutcome(
        row=recipient.row,
        client_code=recipient.client_code,
        # A code-only recipient's result says which stored number the SMS went to.
        mobile=recipient.mobile or result.mobile or None,
        status=result.status,
        outcome=outcome_for_status(result.status),
        detail=describe_status(result.status),
        batch=batch,
    )
