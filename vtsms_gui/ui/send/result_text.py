"""The words of the banner after a send: the counts, what stopped it, and each batch's fate."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from vtsms_gui.domain.outcomes import Outcome, OutcomeCounts
from vtsms_gui.ui.common.theme import Tone

if TYPE_CHECKING:
    from vtsms_gui.api.send_runner import SendReport


def result_summary(report: SendReport) -> tuple[str, Tone]:
    """The banner after a send: "Sent 209 · Failed 3 · Balance 4,582", and what stopped it."""
    counts: OutcomeCounts = report.counts
    parts = [f"Sent {counts.sent:,}", f"Failed {counts.failed:,}"]
    if counts.unknown:
        parts.append(f"Unknown {counts.unknown:,}")
    if counts.not_sent:
        parts.append(f"Not sent {counts.not_sent:,}")
    if report.balance is not None:
        parts.append(f"Balance {report.balance:,}")
    text = f"<b>{' · '.join(parts)}</b>"
    stops = []
    if report.stopped_by is not None:
        stops.append(f"The send stopped: {html.escape(str(report.stopped_by))}")
    if report.journal_error is not None:
        stops.append(
            "The send stopped because the send journal could not record it: "
            f"{html.escape(str(report.journal_error))}"
        )
    if stops:
        text += (
            f"<br>{'<br>'.join(stops)}<br>"
            f"{html.escape(describe_batches(report))} Your message and list are kept."
        )
        return text, Tone.BAD
    if report.cancelled:
        text += f"<br>Cancelled. {html.escape(describe_batches(report))}"
        return text, Tone.WARN
    if counts.unknown:
        text += "<br>Check the SMS history in VETtrak before resending the rows marked unknown."
        return text, Tone.UNKNOWN
    if counts.failed:
        text += "<br>Select a row (or point at its result) to read why it failed and what to do."
        return text, Tone.WARN
    return text, Tone.GOOD


def describe_batches(report: SendReport) -> str:
    """What happened to each batch, runs of alike batches joined: "Batches 1–2: answered by
    VETtrak. Batch 3: may have gone out… Batches 4–10: not sent.\""""
    states: dict[int, str] = {}
    for outcome in report.outcomes:
        state = {
            Outcome.UNKNOWN: "may have gone out: check VETtrak's SMS history before resending",
            Outcome.NOT_SENT: "not sent",
        }.get(outcome.outcome, "answered by VETtrak")
        refused = outcome.outcome is Outcome.FAILED and outcome.status is None
        if refused and report.stopped_by and str(report.stopped_by) == outcome.detail:
            state = "refused by VETtrak, nothing sent"
        states.setdefault(outcome.batch, state)
    runs: list[tuple[int, int, str]] = []
    for batch in sorted(states):
        if runs and runs[-1][2] == states[batch] and runs[-1][1] == batch - 1:
            runs[-1] = (runs[-1][0], batch, states[batch])
        else:
            runs.append((batch, batch, states[batch]))
    sentences = [
        (f"Batch {first}" if first == last else f"Batches {first}–{last}") + f": {state}."
        for first, last, state in runs
    ]
    return " ".join(sentences)
