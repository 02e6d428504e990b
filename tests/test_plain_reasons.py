"""Issue 16: what the user reads says what they typed, what is wrong and what to do, in one
sentence, in the grid's reasons, the plan (confirmation, CLI) and the errors alike."""

from __future__ import annotations

import pytest

from vtsms_gui.cli.plan_text import plan_summary, results_text
from vtsms_gui.domain.outcomes import (
    NOT_RETURNED_DETAIL,
    NOT_SENT_DETAIL,
    UNKNOWN_DETAIL,
    Outcome,
    RecipientOutcome,
    describe_status,
    outcome_reason,
)
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import SendOptions, build_plan

PARSER = PhoneParser()


def test_the_cli_plan_names_the_number_as_typed_and_what_to_do() -> None:
    rows = [
        Recipient("00125", "0491 570 006"),
        Recipient(None, "0412 3"),
        Recipient(None, "07 3000 1234"),
    ]
    plan = build_plan("Hi", check_recipients(rows, PhoneParser()), SendOptions(), balance=0)
    text = plan_summary(plan)
    assert (
        "Excluded row 2: 0412 3 has too few digits for an Australian mobile "
        "(they look like 0412 345 678); fix the number or remove the row"
    ) in text
    assert "+61" not in text
    assert "replace it with a mobile or remove it" in text  # the landline warning, 1 number
    assert "buy more credit or send to fewer recipients" in text  # over the balance


def test_no_recipient_says_what_to_do() -> None:
    plan = build_plan(
        "Hi", check_recipients([Recipient(None, "abc")], PhoneParser()), SendOptions(), balance=100
    )
    [blocker] = [i for i in plan.blockers if i.code == "no_recipients"]
    assert blocker.message.startswith("No row in the list can be sent to: add client codes")
    assert plan.excluded[0].reason == (
        "abc is not a phone number: contains letters; fix the number or remove the row"
    )


def outcome(outcome: Outcome, status: int | None, detail: str) -> RecipientOutcome:
    return RecipientOutcome(0, "99999", None, status, outcome, detail, 1)


# Each per-recipient result as the journal records it (VETtrak's words), and the start of the
# one sentence shown for it: what happened, then what to do.
RESULTS = [
    (Outcome.SENT, 1, describe_status(1), "Queued for sending."),
    (Outcome.FAILED, -2, describe_status(-2), "VETtrak has no client with this code: fix the code"),
    (Outcome.FAILED, -1, describe_status(-1), "VETtrak holds no mobile number for this client: "),
    (Outcome.FAILED, None, NOT_RETURNED_DETAIL, "VETtrak did not send to this recipient and "),
    (Outcome.FAILED, 7, describe_status(7), "VETtrak refused this recipient with status 7, "),
    (Outcome.UNKNOWN, None, UNKNOWN_DETAIL, "The request may have reached VETtrak but no "),
    (Outcome.NOT_SENT, None, NOT_SENT_DETAIL, "The send stopped before this batch, so nothing "),
]


@pytest.mark.parametrize(("kind", "status", "detail", "start"), RESULTS)
def test_every_result_says_what_happened_and_what_to_do_in_one_sentence(
    kind: Outcome, status: int | None, detail: str, start: str
) -> None:
    reason = outcome_reason(outcome(kind, status, detail))
    assert reason.startswith(start)
    assert reason.endswith(".") and ". " not in reason and "?" not in reason  # one sentence
    if kind is not Outcome.SENT:
        assert ": " in reason  # what happened: what to do
        assert any(verb in reason for verb in ("fix", "add", "check", "resend"))


