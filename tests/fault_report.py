"""Prints the fault matrix of the send-journal issue: for each failure injected on the second of
three batches, the journal's outcome counts next to what the simulator actually sent.

Run: .venv/bin/python tests/fault_report.py   (the same cases as tests/test_send_faults.py)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from send_faults import check_journal_agrees_with_simulator, run_with_fault
from test_send_faults import CASES, ActAfterFirstBatch, DiskFullOnSecondBatch

from vtsms_gui.simulator import SimulatorServer

STATE_CHANGES = {
    "not enough credit": lambda sim: sim.set_balance(2),
    "sms extension missing": lambda sim: sim.set_sms_enabled(False),
    "server down (retried, then refused)": lambda sim: sim.stop(),
}


def main() -> None:
    header = "sent failed unknown not_sent  simulator sent  twice"
    print(f"{'fault on batch 2 of 3 (3 recipients each)':<38} {header}")
    rows = [(name, arrange, None) for name, (arrange, _, _) in CASES.items()]
    rows += [(name, lambda _: None, action) for name, action in STATE_CHANGES.items()]
    rows.append(("send journal full before batch 2", lambda _: None, "disk"))
    for name, arrange, action in rows:
        with tempfile.TemporaryDirectory() as folder, SimulatorServer(port=0) as sim:
            if action == "disk":
                wrap = DiskFullOnSecondBatch
            elif action is not None:
                wrap = lambda rec, act=action, s=sim: ActAfterFirstBatch(rec, s, act)  # noqa: E731
            else:
                wrap = None
            run = run_with_fault(sim, Path(folder) / "j.sqlite3", arrange, wrap_recorder=wrap)
            check_journal_agrees_with_simulator(run)
            c = run.journal_counts
            twice = sum(1 for n in run.sent_by_simulator.values() if n > 1)
            total = sum(run.sent_by_simulator.values())
            counts = f"{c.sent:>4} {c.failed:>6} {c.unknown:>7} {c.not_sent:>8}"
            print(f"{name:<38} {counts}  {total:>14}  {twice:>5}")


if __name__ == "__main__":
    main()
