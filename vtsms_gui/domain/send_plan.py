"""What a send will do before it does it: who gets it, in which batches, what it costs, and
what must be fixed (blockers) or at least seen (warnings) first.

The window's confirmation summary and `vtsms send` both show a plan built here.

A message is a template (see `placeholders`): a personalised one is rendered for every row and
the recipients are grouped by their text, one request per distinct text (batched within a
group). `SendPlan.message` stays the template as typed; each `Batch.text` and
`PlannedRecipient.text` is the exact text sent. A message without placeholders gives one group,
so the same batches as before templates (its `{{`/`}}` sent as single braces).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from vtsms_gui.domain.personalise import Personalisation, PersonalisedRow, personalise
from vtsms_gui.domain.phone import PhoneVerdict
from vtsms_gui.domain.placeholders import Template, parse_template
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


def build_plan(
    message: str,
    checked: Sequence[CheckedRecipient],
    options: SendOptions,
    *,
    balance: int | None = None,
    now: datetime | None = None,
) -> SendPlan:
    """The plan for `message` (a template) to the rows of `checked` that can be sent."""
    template = parse_template(message)
    sendable = [item.sendable for item in checked]
    excluded: list[Exclusion] = []
    recipients: list[PlannedRecipient] = []
    personalisation = None
    if template.is_personalised and template.ok:
        personalisation = personalise(
            template, checked, max_parts=options.max_parts, sendable=sendable
        )
        texts, sent, noted = personalisation.texts, personalisation.sent, personalisation.noted
        for row, item in enumerate(checked):
            if sent[row]:
                recipients.append(
                    PlannedRecipient(row, item.send_code, item.send_mobile, texts[row])
                )
            elif sendable[row]:
                excluded.append(Exclusion(row, noted[row].problem))
            else:
                excluded.append(Exclusion(row, item.reason))
    else:
        text = _plain_text(template)
        for row, (item, ok) in enumerate(zip(checked, sendable, strict=True)):
            if ok:
                recipients.append(PlannedRecipient(row, item.send_code, item.send_mobile, text))
            else:
                excluded.append(Exclusion(row, item.reason))
    plan = _plan(
        message,
        recipients,
        tuple(excluded),
        options,
        balance=balance,
        now=now,
        template=template,
        personalisation=personalisation,
    )
    return replace(plan, issues=(*plan.issues, *_landline_issues(checked)))


def plan_resend(
    message: str,
    recipients: Sequence[PlannedRecipient],
    options: SendOptions,
    *,
    balance: int | None = None,
    now: datetime | None = None,
) -> SendPlan:
    """A plan for rows of an earlier send (resume, resend failures): already checked once.

    Each row is resent its own `text`; a row without one gets `message` exactly as typed.
    """
    planned = [r if r.text is not None else replace(r, text=message) for r in recipients]
    return _plan(message, planned, (), options, balance=balance, now=now, template=None)


def _plain_text(template: Template) -> str:
    """A template without placeholders as sent: its literal text (braces unescaped)."""
    return template.literal_text if template.ok else template.source


def _plan(
    message: str,
    recipients: Sequence[PlannedRecipient],
    excluded: tuple[Exclusion, ...],
    options: SendOptions,
    *,
    balance: int | None,
    now: datetime | None,
    template: Template | None,
    personalisation: Personalisation | None = None,
) -> SendPlan:
    size = options.batch_size
    groups: dict[str, list[PlannedRecipient]] = {}
    for r in recipients:
        assert r.text is not None
        groups.setdefault(r.text, []).append(r)
    analyses = {text: analyse(text) for text in groups} if len(groups) < 64 else {}
    batches: list[Batch] = []
    for text, members in groups.items():
        segments = _segments_of(text, analyses, personalisation, members[0].row)
        for start in range(0, len(members), size):
            batches.append(
                Batch(len(batches) + 1, tuple(members[start : start + size]), text, segments)
            )
    if recipients:
        first = recipients[0].text
        assert first is not None
        analysis = analyses.get(first) or analyse(first)
    elif template is not None:
        analysis = analyse(template.render({}).text if template.ok else message)
    else:
        analysis = analyse(message)
    plan = SendPlan(
        message=message,
        analysis=analysis,
        options=options,
        recipients=tuple(recipients),
        excluded=excluded,
        batches=tuple(batches),
        balance=balance,
        personalisation=personalisation,
    )
    if template is None:  # a resend: the texts were checked when first sent
        texts = list(groups) or [message]
        checked_text = max(texts, key=lambda t: analyses.get(t, analysis).segments)
        message_issues = _message_issues(
            checked_text, analyses.get(checked_text) or analyse(checked_text), options
        )
    else:
        message_issues = _template_issues(template, analysis, plan, options)
    issues = [
        *message_issues,
        *_recipient_issues(plan),
        *_option_issues(plan, now or datetime.now(UTC)),
    ]
    return replace(plan, issues=tuple(issues))


def _segments_of(
    text: str,
    analyses: dict[str, TextAnalysis],
    personalisation: Personalisation | None,
    row: int,
) -> int:
    if text in analyses:
        return analyses[text].segments
    if personalisation is not None:
        return personalisation.analyses[row].segments
    return analyse(text).segments


def _template_issues(
    template: Template, analysis: TextAnalysis, plan: SendPlan, options: SendOptions
) -> list[PlanIssue]:
    """Issues of the message as typed; for a personalised one, of its rows too."""
    if not template.ok:
        typed_issues = _message_issues(template.source, analyse(template.source), options)
        typed_issues.insert(0, _block("template_syntax", template.error_message()))
        return [i for i in typed_issues if i.code != "too_many_parts"]
    p = plan.personalisation
    if p is None:
        return _message_issues(template.literal_text, analysis, options)
    issues: list[PlanIssue] = []
    unknown = template.unknown_fields_message(p.fields)
    if unknown:
        issues.append(_block("unknown_field", unknown))
    for name in template.ambiguous_fields(p.fields):
        issues.append(_block("ambiguous_field", p.fields.ambiguous_message(name)))
    typed = analyse(template.literal_text)
    for issue in _message_issues(template.source, typed, options):
        if issue.code != "too_many_parts":
            issues.append(issue)
    summary = p.summary
    if summary.rows and summary.min_parts > options.max_parts:
        issues.append(
            _block(
                "too_many_parts",
                f"Every recipient's message needs more than {options.max_parts} SMS parts "
                f"(at least {summary.min_parts}). Shorten it.",
            )
        )
    elif summary.over_limit:
        over = [r for _, r in sorted(p.noted.items()) if r.sent and r.over_limit]
        issues.append(
            _warn(
                "rows_over_parts",
                f"{_count(len(over), 'recipient')}' message{'' if len(over) == 1 else 's'} "
                f"need{'s' if len(over) == 1 else ''} more than {options.max_parts} SMS parts "
                f"because of long values ({_rows(r.row for r in over)}, up to "
                f"{max(r.segments for r in over)} parts): they are charged for every part.",
            )
        )
    left_out = p.left_out
    if left_out and not unknown:
        issues.append(
            _warn(
                "rows_left_out",
                f"{_count(len(left_out), 'recipient')} {_is(len(left_out))} left out because "
                f"of a value ({_rows_with_reasons(left_out)}).",
            )
        )
    unicode_rows = [r for _, r in sorted(p.noted.items()) if r.sent and r.unicode_chars]
    if unicode_rows:
        chars = dict.fromkeys(ch for r in unicode_rows for ch in r.unicode_chars)
        issues.append(
            _warn(
                "unicode_values",
                f"{_count(len(unicode_rows), 'recipient')} need"
                f"{'s' if len(unicode_rows) == 1 else ''} Unicode (70 characters per SMS) "
                f"because of their values ({_rows(r.row for r in unicode_rows)}: "
                f"{' '.join(list(chars)[:10])}); names are sent as they are.",
            )
        )
    breaks = [r for _, r in sorted(p.noted.items()) if r.sent and r.line_breaks]
    if breaks:
        issues.append(
            _warn(
                "values_with_line_breaks",
                f"{_count(len(breaks), 'value')} hold{'s' if len(breaks) == 1 else ''} a line "
                f"break ({_rows(r.row for r in breaks)}): it is sent as it is.",
            )
        )
    for problem in p.fields.problems:
        issues.append(_warn(f"header_{problem.kind.value}", problem.message))
    return issues


def _rows(rows: Iterable[int]) -> str:
    listed = [str(r + 1) for r in rows]
    shown = ", ".join(listed[:5]) + ("…" if len(listed) > 5 else "")
    return f"row{'' if len(listed) == 1 else 's'} {shown}"


def _rows_with_reasons(rows: Sequence[PersonalisedRow]) -> str:
    shown = "; ".join(f"row {r.row + 1}: {r.problem}" for r in rows[:5])
    return shown + ("…" if len(rows) > 5 else "")


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
                f"The message contains characters that cannot be sent ({shown}): "
                "remove them (they are marked in the message).",
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
        issues.append(
            _block(
                "no_recipients",
                "No row in the list can be sent to: add client codes or mobile numbers, or fix the "
                "rows marked invalid.",
            )
        )
    if plan.options.accept_replies:
        missing = [r.row for r in plan.recipients if not r.client_code]
        if missing:
            issues.append(
                _block(
                    "replies_need_client_code",
                    f"Replies can only be accepted when every recipient has a client code; "
                    f"{_count(len(missing), 'recipient')} {_has(len(missing))} none "
                    f"(row {', '.join(str(r + 1) for r in missing[:5])}"
                    f"{'…' if len(missing) > 5 else ''}): add their codes, or untick Accept "
                    "replies.",
                )
            )
    if plan.balance is not None and plan.recipients and plan.credits > plan.balance:
        issues.append(
            _warn(
                "over_balance",
                f"This send needs about {plan.credits:,} credits but the balance is "
                f"{plan.balance:,}: VETtrak will refuse the batches it cannot pay for, so buy "
                "more credit or send to fewer recipients.",
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
                "SMS to a landline fails but may still be charged, so replace them with mobiles "
                "or remove them.",
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
