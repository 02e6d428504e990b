"""Plain-text renderings of a send plan and a send's results, for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from vtsms_gui.domain.outcomes import Outcome, OutcomeCounts, RecipientOutcome, outcome_reason
from vtsms_gui.domain.send_plan import SendPlan


def plan_summary(plan: SendPlan) -> str:
    analysis = plan.analysis
    encoding = "GSM-7" if analysis.encoding.value == "GSM-7" else "Unicode"
    parts = "1 SMS" if analysis.segments == 1 else f"{analysis.segments} SMS"
    n = len(plan.recipients)
    people = f"{n:,} recipient{'' if n == 1 else 's'}"
    balance = "" if plan.balance is None else f" · balance {plan.balance:,}"
    batches = f"{len(plan.batches)} batch{'' if len(plan.batches) == 1 else 'es'}"
    if plan.personalisation is not None:
        summary = plan.personalisation.summary
        lines = [
            f"Message (personalised for each row): {summary.counter_text()}",
            f"Recipients: {people} in {batches}",
            f"Credits: {plan.credits:,} (the sum over every recipient's own text){balance}",
        ]
    else:
        lines = [
            f"Message: {encoding} · {analysis.units}/{analysis.capacity} · {parts}",
            f"Recipients: {people} in {batches}",
            f"Credits: {analysis.segments} SMS × {people} = {plan.credits:,}{balance}",
        ]
    options = plan.options
    if options.schedule is not None:
        lines.append(f"Scheduled for: {options.schedule.isoformat(timespec='minutes')}")
    if options.sender and not options.accept_replies:
        lines.append(f"Sender: {options.sender}")
    if options.marketing:
        lines.append("Marketing message: opted-out students will not receive it.")
    if options.accept_replies:
        lines.append("Replies accepted: read them in VETtrak (Utility > Retrieve SMS Replies).")
    for excluded in plan.excluded[:20]:
        lines.append(f"Excluded row {excluded.row + 1}: {excluded.reason}")
    if len(plan.excluded) > 20:
        lines.append(f"… and {len(plan.excluded) - 20:,} more excluded rows")
    lines.extend(f"Warning: {issue.message}" for issue in plan.warnings)
    lines.extend(f"Cannot send: {issue.message}" for issue in plan.blockers)
    return "\n".join(lines)


_OUTCOME_WORDS = {
    Outcome.SENT: "sent",
    Outcome.FAILED: "failed",
    Outcome.UNKNOWN: "unknown",
    Outcome.NOT_SENT: "not sent",
}


def results_text(
    outcomes: Sequence[RecipientOutcome], balance: int | None, send_id: str | None = None
) -> str:
    """Each recipient's outcome with what happened and what to do (the window's words), the
    counts, and, when `send_id` is known, the command that sends the rows still waiting."""
    lines = []
    for item in outcomes:
        who = " / ".join(x for x in (item.client_code, item.mobile) if x)
        lines.append(f"{_OUTCOME_WORDS[item.outcome]:<9} {who}: {outcome_reason(item)}")
    counts = OutcomeCounts.of(outcomes)
    summary = f"Sent {counts.sent:,} · Failed {counts.failed:,}"
    if counts.unknown:
        summary += f" · Unknown {counts.unknown:,} (check VETtrak's SMS history before resending)"
    if counts.not_sent:
        summary += f" · Not sent {counts.not_sent:,}"
    if balance is not None:
        summary += f" · Balance {balance:,}"
    lines.append(summary)
    if send_id is not None and counts.not_sent:
        lines.append(
            f"To send the {counts.not_sent:,} not sent once the cause is fixed: "
            f"vtsms resume {send_id}"
        )
    if send_id is not None and counts.unknown:
        lines.append(
            f"Only if VETtrak's SMS history shows the {counts.unknown:,} unknown did not go out: "
            f"vtsms resume {send_id} --include-unknown"
        )
    return "\n".join(lines)
