"""What must be fixed (blockers) or at least seen (warnings) before a send: the message and its
placeholders, the recipients (landlines, client codes Excel shortened, duplicates, too few
credits) and the options (sender ID, scheduled time, marketing without an opt-out)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from vtsms_gui.domain.leading_zeros import find_lost_zeros
from vtsms_gui.domain.personalise import PersonalisedRow, readable_char
from vtsms_gui.domain.phone import PhoneVerdict
from vtsms_gui.domain.placeholders import Template
from vtsms_gui.domain.plan_types import PlanIssue, SendOptions, SendPlan, Severity
from vtsms_gui.domain.recipients import CheckedRecipient
from vtsms_gui.domain.sender_id import check_sender
from vtsms_gui.domain.sms_text import TextAnalysis, analyse

# Words that show a commercial message tells people how to stop receiving them (Spam Act 2003).
_OPT_OUT_WORDS = re.compile(
    r"\b(stop|opt[\s-]?out|unsubscribe|unsub)\b",
    re.IGNORECASE,
)


def template_issues(
    template: Template, analysis: TextAnalysis, plan: SendPlan, options: SendOptions
) -> list[PlanIssue]:
    """Issues of the message as typed; for a personalised one, of its rows too."""
    if not template.ok:
        typed_issues = message_issues(template.source, analyse(template.source), options)
        typed_issues.insert(0, _block("template_syntax", template.error_message()))
        return [i for i in typed_issues if i.code != "too_many_parts"]
    p = plan.personalisation
    if p is None:
        return message_issues(template.literal_text, analysis, options)
    issues: list[PlanIssue] = []
    unknown = template.unknown_fields_message(p.fields)
    if unknown:
        issues.append(_block("unknown_field", unknown))
    for name in template.ambiguous_fields(p.fields):
        issues.append(_block("ambiguous_field", p.fields.ambiguous_message(name)))
    typed = analyse(template.literal_text)
    for issue in message_issues(template.source, typed, options):
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
                f"{_count(len(over), 'recipient')}{_possessive(len(over))} "
                f"message{'' if len(over) == 1 else 's'} "
                f"need{'s' if len(over) == 1 else ''} more than {options.max_parts} SMS parts "
                f"because of long values ({_rows(r.row for r in over)}, up to "
                f"{max(r.segments for r in over)} parts): "
                f"{'it is' if len(over) == 1 else 'they are'} charged for every part.",
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
                f"{', '.join(readable_char(ch) for ch in list(chars)[:10])}); names are sent "
                "as they are.",
            )
        )
    breaks = [r for _, r in sorted(p.noted.items()) if r.sent and r.line_breaks]
    if breaks:
        issues.append(
            _warn(
                "values_with_line_breaks",
                f"{_count(len(breaks), 'value')} hold{'s' if len(breaks) == 1 else ''} a line "
                f"break ({_rows(r.row for r in breaks)}): "
                f"{'it is sent as it is' if len(breaks) == 1 else 'they are sent as they are'}.",
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


def message_issues(message: str, analysis: TextAnalysis, options: SendOptions) -> list[PlanIssue]:
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


def recipient_issues(plan: SendPlan) -> list[PlanIssue]:
    issues: list[PlanIssue] = []
    if not plan.recipients:
        issues.append(
            _block(
                "no_recipients",
                "No row in the list can be sent to: add client codes or mobile numbers, or fix "
                "the rows marked invalid.",
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
                    f"({_rows(missing)}): add "
                    f"{'its code' if len(missing) == 1 else 'their codes'}, or untick Accept "
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


def landline_issues(checked: Sequence[CheckedRecipient]) -> list[PlanIssue]:
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
                f"{_count(landlines, 'number')} in the list "
                f"{'is not a mobile' if landlines == 1 else 'are not mobiles'}: "
                "SMS to a landline fails but may still be charged, so "
                + (
                    "replace it with a mobile or remove it."
                    if landlines == 1
                    else "replace them with mobiles or remove them."
                ),
            )
        ]
    return []


def lost_zero_issues(checked: Sequence[CheckedRecipient]) -> list[PlanIssue]:
    """Client codes of rows to be sent that look shortened by Excel (03037 saved as 3037): the
    grid flags each row, this says it once more before sending, where nobody can miss it."""
    lost = find_lost_zeros([item.recipient.client_code for item in checked])
    if lost is None:
        return []
    rows = [row for row in sorted(lost.suggestions) if checked[row].sendable]
    if not rows:
        return []
    n = len(rows)
    typed = {row: (checked[row].recipient.client_code or "").strip() for row in rows}
    first = f"{typed[rows[0]]} → {lost.suggestions[rows[0]]}?"
    zeros = sum(len(lost.suggestions[row]) - len(typed[row]) for row in rows)
    return [
        _warn(
            "codes_lost_zeros",
            f"{_count(n, 'client code')} {'looks' if n == 1 else 'look'} shortened by Excel "
            f"({_rows(rows)}{': ' if n == 1 else ', e.g. '}{first}): add the missing "
            f"{'zero' if zeros == 1 else 'zeros'}, or {'it' if n == 1 else 'they'} will fail "
            "as 'client code not found'.",
        )
    ]


def option_issues(plan: SendPlan, now: datetime) -> list[PlanIssue]:
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


def _possessive(n: int) -> str:
    """ "1 recipient's", "2 recipients'": what follows the noun of `_count`."""
    return "'s" if n == 1 else "'"


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


def _has(n: int) -> str:
    return "has" if n == 1 else "have"
