"""Sends a whole plan batch by batch, journals each batch, reports progress, stops on the first
error or a cancel between batches, and returns one outcome per planned recipient.

The window's worker and `vtsms send` both call `run_send`. No zeep here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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

    `stopped_by` is the error that ended the send early; `cancelled` says the user stopped it.
    `balance` is the last one VETtrak reported (the plan's, if no batch was answered).
    """

    outcomes: tuple[RecipientOutcome, ...]
    sms_sent: int
    balance: int | None
    stopped_by: VettrakError | None
    cancelled: bool

    @property
    def counts(self) -> OutcomeCounts:
        return OutcomeCounts.of(self.outcomes)

    @property
    def complete(self) -> bool:
        """Every batch was sent and answered (some recipients may still have failed)."""
        return self.stopped_by is None and not self.cancelled

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
    resent), one the server refused is FAILED, and the batches after it are NOT_SENT.
    The recorder hears of each batch before its request and after its answer; an exception
    from the recorder stops the send and propagates (nothing is sent unrecorded).
    """
    if not plan.can_send:
        raise ValueError("This send has problems that must be fixed first.")
    outcomes: dict[int, RecipientOutcome] = {}
    sms_sent, balance = 0, plan.balance
    stopped_by: VettrakError | None = None
    cancelled = False
    for done, batch in enumerate(plan.batches, start=1):
        if _is_cancelled(cancel):
            cancelled = True
            break
        if recorder is not None:
            recorder.batch_started(batch)
        try:
            response = _send_with_retries(client, plan, batch, retry_delays, cancel)
        except VettrakError as error:
            batch_outcomes = _failed(batch, error)
            stopped_by = error
            reply_balance = None
        else:
            batch_outcomes = match_results(batch, response.results)
            sms_sent += response.sms_sent
            balance = reply_balance = response.balance
        if recorder is not None:
            recorder.batch_finished(batch, batch_outcomes, reply_balance)
        outcomes.update((item.row, item) for item in batch_outcomes)
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
        if stopped_by is not None:
            break
    detail = CANCELLED_DETAIL if cancelled else NOT_SENT_DETAIL
    batch_of = {r.row: batch.number for batch in plan.batches for r in batch.recipients}
    return SendReport(
        outcomes=tuple(
            outcomes.get(r.row) or _not_sent(r, batch_of.get(r.row, 0), detail)
            for r in plan.recipients
        ),
        sms_sent=sms_sent,
        balance=balance,
        stopped_by=stopped_by,
        cancelled=cancelled,
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
            return client.send_batch(plan.message, batch.recipients, plan.options)
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


def _failed(batch: Batch, error: VettrakError) -> list[RecipientOutcome]:
    outcome, detail = (
        (Outcome.UNKNOWN, UNKNOWN_DETAIL)
        if error.may_have_sent
        else (Outcome.FAILED, error.message)
    )
    return [
        RecipientOutcome(r.row, r.client_code, r.mobile, None, outcome, detail, batch.number)
        for r in batch.recipients
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
