"""Every failure class of a send, injected on the second of three batches: the journal and the
simulator's record of what went out agree exactly, and no recipient is ever sent twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from send_faults import check_journal_agrees_with_simulator, run_with_fault

from vtsms_gui.domain.outcomes import OutcomeCounts
from vtsms_gui.simulator import Fault, SimulatorServer
from vtsms_gui.storage.journal import JournalUnavailable


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0) as server:
        yield server


def second_batch(fault: Fault, **kwargs: float) -> Callable[[SimulatorServer], None]:
    return lambda sim: sim.inject(fault, after=1, **kwargs)  # type: ignore[arg-type]


# (arrangement, journal counts sent/failed/unknown/not_sent, SMS the simulator sent)
CASES: dict[str, tuple[Callable[[SimulatorServer], None], OutcomeCounts, int]] = {
    "http 500 html page": (second_batch(Fault.HTTP_500_HTML), OutcomeCounts(3, 0, 3, 3), 3),
    "soap fault (server)": (second_batch(Fault.SOAP_FAULT), OutcomeCounts(3, 0, 3, 3), 3),
    "reply slower than the timeout": (
        second_batch(Fault.SLOW, seconds=3),
        OutcomeCounts(3, 0, 3, 3),
        6,
    ),
    "connection dropped after sending": (
        second_batch(Fault.DROP_AFTER_RECORD),
        OutcomeCounts(3, 0, 3, 3),
        6,
    ),
    "truncated xml": (second_batch(Fault.TRUNCATED_XML), OutcomeCounts(3, 0, 3, 3), 6),
    "billion laughs": (second_batch(Fault.BILLION_LAUGHS), OutcomeCounts(3, 0, 3, 3), 3),
    "external entity": (second_batch(Fault.EXTERNAL_ENTITY), OutcomeCounts(3, 0, 3, 3), 3),
    "huge body": (second_batch(Fault.HUGE_BODY, size_mb=12), OutcomeCounts(3, 0, 3, 3), 3),
    "token expired": (second_batch(Fault.EXPIRE_TOKEN), OutcomeCounts(9, 0, 0, 0), 9),
}


@pytest.mark.parametrize("case", list(CASES))
def test_injected_fault_on_the_second_batch(
    sim: SimulatorServer, tmp_path: Path, case: str
) -> None:
    arrange, expected, simulator_sent = CASES[case]
    run = run_with_fault(sim, tmp_path / "journal.sqlite3", arrange)
    check_journal_agrees_with_simulator(run)
    assert run.journal_counts == expected
    assert sum(run.sent_by_simulator.values()) == simulator_sent


class ActAfterFirstBatch:
    """A recorder wrapper that changes the simulator once batch 1 is journalled as done."""

    def __init__(
        self, recorder: object, sim: SimulatorServer, action: Callable[[SimulatorServer], None]
    ):
        self._recorder = recorder
        self._sim = sim
        self._action = action

    def batch_started(self, batch: object) -> None:
        self._recorder.batch_started(batch)  # type: ignore[attr-defined]

    def batch_finished(self, batch: object, outcomes: object, balance: object) -> None:
        self._recorder.batch_finished(batch, outcomes, balance)  # type: ignore[attr-defined]
        if batch.number == 1:  # type: ignore[attr-defined]
            self._action(self._sim)


@pytest.mark.parametrize(
    ("case", "action", "expected"),
    [
        ("not enough credit", lambda sim: sim.set_balance(2), OutcomeCounts(3, 0, 0, 6)),
        (
            "sms extension missing",
            lambda sim: sim.set_sms_enabled(False),
            OutcomeCounts(3, 0, 0, 6),
        ),
        ("server down (retried, then refused)", lambda sim: sim.stop(), OutcomeCounts(3, 0, 0, 6)),
    ],
)
def test_server_state_changing_after_the_first_batch(
    sim: SimulatorServer,
    tmp_path: Path,
    case: str,
    action: Callable[[SimulatorServer], None],
    expected: OutcomeCounts,
) -> None:
    run = run_with_fault(
        sim,
        tmp_path / "journal.sqlite3",
        lambda _: None,
        wrap_recorder=lambda rec: ActAfterFirstBatch(rec, sim, action),
    )
    check_journal_agrees_with_simulator(run)
    assert run.journal_counts == expected
    assert sum(run.sent_by_simulator.values()) == 3


class DiskFullOnSecondBatch:
    def __init__(self, recorder: object) -> None:
        self._recorder = recorder

    def batch_started(self, batch: object) -> None:
        if batch.number == 2:  # type: ignore[attr-defined]
            raise JournalUnavailable("The send journal could not be written: the disk is full.")
        self._recorder.batch_started(batch)  # type: ignore[attr-defined]

    def batch_finished(self, batch: object, outcomes: object, balance: object) -> None:
        self._recorder.batch_finished(batch, outcomes, balance)  # type: ignore[attr-defined]


def test_a_journal_that_cannot_be_written_stops_the_send_before_the_next_request(
    sim: SimulatorServer, tmp_path: Path
) -> None:
    run = run_with_fault(
        sim, tmp_path / "journal.sqlite3", lambda _: None, wrap_recorder=DiskFullOnSecondBatch
    )
    assert isinstance(run.report.journal_error, JournalUnavailable)
    assert "disk is full" in str(run.report.journal_error)
    check_journal_agrees_with_simulator(run)
    assert run.journal_counts == OutcomeCounts(3, 0, 0, 6)
    assert sum(run.sent_by_simulator.values()) == 3