@pytest.mark.parametrize(("kind", "status", "detail", "start"), RESULTS)
def test_the_window_and_the_command_line_say_the_same_reason(
    kind: Outcome, status: int | None, detail: str, start: str
) -> None:
    from vtsms_gui.ui.recipients.row_labels import not_sent_label, outcome_label

    item = outcome(kind, status, detail)
    reason = outcome_reason(item)
    assert outcome_label(item).detail == reason  # the grid, the History window, the exports
    assert f": {reason}" in results_text([item], None)  # vtsms send / resume
    if kind is Outcome.NOT_SENT:
        assert not_sent_label(detail).detail == reason  # rows a stopped send never reached


def test_the_cli_results_say_the_reason_and_how_to_send_the_rest() -> None:
    items = [
        RecipientOutcome(0, "99999", None, -2, Outcome.FAILED, describe_status(-2), 1),
        RecipientOutcome(1, None, "0491570006", None, Outcome.UNKNOWN, UNKNOWN_DETAIL, 1),
        RecipientOutcome(2, "00125", None, None, Outcome.NOT_SENT, NOT_SENT_DETAIL, 2),
    ]
    lines = results_text(items, 10, "S-000007").splitlines()
    assert lines[0].startswith("failed    99999: VETtrak has no client with this code: ")
    assert lines[2].startswith("not sent  00125: The send stopped before this batch")
    assert "client code not found" not in "\n".join(lines)  # VETtrak's words stay in the journal
    assert lines[-2] == "To send the 1 not sent once the cause is fixed: vtsms resume S-000007"
    assert lines[-1].endswith("did not go out: vtsms resume S-000007 --include-unknown")
    assert "vtsms resume" not in results_text(items[:1], 10, "S-000007")  # nothing waits


def test_plan_warnings_agree_with_their_count() -> None:
    def warnings(rows: list[Recipient], **options: object) -> list[str]:
        checked = check_recipients(rows, PhoneParser())
        plan = build_plan("Hi", checked, SendOptions(**options))  # type: ignore[arg-type]
        return [i.message for i in plan.issues]

    one = warnings([Recipient(None, "07 3000 1234"), Recipient(None, "0491 570 006")])
    two = warnings([Recipient(None, "07 3000 1234"), Recipient(None, "02 9876 5432")])
    assert any(m.startswith("1 number in the list is not a mobile") for m in one)
    assert any(m.endswith("so replace it with a mobile or remove it.") for m in one)
    assert any(m.startswith("2 numbers in the list are not mobiles:") for m in two)
    assert any(m.endswith("so replace them with mobiles or remove them.") for m in two)

    replies = warnings(
        [Recipient("00125", None), Recipient(None, "0491 570 006")], accept_replies=True
    )
    assert "1 recipient has none (row 2): add its code, or untick" in " ".join(replies)
    replies = warnings(
        [Recipient(None, "0491 570 006"), Recipient(None, "0491 570 007")], accept_replies=True
    )
    assert "2 recipients have none (rows 1, 2): add their codes, or untick" in " ".join(replies)


def test_personalised_warnings_agree_with_their_count() -> None:
    from vtsms_gui.domain.column_mapping import detect_mapping
    from vtsms_gui.domain.recipients import recipients_from_table
    from vtsms_gui.domain.tables import Table

    def warnings(*courses: str) -> str:
        headers = ("Client Code", "Mobile", "Course")
        rows = [(f"{i:05d}", f"0491 570 {i:03d}", c) for i, c in enumerate(courses, 1)]
        table = Table((headers, *rows), "test")
        checked = check_recipients(recipients_from_table(table, detect_mapping(table)), PARSER)
        plan = build_plan("{Course}", checked, SendOptions())
        return " ".join(i.message for i in plan.warnings)

    assert "1 value holds a line break (row 1): it is sent as it is." in warnings("a\nb", "c")
    assert "2 values hold a line break (rows 1, 2): they are sent as they are." in warnings(
        "a\nb", "c\nd"
    )
    assert "up to 14 parts): it is charged for every part." in warnings("x" * 2000, "c")
    assert "up to 14 parts): they are charged for every part." in warnings(
        "x" * 2000, "y" * 2000, "c"
    )
