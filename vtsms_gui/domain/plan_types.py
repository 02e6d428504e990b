"""A send's plan as data: the options, the recipients in their batches, what is left out, the
issues found, and what the plan resends of an earlier send. Built by send_plan.py, checked by
plan_checks.py; the journal, the client and both faces read it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from vtsms_gui.domain.personalise import Personalisation
from vtsms_gui.domain.sms_text import TextAnalysis

DEFAULT_BATCH_SIZE = 100
DEFAULT_MAX_PARTS = 6


@dataclass(frozen=True)
class SendOptions:
    sender: str = ""
    marketing: bool = False
    accept_replies: bool = False
    provider_id: str = ""
    schedule: datetime | None = None  # aware; None = send now
    batch_size: int = DEFAULT_BATCH_SIZE
    max_parts: int = DEFAULT_MAX_PARTS

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError("The batch size must be at least 1.")
        if self.max_parts < 1:
            raise ValueError("The maximum number of SMS parts must be at least 1.")
        if self.schedule is not None and self.schedule.utcoffset() is None:
            raise ValueError("A scheduled time needs a time zone.")


@dataclass(frozen=True, slots=True)
class PlannedRecipient:
    """One TSMSRecipient of a request. `row` is the recipient's index in the user's list.

    `text` is the exact text this row is sent; always set in a plan. On input to
    `plan_resend`, None means the earlier send's message as typed (a send journalled before
    per-row texts existed). Equality is the TSMSRecipient's (row, code, mobile), not the text,
    so rows read back from a journal that does not store texts yet still match their plan.
    """

    row: int
    client_code: str | None
    mobile: str | None
    text: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Batch:
    """One SendSMSMessages request: `text` goes to every recipient, `segments` parts each.

    Plans always set both; the defaults only keep code that rebuilds a batch from the journal
    (which does not store texts yet) working.
    """

    number: int  # 1-based
    recipients: tuple[PlannedRecipient, ...]
    text: str = ""
    segments: int = 1


class Severity(enum.StrEnum):
    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class PlanIssue:
    severity: Severity
    code: str
    message: str


@dataclass(frozen=True)
class Exclusion:
    row: int
    reason: str


@dataclass(frozen=True)
class ResendOf:
    """The rows of an earlier send that a new send goes to again (resending its failures).

    The journal records the hand-over with the new send, so those rows are never resent or
    resumed a second time from the earlier send.
    """

    send_id: str
    rows: tuple[int, ...]  # rows of the earlier send, as its recipients' `row`


@dataclass(frozen=True)
class SendPlan:
    message: str
    analysis: TextAnalysis
    options: SendOptions
    recipients: tuple[PlannedRecipient, ...]
    excluded: tuple[Exclusion, ...]
    batches: tuple[Batch, ...]
    balance: int | None
    issues: tuple[PlanIssue, ...] = field(default=())
    resend_of: ResendOf | None = None
    # Set when the message has placeholders: every row's text, parts and problems.
    personalisation: Personalisation | None = None

    @property
    def personalised(self) -> bool:
        return self.personalisation is not None

    @property
    def credits(self) -> int:
        """Each part is charged once per recipient: the exact sum over the rows sent."""
        return sum(b.segments * len(b.recipients) for b in self.batches)

    @property
    def balance_after(self) -> int | None:
        return None if self.balance is None else self.balance - self.credits

    @property
    def blockers(self) -> tuple[PlanIssue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.BLOCK)

    @property
    def warnings(self) -> tuple[PlanIssue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARN)

    @property
    def can_send(self) -> bool:
        return not self.blockers
