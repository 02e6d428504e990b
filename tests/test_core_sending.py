"""The one journalled send of both faces, through a real journal file, client and simulator:
what is written before and after each batch, cancel, resuming, and the history's choices."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from vtsms_gui.api.client import VettrakClient
from vtsms_gui.api.config import ClientConfig
from vtsms_gui.core import history, sending
from vtsms_gui.core.sending import SendPlace, SendWatchers
from vtsms_gui.domain.outcomes import Outcome, RecipientOutcome
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import SendOptions, SendPlan, build_plan
from vtsms_gui.simulator import Fault, SimulatorServer
from vtsms_gui.storage.journal import BatchState, Journal

NUMBERS = [f"04915702{n:02d}" for n in range(10, 16)]  # six recipients, three batches of two


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0) as server:
        yield server


@pytest.fixture
def client(simulator: SimulatorServer) -> Iterator[VettrakClient]:
    with VettrakClient(ClientConfig(service_url=simulator.url, read_timeout=1.0)) as c:
        c.login("demo", "demo")
        yield c


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.sqlite3") as j:
        yield j


def plan_of(numbers: list[str] = NUMBERS) -> SendPlan:
    checked = check_recipients([Recipient(None, n) for n in numbers], PhoneParser())
    return build_plan("Room 4 today.", checked, SendOptions(batch_size=2), balance=1000)


def test_a_send_is_journalled_before_and_after_each_batch(
    client: VettrakClient, journal: Journal, simulator: SimulatorServer
) -> None:
    seen: list[tuple[str, int, BatchState | None]] = []
    ids: list[str] = []

    def on_batch(outcomes: list[RecipientOutcome]) -> None:
        # The face hears the answer before the journal records it: the batch is in flight.
        [batch] = [b for b in journal.get_send(ids[0]).batches if b.state is BatchState.IN_FLIGHT]
        seen.append(("answered", batch.number, batch.state))

    send_id, report = sending.send(
        client,
        plan_of(),
        journal,
        SendPlace(simulator.url, "demo"),
        SendWatchers(on_batch=on_batch),
        created=ids.append,
    )

    assert ids == [send_id]
    assert report.complete and report.counts.sent == 6
    assert [n for _, n, _ in seen] == [1, 2, 3]
    record = journal.get_send(send_id)
    assert [b.state for b in record.batches] == [BatchState.DONE] * 3
    assert (record.server, record.username) == (simulator.url, "demo")
    assert len(simulator.sent) == 6


def test_cancel_stops_between_batches_and_resume_sends_the_rest_once(
    client: VettrakClient, journal: Journal, simulator: SimulatorServer
) -> None:
    cancel = threading.Event()
    place = SendPlace(simulator.url, "demo")
    send_id, report = sending.send(
        client,
        plan_of(),
        journal,
        place,
        SendWatchers(on_batch=lambda _: cancel.set(), cancel=cancel),
    )
    assert report.cancelled and report.counts.sent == 2 and report.counts.not_sent == 4

    plan = sending.resumable_plan(journal, send_id, server=simulator.url)
    resumed = sending.resume(client, journal, send_id, plan)

    assert resumed.send_id == send_id and resumed.report.counts.sent == 4
    assert len(simulator.sent) == 6 and len({s.mobile for s in simulator.sent}) == 6  # once each
    assert journal.get_send(send_id).counts.sent == 6
    with pytest.raises(sending.NothingToResend):
        sending.resumable_plan(journal, send_id, server=simulator.url)


def test_resume_refuses_another_vettrak(
    client: VettrakClient, journal: Journal, simulator: SimulatorServer
) -> None:
    cancel = threading.Event()
    cancel.set()
    send_id, _ = sending.send(
        client, plan_of(), journal, SendPlace(simulator.url, "demo"), SendWatchers(cancel=cancel)
    )
    with pytest.raises(sending.WrongServer, match="resume it against the same server"):
        sending.resumable_plan(journal, send_id, server="https://other.example/VT_API.asmx")
    assert simulator.sent == []


def test_unknown_rows_are_offered_only_apart_and_after_recovery(
    client: VettrakClient, journal: Journal, simulator: SimulatorServer
) -> None:
    simulator.inject(Fault.DROP_AFTER_RECORD, after=1)  # batch 2 goes out, no answer comes
    send_id, report = sending.send(
        client,
        plan_of(),
        journal,
        SendPlace(simulator.url, "demo"),
        SendWatchers(retry_delays=()),
    )
    assert report.counts.unknown == 2
    assert sending.recover(journal) == []  # the batch was closed as unknown, not abandoned

    choices = history.resend_choices(history.get_send(journal, send_id))
    assert [r.outcome for r in choices.unknown] == [Outcome.UNKNOWN] * 2
    assert {r.outcome for r in choices.safe} == {Outcome.NOT_SENT}
    plan = sending.resumable_plan(journal, send_id, server=simulator.url)
    assert len(plan.recipients) == 2  # unknown rows only when asked
    with_unknown = sending.resumable_plan(
        journal, send_id, server=simulator.url, include_unknown=True
    )
    assert len(with_unknown.recipients) == 4
    assert [s.send_id for s in history.list_sends(journal)] == [send_id]


# ----- personalised messages ---------------------------------------------------------------

NAMES = ["Zoë", "Jack", "Zoë", "Mia & <Co>", "Jack", "Tāne 🎓"]
TEMPLATE = "Hi {Given name}, room 4 at 9.\r\nReply STOP to opt out"


def personalised_plan() -> SendPlan:
    headers = ("Mobile", "Given name")
    rows = [
        Recipient(
            None, number, extra=(("Given name", name),), headers=headers, cells=(number, name)
        )
        for number, name in zip(NUMBERS, NAMES, strict=True)
    ]
    checked = check_recipients(rows, PhoneParser())
    return build_plan(TEMPLATE, checked, SendOptions(batch_size=2), balance=1000)


def expected_texts() -> dict[str, str]:
    return {
        PhoneParser().parse(n).e164 or n: TEMPLATE.replace("{Given name}", name)
        for n, name in zip(NUMBERS, NAMES, strict=True)
    }


def received(simulator: SimulatorServer) -> dict[str, str]:
    parser = PhoneParser()
    return {parser.parse(s.mobile).e164 or s.mobile: s.message for s in simulator.sent}


def test_each_recipient_gets_its_own_text_in_one_request_per_distinct_text(
    client: VettrakClient, journal: Journal, simulator: SimulatorServer
) -> None:
    plan = personalised_plan()
    send_id, report = sending.send(client, plan, journal, SendPlace(simulator.url, "demo"))

    assert report.complete
    assert received(simulator) == expected_texts()  # & < > emoji CR/LF byte-identical
    requests = {s.request_id for s in simulator.sent}
    assert len(requests) == len(set(NAMES))  # Zoë x2, Jack x2 each fit one request
    record = journal.get_send(send_id)
    assert record.message == TEMPLATE and record.personalised
    assert {record.text_of(r.row) for r in record.recipients} == set(expected_texts().values())


def test_resume_after_a_failed_batch_sends_those_rows_their_own_texts(
    client: VettrakClient, journal: Journal, simulator: SimulatorServer
) -> None:
    # The second request gets an error page (VETtrak did not send it, but the app cannot know
    # that: its rows are unknown, and the rows after it were not sent).
    simulator.inject(Fault.HTTP_500_HTML, after=1)
    send_id, report = sending.send(
        client,
        personalised_plan(),
        journal,
        SendPlace(simulator.url, "demo"),
        SendWatchers(retry_delays=()),
    )
    assert not report.complete and report.counts.sent == 2

    resumable = sending.resumable_plan(journal, send_id, server=simulator.url, include_unknown=True)
    resumed = sending.resume(client, journal, send_id, resumable)

    assert resumed.report.complete and resumed.report.counts.sent == 4
    assert received(simulator) == expected_texts()  # each its own text
    assert len(simulator.sent) == len(NUMBERS)  # nobody twice


def test_a_test_to_my_own_number_sends_the_first_row_s_text_and_is_marked(
    client: VettrakClient, journal: Journal, simulator: SimulatorServer
) -> None:
    plan = personalised_plan()
    test = sending.test_plan(plan, "0491 570 006")
    place = SendPlace(simulator.url, "demo", test=True)
    send_id, report = sending.send(client, test, journal, place)

    assert report.complete
    [sms] = simulator.sent
    assert sms.message == TEMPLATE.replace("{Given name}", NAMES[0])
    [summary] = history.list_sends(journal)
    assert summary.test and summary.send_id == send_id
    record = history.get_send(journal, send_id)
    assert record.test and record.message == TEMPLATE  # history shows the template


def test_a_test_needs_a_mobile_number() -> None:
    with pytest.raises(ValueError, match="0412 3"):
        sending.test_plan(personalised_plan(), "0412 3")
