"""Sends a whole plan batch by batch, journals each batch, reports progress, stops on the first
error or a cancel between batches, and returns one outcome per planned recipient.

The window's worker and `vtsms send` both call `run_send`. No zeep here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from vtsms_gui.api.client import BatchResponse
from vtsms_gui.api.errors import CannotConnect, VettrakError
from vtsms_gui.api.result_matching import match_results
from vtsms_gui.domain.outcomes import (
    NOT_SENT_DETAIL,
    UNKNOWN_DETAIL,
    Outcome,
    OutcomeCounts,
    RecipientOutcome,
    SendRecorder,
)
from vtsms_gui.domain.send_plan import Batch, PlannedRecipient, SendOptions, SendPlan

CANCELLED_DETAIL = "not sent: the send was cancelled before this batch"
UNACCOUNTED_DETAIL = (
    "not in the server's results, but VETtrak counted more SMS sent than it listed: this one "
    "may have gone out. Check the SMS history in VETtrak before resending"
)

# Waits before trying a batch again when the server could not be reached at all (refused,
# unknown name): nothing can have been sent, so a retry is safe. Nothing else is retried.
RETRY_DELAYS = (1.0, 3.0)


class BatchSender(Protocol):
    """What `run_send` needs of a client (VettrakClient, or a fake in tests)."""

    def send_batch(
        self, message: str, recipients: Sequence[PlannedRecipient], options: SendOptions
    ) -> BatchResponse: ...


@dataclass(frozen=True)
class SendProgress:
    batches_done: int
    batches_total: int
    recipients_done: int
    recipients_total: int
    sms_sent: int
    balance: int | None


@dataclass(frozen=True)
class SendReport:
    """`outcomes` has one entry per planned recipient, in plan order.

    `stopped_by` is the VETtrak error that ended the send early; `journal_error` the failure to
    record a batch (disk full, locked...) that ended it; `cancelled` says the user stopped it.
    `balance` is the last one VETtrak reported (the plan's, if no batch was answered).
    """

    outcomes: tuple[RecipientOutcome, ...]
    sms_sent: int
    balance: int | None
    stopped_by: VettrakError | None
    cancelled: bool
    journal_error: Exception | None = None

    @property
    def counts(self) -> OutcomeCounts:
        return OutcomeCounts.of(self.outcomes)

    @property
    def complete(self) -> bool:
        """Every batch was sent and answered (some recipients may still have failed)."""
        return self.stopped_by is None and not self.cancelled and self.journal_error is None

    def with_outcome(self, outcome: Outcome) -> tuple[RecipientOutcome, ...]:
        return tuple(item for item in self.outcomes if item.outcome is outcome)


Cancel = threading.Event | Callable[[], bool]


def run_send(
    client: BatchSender,
    plan: SendPlan,
    *,
    recorder: SendRecorder | None = None,
    progress: Callable[[SendProgress], None] | None = None,
    cancel: Cancel | None = None,
    retry_delays: Sequence[float] = RETRY_DELAYS,
) -> SendReport:
    """Send `plan` one batch at a time.

    Stops at the first VettrakError: a batch that may have gone out is UNKNOWN (never
    resent), one the server refused as a whole is NOT_SENT, as are the batches after it.
    The recorder hears of each batch before its request and after its answer. If it cannot
    record the start, that batch does not go out; if it cannot record the answer, the answer
    is still reported. Either way the send stops there and `journal_error` says why.
    """
    if not plan.can_send:
        raise ValueError("This send has problems that must be fixed first.")
    outcomes: dict[int, RecipientOutcome] = {}
    sms_sent, balance = 0, plan.balance
    stopped_by: VettrakError | None = None
    journal_error: Exception | None = None
    rest_detail = NOT_SENT_DETAIL
    for done, batch in enumerate(plan.batches, start=1):
        if _is_cancelled(cancel):
            rest_detail = CANCELLED_DETAIL
            break
        if recorder is not None:
            try:
                recorder.batch_started(batch)
            except Exception as exc:  # noqa: BLE001 - any failure to record keeps this batch home
                journal_error = exc
                rest_detail = f"not sent: the send journal could not record it ({exc})"
                break
        try:
            response = _send_with_retries(client, plan, batch, retry_delays, cancel)
        except VettrakError as error:
            batch_outcomes = _stopped(batch, error)
            stopped_by = error
            reply_balance = None
        else:
            batch_outcomes = _account_for_unmatched(
                match_results(batch, response.results), response.sms_sent
            )
            sms_sent += response.sms_sent
            balance = reply_balance = response.balance
        outcomes.update((item.row, item) for item in batch_outcomes)
        if recorder is not None:
            try:
                recorder.batch_finished(batch, batch_outcomes, reply_balance)
            except Exception as exc:  # noqa: BLE001 - the answer is kept; the send stops here
                journal_error = exc
        if progress is not None:
            progress(
                SendProgress(
                    batches_done=done,
                    batches_total=len(plan.batches),
                    recipients_done=len(outcomes),
                    recipients_total=len(plan.recipients),
                    sms_sent=sms_sent,
                    balance=balance,
                )
            )
        if stopped_by is not None or journal_error is not None:
            break
    batch_of = {r.row: batch.number for batch in plan.batches for r in batch.recipients}
    return SendReport(
        outcomes=tuple(
            outcomes.get(r.row) or _not_sent(r, batch_of.get(r.row, 0), rest_detail)
            for r in plan.recipients
        ),
        sms_sent=sms_sent,
        balance=balance,
        stopped_by=stopped_by,
        cancelled=rest_detail == CANCELLED_DETAIL,
        journal_error=journal_error,
    )


def _send_with_retries(
    client: BatchSender,
    plan: SendPlan,
    batch: Batch,
    retry_delays: Sequence[float],
    cancel: Cancel | None,
) -> BatchResponse:
    for delay in (*retry_delays, None):
        try:
            return client.send_batch(batch.text, batch.recipients, plan.options)
        except CannotConnect:
            if delay is None or _wait_or_cancelled(delay, cancel):
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _wait_or_cancelled(seconds: float, cancel: Cancel | None) -> bool:
    if isinstance(cancel, threading.Event):
        return cancel.wait(seconds)
    time.sleep(seconds)
    return _is_cancelled(cancel)


def _is_cancelled(cancel: Cancel | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return cancel()


def _stopped(batch: Batch, error: VettrakError) -> list[RecipientOutcome]:
    """A batch that got no per-recipient answer: UNKNOWN if it may have gone out, else NOT_SENT
    (refused as a whole, e.g. not enough credit), so that resuming sends it."""
    outcome, detail = (
        (Outcome.UNKNOWN, UNKNOWN_DETAIL)
        if error.may_have_sent
        else (Outcome.NOT_SENT, f"not sent: {error.message}")
    )
    return [
        RecipientOutcome(r.row, r.client_code, r.mobile, None, outcome, detail, batch.number)
        for r in batch.recipients
    ]


def _account_for_unmatched(
    outcomes: list[RecipientOutcome], sms_sent: int
) -> list[RecipientOutcome]:
    """When VETtrak says it sent more SMS than the results show as sent, the recipients it left
    out of its results may be among them: they are UNKNOWN, not failed."""
    matched_sent = sum(1 for o in outcomes if o.outcome is Outcome.SENT)
    if sms_sent <= matched_sent:
        return outcomes
    return [
        replace(o, outcome=Outcome.UNKNOWN, detail=UNACCOUNTED_DETAIL)
        if o.outcome is Outcome.FAILED and o.status is None
        else o
        for o in outcomes
    ]


def _not_sent(recipient: PlannedRecipient, batch: int, detail: str) -> RecipientOutcome:
    return RecipientOutcome(
        recipient.row,
        recipient.client_code,
        recipient.mobile,
        None,
        Outcome.NOT_SENT,
        detail,
        batch,
    )
