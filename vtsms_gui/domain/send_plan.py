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

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from vtsms_gui.domain import plan_checks
from vtsms_gui.domain.personalise import Personalisation, personalise
from vtsms_gui.domain.placeholders import Template, parse_template
from vtsms_gui.domain.plan_types import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_PARTS,
    Batch,
    Exclusion,
    PlanIssue,
    PlannedRecipient,
    ResendOf,
    SendOptions,
    SendPlan,
    Severity,
)
from vtsms_gui.domain.recipients import CheckedRecipient
from vtsms_gui.domain.sms_text import TextAnalysis, analyse

# The plan's types are imported from here by most of the project (the journal, the client,
# both faces): they stay reachable here, where plans are built.
__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_PARTS",
    "Batch",
    "Exclusion",
    "PlanIssue",
    "PlannedRecipient",
    "ResendOf",
    "SendOptions",
    "SendPlan",
    "Severity",
    "build_plan",
    "plan_resend",
]


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
    row_issues = (*plan_checks.landline_issues(checked), *plan_checks.lost_zero_issues(checked))
    return replace(plan, issues=(*plan.issues, *row_issues))


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
        message_issues = plan_checks.message_issues(
            checked_text, analyses.get(checked_text) or analyse(checked_text), options
        )
    else:
        message_issues = plan_checks.template_issues(template, analysis, plan, options)
    issues = [
        *message_issues,
        *plan_checks.recipient_issues(plan),
        *plan_checks.option_issues(plan, now or datetime.now(UTC)),
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
