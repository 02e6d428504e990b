"""Sending a whole plan: batches, journal calls, progress, stopping at errors, cancelling, and a
token that expires in the middle of a send (one re-login, no recipient sent twice).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

import pytest

from vtsms_gui.api.client import ClientConfig, VettrakClient
from vtsms_gui.api.errors import NotEnoughCredit, OutcomeUnknown
from vtsms_gui.api.send_runner import CANCELLED_DETAIL, SendProgress, run_send
from vtsms_gui.domain.outcomes import (
    NOT_RETURNED_DETAIL,
    NOT_SENT_DETAIL,
    UNKNOWN_DETAIL,
    Outcome,
    RecipientOutcome,
)
from vtsms_gui.domain.send_plan import (
    Batch,
    PlanIssue,
    PlannedRecipient,
    SendOptions,
    SendPlan,
    Severity,
)
from vtsms_gui.domain.sms_text import analyse
from vtsms_gui.simulator import Fault, SimulatorServer

MESSAGE = "Class is cancelled today."


def make_plan(
    recipients: Sequence[PlannedRecipient],
    batch_size: int = 100,
    issues: tuple[PlanIssue, ...] = (),
    **options: object,
) -> SendPlan:
    opts = SendOptions(batch_size=batch_size, **options)  # type: ignore[arg-type]
    batches = tuple(
        Batch(n, tuple(recipients[i : i + batch_size]), MESSAGE, analyse(MESSAGE).segments)
        for n, i in enumerate(range(0, len(recipients), batch_size), start=1)
    )
    return SendPlan(MESSAGE, analyse(MESSAGE), opts, tuple(recipients), (), batches, None, issues)


def numbers(count: int) -> list[PlannedRecipient]:
    # Rows start at 5 so that row and position differ.
    return [PlannedRecipient(5 + i, None, f"0491{i:06d}") for i in range(count)]


class Journal:
    """Records the SendRecorder calls in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int, int | None]] = []
        self.finished: dict[int, Sequence[RecipientOutcome]] = {}

    def batch_started(self, batch: Batch) -> None:
        self.events.append(("started", batch.number, None))

    def batch_finished(
        self, batch: Batch, outcomes: Sequence[RecipientOutcome], balance: int | None
    ) -> None:
        self.events.append(("finished", batch.number, balance))
        self.finished[batch.number] = outcomes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sim(clock: Clock) -> Iterator[SimulatorServer]:
    with SimulatorServer(clock=clock) as server:
        yield server


@pytest.fixture
def client(sim: SimulatorServer) -> Iterator[VettrakClient]:
    with VettrakClient(ClientConfig(sim.url, read_timeout=5)) as vettrak:
        vettrak.login("demo", "demo")
        yield vettrak


def after_batch(number: int, action: Callable[[], None]) -> Callable[[SendProgress], None]:
    def progress(update: SendProgress) -> None:
        if update.batches_done == number:
            action()

    return progress


