"""What happened to each recipient of a send, and what VETtrak's status codes mean.

Shared by the client (which produces outcomes), the journal (which records them) and the
window and command line (which show them). The journal keeps VETtrak's own words (`detail`);
what a person reads is `outcome_reason`, one sentence of what happened and what to do, the same
in the grid, the History window, the exports and `vtsms`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from vtsms_gui.domain.send_plan import Batch

STATUS_QUEUED = 1
STATUS_NO_MOBILE = -1
STATUS_CODE_NOT_FOUND = -2

_STATUS_MEANINGS = {
    STATUS_QUEUED: "queued for sending",
    STATUS_NO_MOBILE: "no mobile number / nothing to send to",
    STATUS_CODE_NOT_FOUND: "client code not found",
}

NOT_RETURNED_DETAIL = "not in the server's results (e.g. excluded as opted out of marketing)"
UNKNOWN_DETAIL = (
    "the request may have reached VETtrak but no readable reply came back: "
    "check the SMS history in VETtrak before resending"
)
NOT_SENT_DETAIL = "not sent: the send stopped before this batch"

# VETtrak's refusals, said with what to do.
CODE_NOT_FOUND_ADVICE = (
    "VETtrak has no client with this code: fix the code (Excel may have removed a leading "
    "zero) or replace it with the student's mobile, then resend."
)
NO_MOBILE_ADVICE = (
    "VETtrak holds no mobile number for this client: add it in VETtrak or give the mobile in "
    "the list, then resend."
)
NOT_RETURNED_ADVICE = (
    "VETtrak did not send to this recipient and did not say why (usually they opted out of "
    "marketing messages): check their record in VETtrak before sending to them again."
)
NOT_SENT_ADVICE = (
    "The send stopped before this batch, so nothing went to this recipient: resend to them "
    "once the cause is fixed."
)


class Outcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_SENT = "not_sent"


def describe_status(status: int) -> str:
    """Plain-English meaning of a TSMSResult status; undocumented values are shown raw."""
    return _STATUS_MEANINGS.get(status, f"status {status} (not documented)")


def outcome_reason(outcome: RecipientOutcome) -> str:
    """What happened to this recipient and what to do, in one sentence, for a person to read."""
    return reason_for(outcome.outcome, outcome.status, outcome.detail)


def reason_for(outcome: Outcome, status: int | None, detail: str) -> str:
    """`outcome_reason` from its parts: for a row known only by its outcome and detail."""
    if outcome is Outcome.FAILED:
        if status == STATUS_NO_MOBILE:
            return NO_MOBILE_ADVICE
        if status == STATUS_CODE_NOT_FOUND:
            return CODE_NOT_FOUND_ADVICE
        if status is None and detail == NOT_RETURNED_DETAIL:
            return NOT_RETURNED_ADVICE
        if status is not None and status != STATUS_QUEUED:
            return (
                f"VETtrak refused this recipient with status {status}, which its documentation "
                "does not explain: check the client in VETtrak before resending."
            )
    if outcome is Outcome.NOT_SENT and detail == NOT_SENT_DETAIL:
        return NOT_SENT_ADVICE
    if detail in (UNKNOWN_DETAIL, describe_status(STATUS_QUEUED)):
        return f"{detail[:1].upper()}{detail[1:]}."
    # Any other detail already says what happened and what to do (not sent: why), as written.
    return detail[:1].upper() + detail[1:]


def outcome_for_status(status: int) -> Outcome:
    # Only 1 is documented as success; anything else is treated as a failure and shown raw.
    return Outcome.SENT if status == STATUS_QUEUED else Outcome.FAILED


@dataclass(frozen=True, slots=True)
class RecipientOutcome:
    """One planned recipient's fate. `row` is its index in the user's list."""

    row: int
    client_code: str | None
    mobile: str | None
    status: int | None
    outcome: Outcome
    detail: str
    batch: int

    def to_json(self) -> dict[str, object]:
        return {
            "client_code": self.client_code,
            "mobile": self.mobile,
            "status": self.status,
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class OutcomeCounts:
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    not_sent: int = 0

    @classmethod
    def of(cls, outcomes: Sequence[RecipientOutcome]) -> OutcomeCounts:
        counts = dict.fromkeys(Outcome, 0)
        for item in outcomes:
            counts[item.outcome] += 1
        return cls(
            sent=counts[Outcome.SENT],
            failed=counts[Outcome.FAILED],
            unknown=counts[Outcome.UNKNOWN],
            not_sent=counts[Outcome.NOT_SENT],
        )


class SendRecorder(Protocol):
    """Where a send is written down before and after each request (the send journal).

    Both calls must be durable before they return: the request for a batch leaves only
    after `batch_started` has returned.
    """

    def batch_started(self, batch: Batch) -> None: ...

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None: ...
