"""The send journal on real SQLite files: round trips, crash recovery, resuming, migrations and
the disk problems (full, locked, read-only, damaged) that must stop a send with a clear message."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vtsms_gui.domain.outcomes import (
    NOT_SENT_DETAIL,
    Outcome,
    OutcomeCounts,
    RecipientOutcome,
    SendRecorder,
)
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import (
    Batch,
    PlannedRecipient,
    ResendOf,
    SendOptions,
    SendPlan,
    build_plan,
    plan_resend,
)
from vtsms_gui.storage.journal import (
    IN_FLIGHT_DETAIL,
    INTERRUPTED_DETAIL,
    BatchState,
    Journal,
    JournalUnavailable,
    SendConflict,
    UnknownSend,
    default_journal_path,
    parse_send_id,
)
from vtsms_gui.storage.journal.schema import LATEST_VERSION

PARSER = PhoneParser()
SERVER = "https://rto.example.edu.au/vettrak/VT_API.asmx"
MESSAGE = "Class is cancelled today. See you on Monday at 9."
TOKEN = "'&7%+>-\"6(+!56$0>345"  # a real token's shape: every XML-special character
REPO = Path(__file__).resolve().parents[1]


def make_plan(
    count: int,
    *,
    batch_size: int = 2,
    message: str = MESSAGE,
    bad_rows: Sequence[int] = (),
    **options: object,
) -> SendPlan:
    rows = [
        Recipient(
            client_code=f"0{3000 + row}" if row % 2 and row not in bad_rows else None,
            mobile="" if row in bad_rows else f"0491 570 {row:03d}",
        )
        for row in range(count)
    ]
    checked = check_recipients(rows, PARSER)
    opts = SendOptions(batch_size=batch_size, sender="AcmeRTO", **options)  # type: ignore[arg-type]
    return build_plan(message, checked, opts, balance=500)


def answered(
    batch: Batch, outcome: Outcome = Outcome.SENT, detail: str = "queued for sending"
) -> list[RecipientOutcome]:
    status = {Outcome.SENT: 1, Outcome.FAILED: -2}.get(outcome)
    return [
        RecipientOutcome(r.row, r.client_code, r.mobile, status, outcome, detail, batch.number)
        for r in batch.recipients
    ]


def outcomes_by_row(journal: Journal, send_id: str) -> dict[int, Outcome]:
    return {o.row: o.outcome for o in journal.get_send(send_id).recipients}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(path: Path) -> Iterator[Journal]:
    with Journal(path) as opened:
        yield opened


# ----- writing and recording ---------------------------------------------------------------


def test_a_send_is_written_in_full_before_anything_goes_out(journal: Journal) -> None:
    schedule = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=10)))
    plan = make_plan(5, bad_rows=[3], marketing=True, schedule=schedule)
    before = datetime.now(UTC).replace(microsecond=0)

    send_id = journal.create_send(plan, server=SERVER, username="api.user")

    assert send_id == "S-000001"
    record = journal.get_send(send_id)
    assert before <= record.created_at <= datetime.now(UTC)
    assert record.created_at.utcoffset() == timedelta(0)
    assert (record.server, record.username, record.message) == (SERVER, "api.user", plan.message)
    assert record.options == plan.options
    assert (record.segments, record.credits, record.balance_before) == (1, 4, 500)
    assert [(r.row, r.client_code, r.mobile) for r in record.recipients] == [
        (r.row, r.client_code, r.mobile) for r in plan.recipients
    ]
    assert {r.outcome for r in record.recipients} == {Outcome.NOT_SENT}
    assert {r.detail for r in record.recipients} == {NOT_SENT_DETAIL}
    assert [r.batch for r in record.recipients] == [1, 1, 2, 2]
    assert [(b.attempt, b.number, b.state) for b in record.batches] == [
        (1, 1, BatchState.PLANNED),
        (1, 2, BatchState.PLANNED),
    ]
    assert [e.row for e in record.excluded] == [3]
    assert record.excluded[0].reason == plan.excluded[0].reason


def test_a_recorded_send_reads_back_batch_by_batch(journal: Journal) -> None:
    plan = make_plan(5)
    send_id = journal.create_send(plan, server=SERVER, username="api.user")
    first, second, third = plan.batches

    recorder: SendRecorder = journal.recorder(send_id)  # what the send runner is given
    recorder.batch_started(first)
    recorder.batch_finished(first, answered(first), balance=498)
    recorder.batch_started(second)
    recorder.batch_finished(
        second, answered(second, Outcome.FAILED, "client code not found"), balance=498
    )
    recorder.batch_started(third)
    recorder.batch_finished(third, answered(third, Outcome.UNKNOWN, "timed out"), balance=None)

    record = journal.get_send(send_id)
    assert [(b.state, b.balance) for b in record.batches] == [
        (BatchState.DONE, 498),
        (BatchState.FAILED, 498),
        (BatchState.UNKNOWN, None),
    ]
    assert all(b.started_at and b.finished_at for b in record.batches)
    assert [(r.outcome, r.status, r.detail) for r in record.recipients] == [
        (Outcome.SENT, 1, "queued for sending"),
        (Outcome.SENT, 1, "queued for sending"),
        (Outcome.FAILED, -2, "client code not found"),
        (Outcome.FAILED, -2, "client code not found"),
        (Outcome.UNKNOWN, None, "timed out"),
    ]
    assert record.counts == OutcomeCounts(sent=2, failed=2, unknown=1)


def test_batch_started_is_committed_before_it_returns(journal: Journal, path: Path) -> None:
    plan = make_plan(3)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    with journal.recorder(send_id) as recorder:
        recorder.batch_started(plan.batches[0])
        # Another connection (as another process would) already sees it in flight.
        with sqlite3.connect(path) as other:
            states = other.execute("SELECT number, state FROM batches ORDER BY number").fetchall()
        other.close()
        assert states == [(1, "in_flight"), (2, "planned")]
        with Journal(path) as history:
            shown = history.get_send(send_id).recipients
        assert [(r.outcome, r.detail) for r in shown] == [
            (Outcome.UNKNOWN, IN_FLIGHT_DETAIL)
        ] * 2 + [(Outcome.NOT_SENT, NOT_SENT_DETAIL)]


def test_the_journal_uses_wal_full_sync_and_the_latest_schema(journal: Journal, path: Path) -> None:
    db = journal._db  # the settings are per connection: look at the journal's own
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION == 4


def test_outcomes_must_cover_exactly_the_batch(journal: Journal) -> None:
    plan = make_plan(4)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    batch = plan.batches[0]
    recorder = journal.recorder(send_id)
    with pytest.raises(ValueError, match="not in flight"):
        recorder.batch_finished(batch, answered(batch), balance=None)
    recorder.batch_started(batch)
    with pytest.raises(ValueError, match="do not match"):
        recorder.batch_finished(batch, answered(batch)[:1], balance=None)
    recorder.batch_finished(batch, answered(batch), balance=None)


def test_a_batch_is_never_started_twice(journal: Journal) -> None:
    plan = make_plan(2)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    batch = plan.batches[0]
    recorder = journal.recorder(send_id)
    recorder.batch_started(batch)
    recorder.batch_finished(batch, answered(batch), balance=None)
    with pytest.raises(SendConflict, match="already started"):
        journal.recorder(send_id).batch_started(batch)


def test_a_batch_must_be_the_one_journalled(journal: Journal) -> None:
    plan = make_plan(4)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    swapped = replace(plan.batches[1], number=1)
    with pytest.raises(ValueError, match="not the one"):
        journal.recorder(send_id).batch_started(swapped)


def test_one_send_is_sent_by_one_process_at_a_time(path: Path, journal: Journal) -> None:
    plan = make_plan(4)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    with Journal(path) as elsewhere, journal.recorder(send_id) as sending:
        sending.batch_started(plan.batches[0])
        with pytest.raises(SendConflict, match="being sent by another"):
            elsewhere.recorder(send_id).batch_started(plan.batches[1])
        sending.batch_finished(plan.batches[0], answered(plan.batches[0]), balance=None)
    assert journal.get_send(send_id).batches[1].state is BatchState.PLANNED


# ----- recovery ----------------------------------------------------------------------------


def test_recovery_marks_an_abandoned_batch_unknown_and_says_so(journal: Journal) -> None:
    plan = make_plan(6)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    with journal.recorder(send_id) as recorder:
        recorder.batch_started(plan.batches[0])
        recorder.batch_finished(plan.batches[0], answered(plan.batches[0]), balance=None)
        recorder.batch_started(plan.batches[1])
    # The recorder was closed with batch 2 in flight, as when the process dies.

    [interrupted] = journal.recover_interrupted()

    assert (interrupted.send_id, interrupted.attempt, interrupted.batch) == (send_id, 1, 2)
    assert [r.row for r in interrupted.recipients] == [2, 3]
    assert {(r.outcome, r.detail) for r in interrupted.recipients} == {
        (Outcome.UNKNOWN, INTERRUPTED_DETAIL)
    }
    assert interrupted.not_sent == 2
    assert interrupted.describe() == (
        f"Send {send_id} stopped while batch 2 was being sent: 2 recipients may or may not "
        "have received the SMS. Check the SMS history in VETtrak before resending to them. "
        "2 other recipients of this send were not sent: resuming the send sends to them."
    )
    assert [b.state for b in journal.get_send(send_id).batches] == [
        BatchState.DONE,
        BatchState.UNKNOWN,
        BatchState.PLANNED,
    ]
    assert journal.recover_interrupted() == []


def test_every_abandoned_batch_of_a_send_is_recovered(path: Path, journal: Journal) -> None:
    send_id = journal.create_send(make_plan(4), server=SERVER, username="u")
    with sqlite3.connect(path) as raw:  # as a crashed older version could leave it
        raw.execute("UPDATE batches SET state = 'in_flight'")
    raw.close()
    assert [(b.send_id, b.batch) for b in journal.recover_interrupted()] == [
        (send_id, 1),
        (send_id, 2),
    ]


def test_recovery_leaves_a_batch_alone_while_its_sender_lives(path: Path, journal: Journal) -> None:
    plan = make_plan(2)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    with journal.recorder(send_id) as recorder:
        recorder.batch_started(plan.batches[0])
        with Journal(path) as another_window:
            assert another_window.recover_interrupted() == []
            assert another_window.pending_recipients(send_id, include_unknown=True) == []
            with pytest.raises(SendConflict, match="being sent right now"):
                another_window.add_batches(send_id, [plan.batches[0]])
        recorder.batch_finished(plan.batches[0], answered(plan.batches[0]), balance=7)
    assert journal.get_send(send_id).batches[0].state is BatchState.DONE


def test_two_processes_recovering_at_once_report_each_batch_once(
    path: Path, journal: Journal
) -> None:
    plans = [make_plan(2), make_plan(3)]
    for plan in plans:
        send_id = journal.create_send(plan, server=SERVER, username="u")
        with journal.recorder(send_id) as recorder:
            recorder.batch_started(plan.batches[0])
    start = threading.Barrier(2)
    reports: list[list[str]] = []

    def recover() -> None:
        with Journal(path) as own:  # a connection of its own, as a second process has
            start.wait()
            reports.append([f"{b.send_id}/{b.batch}" for b in own.recover_interrupted()])

    threads = [threading.Thread(target=recover) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(item for report in reports for item in report) == ["S-000001/1", "S-000002/1"]
    assert len(reports) == 2


CHILD = """
import sys, time
from pathlib import Path
from vtsms_gui.domain.outcomes import Outcome, RecipientOutcome
from vtsms_gui.domain.send_plan import Batch, PlannedRecipient
from vtsms_gui.storage.journal import Journal