def test_every_batch_is_sent_journalled_and_reported(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    plan = make_plan(numbers(250))
    journal = Journal()
    updates: list[SendProgress] = []
    report = run_send(client, plan, recorder=journal, progress=updates.append)
    assert report.complete
    assert [o.row for o in report.outcomes] == [r.row for r in plan.recipients]
    assert report.counts.sent == 250
    assert report.sms_sent == 250 == len(sim.sent)
    assert report.balance == sim.balance == 4750
    assert [o.batch for o in report.outcomes] == [1] * 100 + [2] * 100 + [3] * 50
    assert journal.events == [
        ("started", 1, None),
        ("finished", 1, 4900),
        ("started", 2, None),
        ("finished", 2, 4800),
        ("started", 3, None),
        ("finished", 3, 4750),
    ]
    assert [(u.batches_done, u.recipients_done, u.sms_sent) for u in updates] == [
        (1, 100, 100),
        (2, 200, 200),
        (3, 250, 250),
    ]
    assert {(u.batches_total, u.recipients_total) for u in updates} == {(3, 250)}


def test_a_token_expiring_mid_send_logs_in_again_and_sends_nobody_twice(
    sim: SimulatorServer, client: VettrakClient, clock: Clock
) -> None:
    def an_hour_passes() -> None:
        clock.now += 61 * 60

    plan = make_plan(numbers(30), batch_size=10)
    report = run_send(client, plan, progress=after_batch(1, an_hour_passes))
    assert report.complete and report.counts.sent == 30
    sent_to = Counter(s.mobile for s in sim.sent)
    assert set(sent_to) == {r.mobile for r in plan.recipients}
    assert set(sent_to.values()) == {1}
    assert [r.operation for r in sim.requests] == [
        "ValidateClient",
        "SendSMSMessages",
        "SendSMSMessages",  # refused: token expired
        "ValidateClient",
        "SendSMSMessages",  # the refused batch, repeated once
        "SendSMSMessages",
    ]


def test_too_little_credit_stops_the_send(client: VettrakClient, sim: SimulatorServer) -> None:
    sim.set_balance(15)
    journal = Journal()
    report = run_send(client, make_plan(numbers(30), batch_size=10), recorder=journal)
    assert isinstance(report.stopped_by, NotEnoughCredit)
    assert not report.complete
    outcomes = [o.outcome for o in report.outcomes]
    # the refused batch went nowhere: it is not sent (so resuming sends it), with the reason
    assert outcomes == [Outcome.SENT] * 10 + [Outcome.NOT_SENT] * 20
    assert report.outcomes[10].detail == f"not sent: {report.stopped_by}"
    assert report.outcomes[20].detail == NOT_SENT_DETAIL
    assert report.outcomes[20].batch == 3
    assert journal.events[-1] == ("finished", 2, None)
    assert ("started", 3, None) not in journal.events
    assert report.sms_sent == 10 and report.balance == 5


def test_an_unknown_outcome_stops_the_send_and_marks_the_batch_unknown(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    def drop_the_next_reply() -> None:
        sim.inject(Fault.DROP_AFTER_RECORD)

    plan = make_plan(numbers(30), batch_size=10)
    report = run_send(client, plan, progress=after_batch(1, drop_the_next_reply))
    assert isinstance(report.stopped_by, OutcomeUnknown)
    outcomes = [o.outcome for o in report.outcomes]
    assert outcomes == [Outcome.SENT] * 10 + [Outcome.UNKNOWN] * 10 + [Outcome.NOT_SENT] * 10
    assert report.outcomes[15].detail == UNKNOWN_DETAIL
    assert len(sim.sent) == 20  # the dropped batch did go out; it was not sent again
    assert [r.operation for r in sim.requests].count("SendSMSMessages") == 2


@pytest.mark.parametrize("kind", ["event", "callable"])
def test_cancelling_stops_between_batches(
    sim: SimulatorServer, client: VettrakClient, kind: str
) -> None:
    event = threading.Event()
    cancel = event if kind == "event" else event.is_set
    plan = make_plan(numbers(30), batch_size=10)
    report = run_send(client, plan, cancel=cancel, progress=after_batch(1, event.set))
    assert report.cancelled and report.stopped_by is None and not report.complete
    assert report.counts.sent == 10 and report.counts.not_sent == 20
    assert report.outcomes[29].detail == CANCELLED_DETAIL
    assert len(sim.sent) == 10


def test_recipients_the_server_leaves_out_failed(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    opted_out = next(c for c in sim.clients if c.marketing_opt_out and c.mobile)
    keen = next(c for c in sim.clients if not c.marketing_opt_out and c.mobile)
    plan = make_plan(
        [PlannedRecipient(0, opted_out.code, None), PlannedRecipient(1, keen.code, None)],
        marketing=True,
    )
    report = run_send(client, plan)
    assert [o.outcome for o in report.outcomes] == [Outcome.FAILED, Outcome.SENT]
    assert report.outcomes[0].detail == NOT_RETURNED_DETAIL
    assert report.with_outcome(Outcome.FAILED) == (report.outcomes[0],)


def test_shuffled_and_reformatted_results_still_match() -> None:
    with (
        SimulatorServer(shuffle_results=True, random_seed=4, echo_format="e164") as sim,
        VettrakClient(ClientConfig(sim.url)) as client,
    ):
        client.login("demo", "demo")
        unknown_code = PlannedRecipient(99, "99999", None)
        recipients = [*numbers(20), unknown_code]
        report = run_send(client, make_plan(recipients))
    assert [o.outcome for o in report.outcomes] == [Outcome.SENT] * 20 + [Outcome.FAILED]
    assert report.outcomes[-1].status == -2


def test_a_plan_with_blockers_is_not_sent(sim: SimulatorServer, client: VettrakClient) -> None:
    plan = make_plan(numbers(1), issues=(PlanIssue(Severity.BLOCK, "x", "Fix this."),))
    with pytest.raises(ValueError, match="fixed first"):
        run_send(client, plan)
    assert sim.sent == []


def test_a_failing_journal_stops_before_the_request(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    class FullDisk(Journal):
        def batch_started(self, batch: Batch) -> None:
            raise OSError("disk full")

    report = run_send(client, make_plan(numbers(3)), recorder=FullDisk())
    assert sim.sent == []
    assert isinstance(report.journal_error, OSError) and not report.complete
    assert {o.outcome for o in report.outcomes} == {Outcome.NOT_SENT}
    assert "could not record it (disk full)" in report.outcomes[0].detail


def test_a_journal_failing_after_the_answer_keeps_the_answer_and_stops(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    class FullAfterAnswer(Journal):
        def batch_finished(self, batch: Batch, outcomes: object, balance: object) -> None:
            raise OSError("disk full")

    report = run_send(client, make_plan(numbers(6), batch_size=3), recorder=FullAfterAnswer())
    assert len(sim.sent) == 3
    assert [o.outcome for o in report.outcomes] == [Outcome.SENT] * 3 + [Outcome.NOT_SENT] * 3
    assert isinstance(report.journal_error, OSError)


class CountsMoreThanItLists:
    """A server whose SmsSent is larger than the results it lists as queued."""

    def __init__(self, real: VettrakClient) -> None:
        self.real = real

    def send_batch(self, message: str, recipients: Sequence[PlannedRecipient], options: object):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        response = self.real.send_batch(message, recipients, options)  # type: ignore[arg-type]
        return replace(response, results=response.results[:-1])


def test_recipients_missing_from_results_are_unknown_when_sms_sent_says_more_went(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    report = run_send(CountsMoreThanItLists(client), make_plan(numbers(3)))
    assert [o.outcome for o in report.outcomes] == [Outcome.SENT] * 2 + [Outcome.UNKNOWN]
    assert "may have gone out" in report.outcomes[-1].detail


class RefusesConnectionsAtFirst:
    """A client whose first `failures` attempts cannot reach the server, then works."""

    def __init__(self, real: VettrakClient, failures: int) -> None:
        self.real, self.failures, self.attempts = real, failures, 0

    def send_batch(self, message: str, recipients: Sequence[PlannedRecipient], options: object):  # type: ignore[no-untyped-def]
        self.attempts += 1
        if self.attempts <= self.failures:
            from vtsms_gui.api.errors import CannotConnect

            raise CannotConnect("Cannot reach the VETtrak server (connection refused).")
        return self.real.send_batch(message, recipients, options)  # type: ignore[arg-type]


@pytest.mark.parametrize(("failures", "sent"), [(1, 3), (2, 3), (3, 0)])
def test_only_a_refused_connection_is_retried_with_backoff(
    sim: SimulatorServer, client: VettrakClient, failures: int, sent: int
) -> None:
    flaky = RefusesConnectionsAtFirst(client, failures)
    report = run_send(flaky, make_plan(numbers(3)), retry_delays=(0.01, 0.01))
    assert flaky.attempts == min(failures + 1, 3)
    assert len(sim.sent) == sent
    assert report.counts.sent == sent
