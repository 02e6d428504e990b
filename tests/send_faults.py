"""A three-batch send through the real journal, client and simulator with one fault on the
second batch: shared by the fault tests and by the script that prints the fault matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vtsms_gui.api.client import ClientConfig, VettrakClient
from vtsms_gui.api.send_runner import SendReport
from vtsms_gui.core.sending import RecorderHook, SendPlace, SendWatchers, recover, send
from vtsms_gui.domain.outcomes import OutcomeCounts
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import SendOptions, SendPlan, build_plan
from vtsms_gui.simulator import SimulatorServer
from vtsms_gui.storage.journal import Journal, SendRecord

NUMBERS = [f"04915701{n:02d}" for n in range(10, 19)]  # nine recipients, three batches of three
READ_TIMEOUT = 1.0


@dataclass
class FaultRun:
    report: SendReport
    record: SendRecord
    sent_by_simulator: Counter[str]

    @property
    def journal_counts(self) -> OutcomeCounts:
        return self.record.counts


def plan_for(numbers: list[str] = NUMBERS) -> SendPlan:
    checked = check_recipients([Recipient(None, n) for n in numbers], PhoneParser())
    return build_plan("Class is cancelled today.", checked, SendOptions(batch_size=3))


def run_with_fault(
    sim: SimulatorServer,
    journal_path: Path,
    arrange: Callable[[SimulatorServer], None],
    *,
    wrap_recorder: RecorderHook | None = None,
) -> FaultRun:
    """Log in, let `arrange` set the fault up, send through the core's journalled send, and
    read back journal and simulator."""
    client = VettrakClient(ClientConfig(service_url=sim.url, read_timeout=READ_TIMEOUT))
    client.login("demo", "demo")
    plan = plan_for()
    arrange(sim)
    watchers = SendWatchers(recorder_hook=wrap_recorder, retry_delays=(0.05,))
    with Journal(journal_path) as journal:
        send_id, report = send(client, plan, journal, SendPlace(sim.url, "demo"), watchers)
        recover(journal)
        record = journal.get_send(send_id)
    client.close()
    return FaultRun(report, record, Counter(s.mobile for s in sim.sent if s.mobile))


def check_journal_agrees_with_simulator(run: FaultRun) -> None:
    """Sent means the simulator sent it; failed and not sent mean it did not; nobody twice."""
    assert all(count == 1 for count in run.sent_by_simulator.values()), run.sent_by_simulator
    for item in run.record.recipients:
        went_out = run.sent_by_simulator[item.mobile or ""] > 0
        if item.outcome.value == "sent":
            assert went_out, item
        elif item.outcome.value in {"failed", "not_sent"}:
            assert not went_out, item

    # The details can differ only where the journal itself failed (it cannot record that).
    def fates(outcomes: object) -> list[tuple[int, str, int | None]]:
        return [(o.row, o.outcome.value, o.status) for o in outcomes]  # type: ignore[attr-defined]

    assert fates(run.record.recipients) == fates(run.report.outcomes)
    if run.report.journal_error is None:
        assert tuple(run.record.recipients) == run.report.outcomes