path, send_id, marker, hang_at = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
journal = Journal(path)
recorder = journal.recorder(send_id)
for kept in journal.get_send(send_id).batches:
    batch = Batch(kept.number, tuple(PlannedRecipient(o.row, o.client_code, o.mobile)
                                     for o in kept.outcomes), "", 1)
    recorder.batch_started(batch)
    if batch.number == hang_at:  # a request that never answers: the parent kills us here
        marker.write_text("in flight")
        time.sleep(60)
    recorder.batch_finished(batch, [
        RecipientOutcome(r.row, r.client_code, r.mobile, 1, Outcome.SENT, "queued", batch.number)
        for r in batch.recipients], balance=100)
"""


def test_a_send_killed_mid_batch_is_recovered_from_the_journal_alone(
    tmp_path: Path, path: Path, journal: Journal
) -> None:
    plan = make_plan(8, batch_size=2)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    marker = tmp_path / "in-flight"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    args = [sys.executable, "-c", CHILD, str(path), send_id, str(marker), "2"]
    with subprocess.Popen(args, env=env, stderr=subprocess.PIPE) as child:
        try:
            deadline = time.monotonic() + 30
            while not marker.exists():
                assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
                assert time.monotonic() < deadline, "the child never reached batch 2"
                time.sleep(0.02)
            assert journal.recover_interrupted() == []  # it is alive: batch 2 is still coming
        finally:
            child.send_signal(signal.SIGKILL)  # also when the test fails: never leave it behind
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    [interrupted] = journal.recover_interrupted()

    assert (interrupted.send_id, interrupted.batch, interrupted.not_sent) == (send_id, 2, 4)
    record = journal.get_send(send_id)
    assert [b.state for b in record.batches] == [
        BatchState.DONE,
        BatchState.UNKNOWN,
        BatchState.PLANNED,
        BatchState.PLANNED,
    ]
    assert [r.outcome for r in record.recipients] == [Outcome.SENT] * 2 + [Outcome.UNKNOWN] * 2 + [
        Outcome.NOT_SENT
    ] * 4
    assert [r.row for r in journal.pending_recipients(send_id)] == [4, 5, 6, 7]


# ----- history -----------------------------------------------------------------------------


def test_history_lists_sends_newest_first_with_counts(journal: Journal) -> None:
    long_message = "Reminder: your assessment for BSB50420 is due this Friday. " * 3
    first = journal.create_send(make_plan(3), server=SERVER, username="anna")
    second_plan = make_plan(4, message=long_message)
    second = journal.create_send(second_plan, server=SERVER, username="ben")
    recorder = journal.recorder(second)
    recorder.batch_started(second_plan.batches[0])
    recorder.batch_finished(second_plan.batches[0], answered(second_plan.batches[0]), 10)

    sends = journal.list_sends()

    assert [s.send_id for s in sends] == [second, first]
    newest = sends[0]
    assert (newest.username, newest.sender, newest.server) == ("ben", "AcmeRTO", SERVER)
    assert newest.counts == OutcomeCounts(sent=2, not_sent=2)
    assert (newest.recipients, newest.credits, newest.attempts) == (4, 4 * 2, 1)
    assert newest.first_words == "Reminder: your assessment for BSB50420…"
    assert sends[1].counts == OutcomeCounts(not_sent=3)
    assert [s.send_id for s in journal.list_sends(last=1)] == [second]
    assert journal.list_sends(last=0) == []


def test_history_json_has_the_documented_shape(journal: Journal) -> None:
    plan = make_plan(2, batch_size=1)
    older = journal.create_send(make_plan(1), server=SERVER, username="u")
    newer = journal.create_send(plan, server=SERVER, username="u")
    recorder = journal.recorder(newer)
    recorder.batch_started(plan.batches[0])
    recorder.batch_finished(plan.batches[0], answered(plan.batches[0]), balance=3)

    printed = json.loads(json.dumps({"sends": [r.to_json() for r in journal.get_sends()]}))

    assert [s["send_id"] for s in printed["sends"]] == [newer, older]
    send = printed["sends"][0]
    assert {"send_id", "created_at", "message", "sender", "recipients"} <= send.keys()
    assert datetime.fromisoformat(send["created_at"]).utcoffset() == timedelta(0)
    assert (send["message"], send["sender"]) == (plan.message, "AcmeRTO")
    assert send["counts"] == {"sent": 1, "failed": 0, "unknown": 0, "not_sent": 1}
    assert send["recipients"] == [
        {
            "client_code": None,
            "mobile": "0491570000",
            "status": 1,
            "outcome": "sent",
            "detail": "queued for sending",
            "text": plan.message,
        },
        {
            "client_code": "03001",
            "mobile": "0491570001",
            "status": None,
            "outcome": "not_sent",
            "detail": NOT_SENT_DETAIL,
            "text": plan.message,
        },
    ]
    assert [r.send_id for r in journal.get_sends(last=1)] == [newer]


def test_send_ids_are_read_loosely_and_unknown_ones_say_so(journal: Journal) -> None:
    assert parse_send_id("S-000123") == parse_send_id(" s-123 ") == parse_send_id("123") == 123
    with pytest.raises(UnknownSend, match="look like S-000123"):
        parse_send_id("yesterday")
    with pytest.raises(UnknownSend, match="no send S-000042"):
        journal.get_send("S-42")
    with pytest.raises(UnknownSend):
        journal.pending_recipients("S-000042")


def test_the_default_journal_lives_in_the_data_folder(isolated_home: Path) -> None:
    assert default_journal_path() == isolated_home / "data" / "journal.sqlite3"


def test_the_demo_keeps_its_own_journal(isolated_home: Path) -> None:
    assert default_journal_path(demo=True) == isolated_home / "data" / "demo-journal.sqlite3"


# ----- resuming ----------------------------------------------------------------------------


def _interrupted_send(journal: Journal) -> tuple[str, SendPlan]:
    """Batch 1: one sent, one failed; batch 2 interrupted (unknown); batch 3 never started."""
    plan = make_plan(6)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    first = plan.batches[0]
    with journal.recorder(send_id) as recorder:
        recorder.batch_started(first)
        sent, failed = answered(first)[0], answered(first, Outcome.FAILED)[1]
        recorder.batch_finished(first, [sent, failed], balance=None)
        recorder.batch_started(plan.batches[1])
    journal.recover_interrupted()
    return send_id, plan


def test_pending_recipients_are_the_not_sent_and_unknown_only_when_asked(
    journal: Journal,
) -> None:
    send_id, plan = _interrupted_send(journal)
    assert journal.pending_recipients(send_id) == list(plan.batches[2].recipients)
    assert journal.pending_recipients(send_id, include_unknown=True) == [
        *plan.batches[1].recipients,
        *plan.batches[2].recipients,
    ]


def test_resuming_records_a_new_attempt_and_keeps_the_first(journal: Journal) -> None:
    send_id, _ = _interrupted_send(journal)
    waiting = journal.pending_recipients(send_id, include_unknown=True)
    resend = (Batch(1, tuple(waiting[:3]), MESSAGE, 1), Batch(2, tuple(waiting[3:]), MESSAGE, 1))

    assert journal.add_batches(send_id, resend) == 2
    with journal.recorder(send_id) as recorder:
        assert recorder.attempt == 2
        for batch in resend:
            recorder.batch_started(batch)
            recorder.batch_finished(batch, answered(batch), balance=None)

    record = journal.get_send(send_id)
    assert outcomes_by_row(journal, send_id) == {
        0: Outcome.SENT,
        1: Outcome.FAILED,
        2: Outcome.SENT,
        3: Outcome.SENT,
        4: Outcome.SENT,
        5: Outcome.SENT,
    }
    assert [(b.attempt, b.number, b.state) for b in record.batches] == [
        (1, 1, BatchState.DONE),
        (1, 2, BatchState.UNKNOWN),
        (1, 3, BatchState.PLANNED),
        (2, 1, BatchState.DONE),
        (2, 2, BatchState.DONE),
    ]
    # The first attempt's answers are still there, unchanged.
    assert [o.outcome for o in record.batches[1].outcomes] == [Outcome.UNKNOWN] * 2
    assert journal.list_sends()[0].attempts == 2
    assert journal.pending_recipients(send_id, include_unknown=True) == []


def test_resuming_refuses_anyone_already_sent_and_adds_nothing(journal: Journal) -> None:
    send_id, plan = _interrupted_send(journal)
    already_sent = plan.batches[0].recipients[0]
    with pytest.raises(SendConflict, match=r"Row 1 of send S-000001 .* latest outcome is sent"):
        journal.add_batches(
            send_id,
            [
                replace(
                    plan.batches[2],
                    number=1,
                    recipients=(already_sent, *plan.batches[2].recipients),
                )
            ],
        )
    assert [b.attempt for b in journal.get_send(send_id).batches] == [1, 1, 1]
    with pytest.raises(ValueError, match="more than once"):
        journal.add_batches(
            send_id, [replace(plan.batches[2], number=1, recipients=plan.batches[2].recipients * 2)]
        )
    with pytest.raises(ValueError, match="not a recipient"):
        journal.add_batches(
            send_id, [Batch(1, (PlannedRecipient(99, None, "0491570099"),), MESSAGE, 1)]
        )


def test_an_older_attempt_cannot_go_on_once_resumed_elsewhere(journal: Journal) -> None:
    send_id, plan = _interrupted_send(journal)
    stale = journal.recorder(send_id, attempt=1)
    journal.add_batches(send_id, [plan.batches[2]])
    with pytest.raises(SendConflict, match="resumed from another window"):
        stale.batch_started(plan.batches[2])
    # It let go of the send: the new attempt can go ahead.
    journal.recorder(send_id).batch_started(plan.batches[2])


# ----- resending rows in a new send ----------------------------------------------------------


def _resend_plan(rows: Sequence[RecipientOutcome], send_id: str) -> SendPlan:
    """A new send of some rows of `send_id` (the window's "Resend to failed / not sent")."""
    planned = [PlannedRecipient(i, r.client_code, r.mobile) for i, r in enumerate(rows)]
    plan = plan_resend("Second try.", planned, SendOptions(batch_size=2))
    return replace(plan, resend_of=ResendOf(send_id, tuple(r.row for r in rows)))


def test_rows_resent_in_a_new_send_are_no_longer_waiting(journal: Journal) -> None:
    send_id, _ = _interrupted_send(journal)  # rows: 0 sent, 1 failed, 2-3 unknown, 4-5 not sent
    record = journal.get_send(send_id)
    failed_or_not_sent = record.to_resend(Outcome.FAILED, Outcome.NOT_SENT)
    assert [r.row for r in failed_or_not_sent] == [1, 4, 5]
    assert [r.row for r in record.to_resend(Outcome.UNKNOWN)] == [2, 3]

    new_id = journal.create_send(
        _resend_plan(failed_or_not_sent, send_id), server=SERVER, username="u"
    )

    record = journal.get_send(send_id)
    assert record.resent_in == {1: new_id, 4: new_id, 5: new_id}
    assert record.to_resend(Outcome.FAILED, Outcome.NOT_SENT) == ()
    assert [r.row for r in record.to_resend(Outcome.UNKNOWN)] == [2, 3]
    # The outcomes themselves are history and stay as they were.
    assert outcomes_by_row(journal, send_id)[4] is Outcome.NOT_SENT
    # Neither `vtsms resume` nor a second resend can send them again.
    assert [r.row for r in journal.pending_recipients(send_id, include_unknown=True)] == [2, 3]
    with pytest.raises(SendConflict, match=f"Row 5 of send {send_id} was already resent in"):
        journal.add_batches(
            send_id, [Batch(1, (PlannedRecipient(4, None, "0491570004"),), MESSAGE, 1)]
        )
    with pytest.raises(SendConflict, match=f"already resent in send {new_id}"):
        journal.create_send(_resend_plan(failed_or_not_sent, send_id), server=SERVER, username="u")
    assert [s.send_id for s in journal.list_sends()] == [new_id, send_id]  # nothing was added


def test_a_resend_of_a_row_sent_meanwhile_writes_nothing(journal: Journal) -> None:
    send_id, plan = _interrupted_send(journal)
    pending = journal.get_send(send_id).to_resend(Outcome.NOT_SENT)
    # Meanwhile `vtsms resume` sent them.
    journal.add_batches(send_id, [plan.batches[2]])
    with journal.recorder(send_id) as recorder:
        recorder.batch_started(plan.batches[2])
        recorder.batch_finished(plan.batches[2], answered(plan.batches[2]), balance=None)

    with pytest.raises(SendConflict, match=r"Row 5 .* latest outcome is sent\). Nothing was sent"):
        journal.create_send(_resend_plan(pending, send_id), server=SERVER, username="u")
    assert len(journal.list_sends()) == 1
    assert journal.get_send(send_id).resent_in == {}


def test_a_send_stops_before_a_batch_whose_rows_were_resent_elsewhere(journal: Journal) -> None:
    plan = make_plan(4)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    recorder = journal.recorder(send_id)
    recorder.batch_started(plan.batches[0])
    recorder.batch_finished(plan.batches[0], answered(plan.batches[0]), balance=None)
    # Between two batches, another window resends the rows still waiting.
    waiting = journal.get_send(send_id).to_resend(Outcome.NOT_SENT)
    journal.create_send(_resend_plan(waiting, send_id), server=SERVER, username="u")

    with pytest.raises(SendConflict, match="resent in send S-000002 from another window"):
        recorder.batch_started(plan.batches[1])
    assert journal.get_send(send_id).batches[1].state is BatchState.PLANNED


def test_a_resend_of_rows_being_sent_is_refused(journal: Journal) -> None:
    plan = make_plan(2)
    send_id = journal.create_send(plan, server=SERVER, username="u")
    with journal.recorder(send_id) as recorder:
        recorder.batch_started(plan.batches[0])
        record = journal.get_send(send_id)
        assert record.in_progress
        with pytest.raises(SendConflict, match="being sent right now"):
            journal.create_send(
                _resend_plan(record.to_resend(Outcome.UNKNOWN), send_id),
                server=SERVER,
                username="u",
            )


# ----- migrations --------------------------------------------------------------------------

# The schema as version 1 shipped it, written out here on purpose: the test must not follow
# later edits to the migration code.
V1_FILE = """
CREATE TABLE sends (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL,
    message TEXT NOT NULL, sender TEXT NOT NULL, marketing INTEGER NOT NULL,
    accept_replies INTEGER NOT NULL, provider_id TEXT NOT NULL, schedule TEXT,
    batch_size INTEGER NOT NULL, max_parts INTEGER NOT NULL, segments INTEGER NOT NULL,
    credits INTEGER NOT NULL, balance_before INTEGER);
CREATE TABLE excluded (send_id INTEGER NOT NULL REFERENCES sends (id), row INTEGER NOT NULL,
    reason TEXT NOT NULL, PRIMARY KEY (send_id, row));
CREATE TABLE batches (id INTEGER PRIMARY KEY, send_id INTEGER NOT NULL REFERENCES sends (id),
    number INTEGER NOT NULL, state TEXT NOT NULL
    CHECK (state IN ('planned', 'in_flight', 'done', 'failed', 'unknown')),
    started_at TEXT, finished_at TEXT, balance INTEGER);
CREATE UNIQUE INDEX batches_by_number ON batches (send_id, number);
CREATE TABLE results (batch_id INTEGER NOT NULL REFERENCES batches (id), row INTEGER NOT NULL,
    client_code TEXT, mobile TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'unknown', 'not_sent')),
    status INTEGER, detail TEXT NOT NULL, PRIMARY KEY (batch_id, row));
INSERT INTO sends VALUES (7, '2025-03-04T05:06:07+00:00', 'Hello from v1', 'AcmeRTO', 0, 0, '',
    NULL, 2, 6, 1, 3, 100);
INSERT INTO excluded VALUES (7, 3, 'no mobile');
INSERT INTO batches VALUES (1, 7, 1, 'done', '2025-03-04T05:06:08+00:00',
    '2025-03-04T05:06:09+00:00', 98);
INSERT INTO batches VALUES (2, 7, 2, 'in_flight', '2025-03-04T05:06:10+00:00', NULL, NULL);
INSERT INTO batches VALUES (3, 7, 3, 'planned', NULL, NULL, NULL);
INSERT INTO results VALUES (1, 0, '03000', NULL, 'sent', 1, 'queued for sending');
INSERT INTO results VALUES (1, 1, NULL, '0491570001', 'failed', -1, 'no mobile');
INSERT INTO results VALUES (2, 2, NULL, '0491570002', 'not_sent', NULL, 'not sent');
INSERT INTO results VALUES (3, 4, NULL, '0491570004', 'not_sent', NULL, 'not sent');
PRAGMA user_version = 1;
"""


def test_a_version_1_journal_is_migrated_with_its_sends_intact(path: Path) -> None:
    with sqlite3.connect(path) as old:
        old.executescript(V1_FILE)
    old.close()

    with Journal(path) as journal:
        assert journal._db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        # Version 1 left recipients `not_sent` until the answer: recovery still finds them.
        [interrupted] = journal.recover_interrupted()
        assert (interrupted.send_id, interrupted.batch, interrupted.not_sent) == ("S-000007", 2, 1)
        assert [(r.row, r.outcome) for r in interrupted.recipients] == [(2, Outcome.UNKNOWN)]
        record = journal.get_send("S-000007")
        assert (record.server, record.username, record.message) == (None, None, "Hello from v1")
        assert record.options == SendOptions(sender="AcmeRTO", batch_size=2)
        assert [(b.attempt, b.number, b.state, b.balance) for b in record.batches] == [
            (1, 1, BatchState.DONE, 98),
            (1, 2, BatchState.UNKNOWN, None),
            (1, 3, BatchState.PLANNED, None),
        ]
        assert [(r.row, r.outcome, r.batch) for r in record.recipients] == [
            (0, Outcome.SENT, 1),
            (1, Outcome.FAILED, 1),
            (2, Outcome.UNKNOWN, 2),
            (4, Outcome.NOT_SENT, 3),
        ]
        assert [(e.row, e.reason) for e in record.excluded] == [(3, "no mobile")]
        [summary] = journal.list_sends()
        assert (summary.counts, summary.attempts) == (OutcomeCounts(1, 1, 1, 1), 1)
        # A migrated send can be resumed like a new one, and new sends follow its id.
        waiting = journal.pending_recipients("S-000007")
        assert waiting == [PlannedRecipient(4, None, "0491570004")]  # text None: the message
        assert journal.add_batches("S-000007", [Batch(1, tuple(waiting), "v1 message", 1)]) == 2
        assert journal.create_send(make_plan(1), server=SERVER, username="u") == "S-000008"


# Version 2 added the server, the user, attempts and the `latest_results` view.
V2_STEPS = """
ALTER TABLE sends ADD COLUMN server TEXT;
ALTER TABLE sends ADD COLUMN username TEXT;
ALTER TABLE batches ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1);
DROP INDEX batches_by_number;
CREATE UNIQUE INDEX batches_by_attempt ON batches (send_id, attempt, number);
CREATE VIEW latest_results AS
SELECT b.send_id, b.attempt, b.number AS batch, b.state, r.batch_id, r.row,
       r.client_code, r.mobile, r.status, r.outcome, r.detail
FROM results AS r JOIN batches AS b ON b.id = r.batch_id
WHERE NOT EXISTS (
    SELECT 1 FROM batches AS later JOIN results AS again ON again.batch_id = later.id
    WHERE later.send_id = b.send_id AND later.attempt > b.attempt AND again.row = r.row
);
UPDATE sends SET server = 'https://rto.example.edu.au/vettrak/VT_API.asmx', username = 'anna';
PRAGMA user_version = 2;
"""


def test_a_version_2_journal_is_migrated_and_its_rows_can_be_resent(path: Path) -> None:
    with sqlite3.connect(path) as old:
        old.executescript(V1_FILE.replace("PRAGMA user_version = 1;", "") + V2_STEPS)
    old.close()

    with Journal(path) as journal:
        assert journal._db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        journal.recover_interrupted()
        record = journal.get_send("S-000007")
        assert (record.server, record.username, record.resent_in) == (SERVER, "anna", {})
        waiting = record.to_resend(Outcome.FAILED, Outcome.NOT_SENT)
        assert [r.row for r in waiting] == [1, 4]
        new_id = journal.create_send(_resend_plan(waiting, "S-000007"), server=SERVER, username="u")
        assert new_id == "S-000008"
        assert journal.get_send("S-000007").resent_in == {1: new_id, 4: new_id}


def test_a_journal_from_a_newer_version_is_refused_not_damaged(path: Path) -> None:
    with sqlite3.connect(path) as newer:
        newer.execute("PRAGMA user_version = 99")
    newer.close()
    with pytest.raises(JournalUnavailable, match="newer version of vtsms-gui"):
        Journal(path)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == 99
    check.close()


# ----- the disk's problems -----------------------------------------------------------------


def test_a_full_disk_stops_with_a_clear_message_and_writes_nothing(journal: Journal) -> None:
    journal.create_send(make_plan(2), server=SERVER, username="u")
    db = journal._db
    # The page cap is per connection, so it goes on the journal's own: no room to grow.
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")

    with pytest.raises(JournalUnavailable, match="The disk is full") as raised:
        journal.create_send(make_plan(400, message="x" * 600), server=SERVER, username="u")

    assert str(journal.path) in str(raised.value)
    assert [s.send_id for s in journal.list_sends()] == ["S-000001"]


def test_a_locked_journal_stops_the_batch_before_it_is_sent(path: Path) -> None:
    with Journal(path, busy_timeout=0.1) as journal:
        plan = make_plan(2)
        send_id = journal.create_send(plan, server=SERVER, username="u")
        recorder = journal.recorder(send_id)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(JournalUnavailable, match="busy: another vtsms window"):
                recorder.batch_started(plan.batches[0])
            with pytest.raises(JournalUnavailable, match="busy"):
                journal.create_send(plan, server=SERVER, username="u")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert journal.get_send(send_id).batches[0].state is BatchState.PLANNED
        recorder.batch_started(plan.batches[0])  # nothing was left held


def test_a_read_only_journal_is_an_environment_problem(journal: Journal) -> None:
    journal._db.execute("PRAGMA query_only = ON")  # the same SQLITE_READONLY, even for root
    with pytest.raises(JournalUnavailable, match="read-only"):
        journal.create_send(make_plan(1), server=SERVER, username="u")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write read-only files"
)
def test_a_read_only_file_is_an_environment_problem(path: Path) -> None:
    with Journal(path):
        pass
    path.chmod(0o444)
    try:
        with pytest.raises(JournalUnavailable, match="read-only"), Journal(path) as journal:
            journal.create_send(make_plan(1), server=SERVER, username="u")
    finally:
        path.chmod(0o644)


