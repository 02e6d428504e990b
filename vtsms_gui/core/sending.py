"""The one journalled send of both faces: the whole plan written to the send journal before any
SMS goes out, each batch recorded before and after its request, cancel between batches,
resuming a send's recipients still waiting, and the report.

The command line calls these and prints the report; the window calls them on its network
worker and turns `progress` and `on_batch` into signals. Neither calls the runner or the
journal's recorder itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vtsms_gui.domain.outcomes import RecipientOutcome, SendRecorder
from vtsms_gui.domain.send_plan import Batch, PlannedRecipient, SendPlan, plan_resend

if TYPE_CHECKING:
    from pathlib import Path

    from vtsms_gui.api.send_runner import BatchSender, Cancel, SendProgress, SendReport
    from vtsms_gui.storage.journal import InterruptedBatch, Journal

RecorderHook = Callable[[SendRecorder], SendRecorder]
"""Wraps the journal's recorder of one send: a seam for tests and tools that watch the batches
(or make the journal fail at a chosen step). It must pass every call on to the recorder."""


@dataclass(frozen=True)
class SendPlace:
    """Where a send goes, and so which journal keeps it (the demo's sends have their own)."""

    server: str
    username: str
    demo: bool = False
    test: bool = False  # a test to the user's own number, marked so in the history


@dataclass(frozen=True)
class SendWatchers:
    """What a face hears while a send runs. `on_batch` hears each batch's outcomes as soon as
    VETtrak answers, before the journal records them: rows must show an answer that came even
    if the journal then fails (left looking unsent, they would invite a resend)."""

    progress: Callable[[SendProgress], None] | None = None
    on_batch: Callable[[list[RecipientOutcome]], None] | None = None
    cancel: Cancel | None = None
    recorder_hook: RecorderHook | None = None
    retry_delays: Sequence[float] | None = None  # None: the runner's (1 s, then 3 s)


@dataclass(frozen=True)
class Resumption:
    """A resumed send: the plan of its recipients still waiting, and how it went."""

    send_id: str
    plan: SendPlan
    report: SendReport


class NothingToResend(ValueError):
    """A send has nobody left waiting."""


class WrongServer(ValueError):
    """A send is resumed against another VETtrak than the one it was made on."""


def journal_path(demo: bool = False) -> Path:
    """The journal of real sends, or the demo's (kept apart so pretend sends stay out of the
    real history and out of `vtsms resume`, which would send them to a real VETtrak)."""
    from vtsms_gui.storage.journal import default_journal_path

    return default_journal_path(demo=demo)


def open_journal(demo: bool = False) -> Journal:
    """Open the journal (sqlite3 loads here, with the first send, not with the window)."""
    from vtsms_gui.storage.journal import Journal

    return Journal(journal_path(demo))


def recover(journal: Journal) -> list[InterruptedBatch]:
    """Mark unknown every batch left in flight by a process that is gone, and say which. Every
    face calls it before it lists or sends anything."""
    return journal.recover_interrupted()


def create_send(journal: Journal, plan: SendPlan, place: SendPlace) -> str:
    """Write the whole plan, every recipient not sent yet, before anything goes out."""
    return journal.create_send(plan, server=place.server, username=place.username, test=place.test)


def run_send(
    client: BatchSender,
    plan: SendPlan,
    journal: Journal,
    send_id: str,
    watchers: SendWatchers | None = None,
) -> SendReport:
    """Send `plan` batch by batch under `send_id`, journalling each batch before and after its
    request. Stops at the first error, or between batches when cancelled."""
    # The runner loads with the first send, not with the window.
    from vtsms_gui.api import send_runner

    watch = watchers or SendWatchers()
    delays = send_runner.RETRY_DELAYS if watch.retry_delays is None else watch.retry_delays
    with journal.recorder(send_id) as journal_recorder:
        recorder: SendRecorder = journal_recorder
        if watch.recorder_hook is not None:
            recorder = watch.recorder_hook(recorder)
        return send_runner.run_send(
            client,
            plan,
            recorder=_AnswersFirst(recorder, watch.on_batch),
            progress=watch.progress,
            cancel=watch.cancel,
            retry_delays=delays,
        )


def send(
    client: BatchSender,
    plan: SendPlan,
    journal: Journal,
    place: SendPlace,
    watchers: SendWatchers | None = None,
    *,
    created: Callable[[str], None] | None = None,
) -> tuple[str, SendReport]:
    """The whole journalled send: create it, then run it. `created` hears the send's id
    before the first batch goes out. Returns the id and the report."""
    send_id = create_send(journal, plan, place)
    if created is not None:
        created(send_id)
    return send_id, run_send(client, plan, journal, send_id, watchers)


def test_plan(plan: SendPlan, mobile: str) -> SendPlan:
    """A test of `plan` before the bulk send: its first recipient's own text, to `mobile` (the
    user's number) alone, with the same options. Raises ValueError if it cannot be sent."""
    if not plan.recipients:
        raise ValueError("There is no recipient whose message could be tested.")
    from vtsms_gui.domain.phone import PhoneParser

    number = PhoneParser().parse(mobile)
    if not number.ok or number.to_send is None:
        raise ValueError(
            f"{mobile.strip() or 'An empty number'}: {number.reason or 'not a mobile'}."
        )
    first = plan.recipients[0]
    text = first.text if first.text is not None else plan.message
    test = plan_resend(
        text,
        [PlannedRecipient(0, None, number.to_send, text)],
        dataclasses.replace(plan.options, accept_replies=False),
        balance=plan.balance,
    )
    if not test.can_send:
        raise ValueError(" ".join(issue.message for issue in test.blockers))
    return dataclasses.replace(test, message=plan.message)


def resumable_plan(
    journal: Journal,
    send_id: str,
    *,
    server: str,
    include_unknown: bool = False,
    balance: int | None = None,
) -> SendPlan:
    """The plan of an earlier send's recipients still waiting (and its unknown ones, only when
    asked), with its message and options, for the same VETtrak it was made on."""
    record = journal.get_send(send_id)
    pending = journal.pending_recipients(record.send_id, include_unknown)
    if not pending:
        raise NothingToResend(f"Send {record.send_id} has nobody left to send to.")
    if record.server is not None and record.server != server:
        raise WrongServer(
            f"Send {record.send_id} was made on {record.server}, not {server}: "
            "resume it against the same server."
        )
    plan = plan_resend(record.message, pending, record.options, balance=balance)
    if not plan.can_send:
        raise ValueError(" ".join(issue.message for issue in plan.blockers))
    return plan


def resume(
    client: BatchSender,
    journal: Journal,
    send_id: str,
    plan: SendPlan,
    watchers: SendWatchers | None = None,
) -> Resumption:
    """Send `plan` (from `resumable_plan`) as a new attempt under the same send: the journal
    refuses rows that are no longer waiting, so nobody is sent twice."""
    record_id = journal.get_send(send_id).send_id
    journal.add_batches(record_id, plan.batches)
    return Resumption(record_id, plan, run_send(client, plan, journal, record_id, watchers))


class _AnswersFirst:
    """Tells the face of each answered batch, then lets the journal record it."""

    def __init__(
        self, inner: SendRecorder, on_batch: Callable[[list[RecipientOutcome]], None] | None
    ) -> None:
        self._inner = inner
        self._on_batch = on_batch

    def batch_started(self, batch: Batch) -> None:
        self._inner.batch_started(batch)

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None:
        if self._on_batch is not None:
            self._on_batch(list(outcomes))
        self._inner.batch_finished(batch, outcomes, balance)


__all__ = [
    "NothingToResend",
    "RecorderHook",
    "Resumption",
    "SendPlace",
    "SendWatchers",
    "WrongServer",
    "create_send",
    "journal_path",
    "open_journal",
    "recover",
    "resumable_plan",
    "resume",
    "run_send",
    "send",
    "test_plan",
]
