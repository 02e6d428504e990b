"""What a send will do before it does it: who gets it, in which batches, what it costs, and
what must be fixed (blockers) or at least seen (warnings) first.

The window's confirmation summary and `vtsms send` both show a plan built here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from vtsms_gui.domain.phone import PhoneVerdict
from vtsms_gui.domain.recipients import CheckedRecipient
from vtsms_gui.domain.sender_id import check_sender
from vtsms_gui.domain.sms_text import TextAnalysis, analyse

DEFAULT_BATCH_SIZE = 100
DEFAULT_MAX_PARTS = 6

# Words that show a commercial message tells people how to stop receiving them (Spam Act 2003).
_OPT_OUT_WORDS = re.compile(
    r"\b(stop|opt[\s-]?out|unsubscribe|unsub)\b",
    re.IGNORECASE,
)


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
    """One TSMSRecipient of a request. `row` is the recipient's index in the user's list."""

    row: int
    client_code: str | None
    mobile: str | None


@dataclass(frozen=True)
class Batch:
    number: int  # 1-based
    recipients: tuple[PlannedRecipient, ...]


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

    @property
    def credits(self) -> int:
        """Estimate: each part is charged once per recipient."""
        return self.analysis.segments * len(self.recipients)

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


def build_plan(
    message: str,
    checked: Sequence[CheckedRecipient],
    options: SendOptions,
    *,
    balance: int | None = None,
    now: datetime | None = None,
) -> SendPlan:
    recipients: list[PlannedRecipient] = []
    excluded: list[Exclusion] = []
    for row, item in enumerate(checked):
        if item.sendable:
            recipients.append(PlannedRecipient(row, item.send_code, item.send_mobile))
        else:
            excluded.append(Exclusion(row, item.reason))
    plan = _plan(message, recipients, tuple(excluded), options, balance=balance, now=now)
    return replace(plan, issues=(*plan.issues, *_landline_issues(checked)))


def plan_resend(
    message: str,
    recipients: Sequence[PlannedRecipient],
    options: SendOptions,
    *,
    balance: int | None = None,
    now: datetime | None = None,
) -> SendPlan:
    """A plan for rows of an earlier send (resume, resend failures): already checked once."""
    return _plan(message, recipients, (), options, balance=balance, now=now)


def _plan(
    message: str,
    recipients: Sequence[PlannedRecipient],
    excluded: tuple[Exclusion, ...],
    options: SendOptions,
    *,
    balance: int | None,
    now: datetime | None,
) -> SendPlan:
    size = options.batch_size
    batches = tuple(
        Batch(number, tuple(recipients[start : start + size]))
        for number, start in enumerate(range(0, len(recipients), size), start=1)
    )
    analysis = analyse(message)
    plan = SendPlan(
        message=message,
        analysis=analysis,
        options=options,
        recipients=tuple(recipients),
        excluded=excluded,
        batches=batches,
        balance=balance,
    )
    issues = [
        *_message_issues(message, analysis, options),
        *_recipient_issues(plan),
        *_option_issues(plan, now or datetime.now(UTC)),
    ]
    return replace(plan, issues=tuple(issues))


def _block(code: str, message: str) -> PlanIssue:
    return PlanIssue(Severity.BLOCK, code, message)


def _warn(code: str, message: str) -> PlanIssue:
    return PlanIssue(Severity.WARN, code, message)


def _message_issues(message: str, analysis: TextAnalysis, options: SendOptions) -> list[PlanIssue]:
    issues: list[PlanIssue] = []
    if not message.strip():
        issues.append(_block("empty_message", "The message is empty."))
    if analysis.invalid:
        shown = ", ".join(f"U+{ord(o.char):04X}" for o in analysis.invalid)
        issues.append(
            _block(
                "invalid_characters",
                f"The message contains characters that cannot be sent ({shown}). "
                "Remove them first.",
            )
        )
    if analysis.segments > options.max_parts:
        issues.append(
            _block(
                "too_many_parts",
                f"The message needs {analysis.segments} SMS parts; the limit is "
                f"{options.max_parts}. Shorten it"
                + (" or replace the characters that force Unicode." if analysis.non_gsm else "."),
            )
        )
    if options.marketing and not _OPT_OUT_WORDS.search(message):
        issues.append(
            _warn(
                "no_opt_out",
                "This is marked as marketing but says nothing about how to opt out. The Spam Act "
                'requires a working, free unsubscribe (e.g. "Reply STOP to opt out").',
            )
        )
    return issues


def _recipient_issues(plan: SendPlan) -> list[PlanIssue]:
    issues: list[PlanIssue] = []
    if not plan.recipients:
        issues.append(_block("no_recipients", "There is no valid recipient to send to."))
    if plan.options.accept_replies:
        missing = [r.row for r in plan.recipients if not r.client_code]
        if missing:
            issues.append(
                _block(
                    "replies_need_client_code",
                    f"Replies can only be accepted when every recipient has a client code; "
                    f"{_count(len(missing), 'recipient')} {_has(len(missing))} none "
                    f"(row {', '.join(str(r + 1) for r in missing[:5])}"
                    f"{'…' if len(missing) > 5 else ''}).",
                )
            )
    if plan.balance is not None and plan.recipients and plan.credits > plan.balance:
        issues.append(
            _warn(
                "over_balance",
                f"This send needs about {plan.credits:,} credits but the balance is "
                f"{plan.balance:,}: VETtrak will refuse the batches it cannot pay for.",
            )
        )
    return issues


def _landline_issues(checked: Sequence[CheckedRecipient]) -> list[PlanIssue]:
    landlines = sum(
        1
        for item in checked
        if item.sendable
        and item.send_mobile is not None
        and item.phone is not None
        and item.phone.verdict is PhoneVerdict.NOT_MOBILE
    )
    if landlines:
        return [
            _warn(
                "landlines",
                f"{_count(landlines, 'number')} in the list {_is(landlines)} not a mobile: "
                "SMS to a landline fails but may still be charged.",
            )
        ]
    return []


def _option_issues(plan: SendPlan, now: datetime) -> list[PlanIssue]:
    options = plan.options
    issues: list[PlanIssue] = []
    if options.accept_replies:
        if options.sender:
            issues.append(
                _warn(
                    "sender_ignored",
                    "The sender is ignored when replies are accepted: the SMS gateway supplies a "
                    "number people can reply to.",
                )
            )
    else:
        sender = check_sender(options.sender)
        if sender.problem:
            issues.append(_warn("sender_rules", sender.problem))
        elif sender.kind == "alphanumeric":
            issues.append(_warn("sender_unverified", sender.note))
    if options.schedule is not None and options.schedule <= now:
        issues.append(
            _warn("schedule_past", "The scheduled time is in the past: the SMS will go out now.")
        )
    return issues


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


def _has(n: int) -> str:
    return "has" if n == 1 else "have"