def test_a_damaged_file_is_reported_plainly(path: Path) -> None:
    path.write_bytes(b"this is a spreadsheet, not a journal\n" * 200)
    with pytest.raises(JournalUnavailable, match="damaged"):
        Journal(path)


def test_bugs_are_not_disguised_as_disk_problems(journal: Journal, path: Path) -> None:
    with sqlite3.connect(path) as tamper:
        tamper.execute("DROP TABLE excluded")
    tamper.close()
    # A schema the code does not expect is a bug to fix, not something to tell the user.
    with pytest.raises(sqlite3.OperationalError, match="no such table: excluded"):
        journal.create_send(make_plan(1), server=SERVER, username="u")
    assert journal.list_sends() == []  # and the send it began was rolled back


# ----- secrets -----------------------------------------------------------------------------


def test_no_token_or_password_can_reach_the_file(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VTSMS_PASSWORD", TOKEN)
    monkeypatch.setenv("VTSMS_TOKEN", TOKEN)
    plan = make_plan(3)
    leaky_server = f"https://api.user:{TOKEN}@rto.example.edu.au/VT_API.asmx?token={TOKEN}#{TOKEN}"
    send_id = journal.create_send(plan, server=leaky_server, username="api.user")
    with journal.recorder(send_id) as recorder:
        recorder.batch_started(plan.batches[0])
        recorder.batch_finished(plan.batches[0], answered(plan.batches[0]), balance=1)
    assert journal.get_send(send_id).server == "https://rto.example.edu.au/VT_API.asmx"
    journal.close()

    stored = b"".join(
        p.read_bytes() for p in journal.path.parent.glob("journal.sqlite3*") if p.is_file()
    )
    assert b"api.user" in stored  # the files were read
    for form in (TOKEN, "&#39;&amp;7%+&gt;-&quot;6(+!56$0&gt;345", "%27%267%25%2B%3E-%226"):
        assert form.encode() not in stored
    assert b"&7%+>-" not in stored  # not even a piece of it


# ----- a property --------------------------------------------------------------------------

# What becomes of each batch in a run: answered with these outcomes, left in flight (the
# process died), or never reached (the send stopped before it).
batch_fates = st.one_of(
    st.just("died"),
    st.just("stopped"),
    st.lists(st.sampled_from(list(Outcome)), min_size=3, max_size=3),
)


@settings(max_examples=25)
@given(count=st.integers(1, 9), fates=st.lists(batch_fates, min_size=3, max_size=3))
def test_counts_in_the_history_match_every_recipients_fate(count: int, fates: list[object]) -> None:
    plan = make_plan(count, batch_size=3)
    expected: dict[int, Outcome] = {r.row: Outcome.NOT_SENT for r in plan.recipients}
    with tempfile.TemporaryDirectory() as folder, Journal(Path(folder) / "j.sqlite3") as journal:
        send_id = journal.create_send(plan, server=SERVER, username="u")
        with journal.recorder(send_id) as recorder:
            for batch, fate in zip(plan.batches, fates, strict=False):
                if fate == "stopped":
                    break
                recorder.batch_started(batch)
                if fate == "died":
                    expected.update((r.row, Outcome.UNKNOWN) for r in batch.recipients)
                    break
                assert isinstance(fate, list)
                outcomes = [
                    RecipientOutcome(r.row, r.client_code, r.mobile, None, o, "", batch.number)
                    for r, o in zip(batch.recipients, fate, strict=False)
                ]
                expected.update((o.row, o.outcome) for o in outcomes)
                recorder.batch_finished(batch, outcomes, balance=None)
        journal.recover_interrupted()

        [summary] = journal.list_sends()
        assert outcomes_by_row(journal, send_id) == expected
        assert summary.counts == journal.get_send(send_id).counts
        assert summary.counts == OutcomeCounts(
            **{o.value: list(expected.values()).count(o) for o in Outcome}
        )
        assert summary.recipients == count


def test_a_new_journal_opened_by_two_at_once_opens_for_both(tmp_path: Path) -> None:
    # The window recovers the journal as it signs in, while a send may open it for the first
    # time: SQLite does not wait to switch a new file to WAL, and one open in ten failed.
    failures: list[BaseException] = []

    def open_and_recover(path: Path, start: threading.Barrier) -> None:
        start.wait()
        try:
            with Journal(path) as journal:
                journal.recover_interrupted()
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            failures.append(error)

    for attempt in range(60):
        start = threading.Barrier(2)
        path = tmp_path / f"journal-{attempt}.sqlite3"
        workers = [threading.Thread(target=open_and_recover, args=(path, start)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert failures == []


def test_the_journal_keeps_its_import_paths() -> None:
    # Callers import from the package, and the schema's old module still answers.
    from vtsms_gui.storage import journal as package
    from vtsms_gui.storage import journal_schema
    from vtsms_gui.storage.journal import schema

    assert set(package.__all__) == {
        "DEFAULT_BUSY_TIMEOUT",
        "DEMO_JOURNAL_FILE_NAME",
        "INTERRUPTED_DETAIL",
        "IN_FLIGHT_DETAIL",
        "JOURNAL_FILE_NAME",
        "BatchRecord",
        "BatchState",
        "InterruptedBatch",
        "Journal",
        "JournalError",
        "JournalRecorder",
        "JournalUnavailable",
        "SendConflict",
        "SendRecord",
        "SendSummary",
        "UnknownSend",
        "default_journal_path",
        "first_words",
        "format_send_id",
        "parse_send_id",
    }
    assert all(hasattr(package, name) for name in package.__all__)
    assert journal_schema.LATEST_VERSION == schema.LATEST_VERSION
    assert journal_schema.MIGRATIONS is schema.MIGRATIONS
    assert journal_schema.migrate is schema.migrate
    assert journal_schema.schema_version is schema.schema_version
