"""The send plan: who gets the message, in which batches, what it costs, and what blocks it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import SendOptions, SendPlan, Severity, build_plan

PARSER = PhoneParser()
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=11)))


def plan_for(
    rows: list[Recipient],
    message: str = "Class is cancelled today.",
    *,
    balance: int | None = None,
    **options: object,
) -> SendPlan:
    checked = check_recipients(
        rows, PARSER, require_client_code=bool(options.get("accept_replies"))
    )
    return build_plan(message, checked, SendOptions(**options), balance=balance, now=NOW)  # type: ignore[arg-type]


def codes(plan: SendPlan) -> set[str]:
    return {issue.code for issue in plan.issues}


def mobiles(n: int) -> list[Recipient]:
    return [Recipient(client_code=None, mobile=f"0491 570 {i:03d}") for i in range(n)]


def test_valid_rows_are_planned_in_batches_and_credits_count_parts() -> None:
    plan = plan_for(mobiles(250), message="x" * 161, batch_size=100)
    assert [len(b.recipients) for b in plan.batches] == [100, 100, 50]
    assert [b.number for b in plan.batches] == [1, 2, 3]
    assert plan.analysis.segments == 2
    assert plan.credits == 500
    assert plan.can_send


def test_planned_recipients_keep_their_row_and_the_form_to_send() -> None:
    rows = [
        Recipient(client_code="03037", mobile=None),
        Recipient(client_code=None, mobile="+61 491 570 156"),
        Recipient(client_code="00125", mobile="0491570157"),
    ]
    plan = plan_for(rows)
    assert [(r.row, r.client_code, r.mobile) for r in plan.recipients] == [
        (0, "03037", None),
        (1, None, "0491570156"),
        (2, "00125", "0491570157"),
    ]


def test_invalid_rows_are_excluded_with_their_reason() -> None:
    rows = [
        Recipient(client_code=None, mobile="0491 570 156"),
        Recipient(client_code=None, mobile="12ab"),
    ]
    plan = plan_for(rows)
    assert len(plan.recipients) == 1
    assert [e.row for e in plan.excluded] == [1]
    assert plan.excluded[0].reason


def test_empty_message_blocks() -> None:
    plan = plan_for(mobiles(1), message="  \n ")
    assert "empty_message" in codes(plan)
    assert not plan.can_send


def test_invalid_characters_block() -> None:
    plan = plan_for(mobiles(1), message="Hello\x0cworld")
    assert "invalid_characters" in codes(plan)
    assert "U+000C" in next(i.message for i in plan.blockers if i.code == "invalid_characters")


def test_more_parts_than_the_maximum_block() -> None:
    assert "too_many_parts" not in codes(plan_for(mobiles(1), message="x" * 153 * 6))
    plan = plan_for(mobiles(1), message="x" * (153 * 6 + 1))
    assert "too_many_parts" in codes(plan)
    assert "too_many_parts" not in codes(
        plan_for(mobiles(1), message="x" * (153 * 6 + 1), max_parts=7)
    )


def test_no_valid_recipient_blocks() -> None:
    plan = plan_for([Recipient(client_code=None, mobile="not a number")])
    assert "no_recipients" in codes(plan)


def test_accept_replies_needs_a_client_code_on_every_recipient() -> None:
    rows = [
        Recipient(client_code="03037", mobile=None),
        Recipient(client_code=None, mobile="0491570156"),
    ]
    checked = check_recipients(
        rows, PARSER
    )  # checked without the reply rule: the plan still blocks
    plan = build_plan("Reply YES", checked, SendOptions(accept_replies=True), now=NOW)
    assert "replies_need_client_code" in codes(plan)
    assert "row 2" in next(i.message for i in plan.blockers if i.code == "replies_need_client_code")


def test_sender_rules_and_unverified_note_warn_but_do_not_block() -> None:
    bad = plan_for(mobiles(1), sender="_College")
    assert "sender_rules" in codes(bad) and bad.can_send
    good = plan_for(mobiles(1), sender="College")
    assert "sender_unverified" in codes(good)
    assert "sender_rules" not in codes(plan_for(mobiles(1), sender="0412345678"))


def test_sender_is_ignored_when_replies_are_accepted() -> None:
    plan = plan_for(
        [Recipient(client_code="03037", mobile=None)], sender="College", accept_replies=True
    )
    assert "sender_ignored" in codes(plan)
    assert "sender_unverified" not in codes(plan)


@pytest.mark.parametrize(
    ("message", "warned"),
    [
        ("Enrol now for 20% off!", True),
        ("Enrol now for 20% off! Reply STOP to opt out", False),
        ("Enrol now. Unsubscribe: example.edu.au/u", False),
        ("Enrol now. To opt-out call us", False),
        ("Stopwatch sale", True),
    ],
)
def test_marketing_without_opt_out_wording_warns(message: str, warned: bool) -> None:
    assert ("no_opt_out" in codes(plan_for(mobiles(1), message=message, marketing=True))) is warned
    assert "no_opt_out" not in codes(plan_for(mobiles(1), message=message))


def test_estimate_above_the_balance_warns() -> None:
    assert "over_balance" not in codes(plan_for(mobiles(10), balance=10))
    plan = plan_for(mobiles(10), balance=9)
    assert "over_balance" in codes(plan)
    assert plan.balance_after == -1


def test_landlines_that_will_be_texted_warn() -> None:
    plan = plan_for([Recipient(client_code=None, mobile="02 9876 5432"), *mobiles(1)])
    assert "landlines" in codes(plan)
    assert plan.recipients[0].mobile == "0298765432"


def test_landline_beside_a_client_code_is_sent_by_code_without_warning() -> None:
    plan = plan_for([Recipient(client_code="03037", mobile="02 9876 5432")])
    assert "landlines" not in codes(plan)
    assert (plan.recipients[0].client_code, plan.recipients[0].mobile) == ("03037", None)


def test_client_codes_excel_shortened_warn_before_sending() -> None:
    # The grid flags each row; the confirmation (and `vtsms send`) says it once more.
    rows = [Recipient(code, None) for code in ("00125", "3037", "10452", "12001")]
    plan = plan_for(rows)
    [warning] = [i for i in plan.warnings if i.code == "codes_lost_zeros"]
    assert warning.message == (
        "1 client code looks shortened by Excel (row 2: 3037 → 03037?): add the missing zero, "
        "or it will fail as 'client code not found'."
    )
    assert plan.can_send  # a warning: the user decides

    rows += [Recipient("7", None), Recipient("3037", "0491 570 006")]  # row 6 repeats row 2
    [warning] = [i for i in plan_for(rows).warnings if i.code == "codes_lost_zeros"]
    assert warning.message == (
        "2 client codes look shortened by Excel (rows 2, 5, e.g. 3037 → 03037?): add the "
        "missing zeros, or they will fail as 'client code not found'."
    )


def test_codes_of_one_length_raise_no_lost_zero_warning() -> None:
    same = [Recipient(code, None) for code in ("00125", "03037", "A1042", "B77")]
    assert "codes_lost_zeros" not in codes(plan_for(same))
    assert "codes_lost_zeros" not in codes(plan_for(mobiles(3)))


def test_schedule_in_the_past_warns_and_naive_times_are_refused() -> None:
    assert "schedule_past" in codes(plan_for(mobiles(1), schedule=NOW - timedelta(minutes=1)))
    assert "schedule_past" not in codes(plan_for(mobiles(1), schedule=NOW + timedelta(hours=1)))
    with pytest.raises(ValueError, match="time zone"):
        SendOptions(schedule=datetime(2026, 12, 1, 9, 0))


def test_issue_severities_are_consistent() -> None:
    plan = plan_for([], message="", marketing=True, sender="_x")
    assert all(i.severity is Severity.BLOCK for i in plan.blockers)
    assert {i.code for i in plan.blockers} == {"empty_message", "no_recipients"}


@given(count=st.integers(0, 700), batch_size=st.integers(1, 300))
def test_batches_cover_every_planned_recipient_once_in_order(count: int, batch_size: int) -> None:
    plan = plan_for(mobiles(count), batch_size=batch_size)
    flattened = [r for b in plan.batches for r in b.recipients]
    assert flattened == list(plan.recipients)
    assert all(0 < len(b.recipients) <= batch_size for b in plan.batches)
