"""Server results matched to recipients by client code and normalised number, never by position."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from vtsms_gui.api.result_matching import RawResult, match_results
from vtsms_gui.domain.outcomes import NOT_RETURNED_DETAIL, Outcome, RecipientOutcome
from vtsms_gui.domain.send_plan import Batch, PlannedRecipient


def batch(*recipients: tuple[str | None, str | None], number: int = 3) -> Batch:
    return Batch(
        number,
        tuple(
            PlannedRecipient(10 + i, code, mobile) for i, (code, mobile) in enumerate(recipients)
        ),
        "Class is cancelled today.",
        1,
    )


def statuses(outcomes: Sequence[RecipientOutcome]) -> list[int | None]:
    return [o.status for o in outcomes]


def test_results_in_another_order_with_reformatted_numbers() -> None:
    sent = batch(("001", None), (None, "0491 570 006"), (None, "0491570110"), ("002", "0491570157"))
    results = [
        RawResult("002", "+61491570157", -2),
        RawResult(None, "61491570110", 5),
        RawResult("001", "0491 570 159", 1),
        RawResult("", "+61 491 570 006", -1),
    ]
    outcomes = match_results(sent, results)
    assert statuses(outcomes) == [1, -1, 5, -2]
    assert [o.row for o in outcomes] == [10, 11, 12, 13]
    assert {o.batch for o in outcomes} == {3}
    assert [o.outcome for o in outcomes] == [
        Outcome.SENT,
        Outcome.FAILED,
        Outcome.FAILED,
        Outcome.FAILED,
    ]
    assert outcomes[1].detail == "no mobile number / nothing to send to"
    assert outcomes[2].detail == "status 5 (not documented)"
    assert outcomes[3].detail == "client code not found"


def test_a_recipient_missing_from_the_results_failed() -> None:
    sent = batch(("001", None), ("002", None))
    outcomes = match_results(sent, [RawResult("002", "0491570006", 1)])
    assert outcomes[0].outcome is Outcome.FAILED
    assert outcomes[0].status is None
    assert outcomes[0].detail == NOT_RETURNED_DETAIL
    assert outcomes[1].outcome is Outcome.SENT


def test_a_code_only_recipient_takes_the_stored_number_from_its_result() -> None:
    outcomes = match_results(batch(("001", None)), [RawResult("001", "0491570006", 1)])
    assert outcomes[0].mobile == "0491570006"
    assert outcomes[0].client_code == "001"


def test_a_number_only_recipient_matches_a_result_with_an_empty_code() -> None:
    outcomes = match_results(batch((None, "0491570006")), [RawResult("", "0491570006", 1)])
    assert outcomes[0].outcome is Outcome.SENT
    assert outcomes[0].client_code is None


def test_a_number_only_recipient_matches_even_when_the_server_adds_a_code() -> None:
    outcomes = match_results(batch((None, "0491570006")), [RawResult("007", "+61491570006", 1)])
    assert outcomes[0].outcome is Outcome.SENT


def test_duplicate_results_are_used_once() -> None:
    sent = batch(("001", None), ("002", None))
    duplicated = RawResult("001", "0491570006", 1)
    outcomes = match_results(sent, [duplicated, duplicated])
    assert statuses(outcomes) == [1, None]


def test_the_same_code_twice_is_told_apart_by_number() -> None:
    sent = batch(("001", "0491570006"), ("001", "0491570110"))
    results = [RawResult("001", "+61491570110", -1), RawResult("001", "+61491570006", 1)]
    assert statuses(match_results(sent, results)) == [1, -1]


def test_the_same_code_twice_with_one_result_leaves_one_failed() -> None:
    sent = batch(("001", None), ("001", None))
    outcomes = match_results(sent, [RawResult("001", "0491570006", 1)])
    assert [o.outcome for o in outcomes] == [Outcome.SENT, Outcome.FAILED]


def test_a_coded_recipient_does_not_take_the_result_of_a_number_only_one() -> None:
    # Both go to the same phone; each must get its own result whatever the order.
    sent = batch((None, "0491570006"), ("001", "0491570006"))
    for results in (
        [RawResult(None, "0491570006", 1), RawResult("001", "0491570006", -2)],
        [RawResult("001", "0491570006", -2), RawResult(None, "0491570006", 1)],
    ):
        assert statuses(match_results(sent, results)) == [1, -2]


def test_codes_match_without_case_or_padding_but_keep_leading_zeros() -> None:
    sent = batch(("c001", None), ("03037", None))
    outcomes = match_results(sent, [RawResult(" C001 ", None, 1), RawResult("3037", None, 1)])
    assert statuses(outcomes) == [1, None]


def test_a_recipient_with_neither_code_nor_number_matches_an_empty_result() -> None:
    outcomes = match_results(batch((None, None)), [RawResult(None, None, -1)])
    assert outcomes[0].status == -1


def test_a_custom_key_decides_what_numbers_are_the_same() -> None:
    sent = batch((None, "abc"))
    assert statuses(match_results(sent, [RawResult(None, "ABC", 1)], key=str.upper)) == [1]
    assert statuses(match_results(sent, [RawResult(None, "ABC", 1)], key=lambda _: None)) == [None]


@given(
    count=st.integers(min_value=1, max_value=40),
    order=st.randoms(use_true_random=False),
    shape=st.sampled_from(["0{n}", "+61{n}", "61{n}", "0{a} {b} {c}", "+61 {a} {b} {c}"]),
    drop=st.integers(min_value=0, max_value=40),
)
def test_any_order_and_format_gives_each_recipient_its_own_result(
    count: int, order: random.Random, shape: str, drop: int
) -> None:
    nsns = [f"4{i:08d}" for i in range(0, count * 7919, 7919)][:count]
    sent = batch(*[(f"C{i}" if i % 2 else None, "0" + n) for i, n in enumerate(nsns)])
    results = [
        RawResult(
            f"C{i}" if i % 2 else None,
            shape.format(n=n, a=n[:3], b=n[3:6], c=n[6:]),
            100 + i,
        )
        for i, n in enumerate(nsns)
    ]
    order.shuffle(results)
    dropped = results.pop(drop % count) if drop < count else None
    outcomes = match_results(sent, results)
    for i, outcome in enumerate(outcomes):
        if dropped is not None and dropped.status == 100 + i:
            assert outcome.detail == NOT_RETURNED_DETAIL
        else:
            assert outcome.status == 100 + i


def test_five_thousand_recipients_match_quickly() -> None:
    sent = batch(*[(f"C{i}", f"04{i:08d}") for i in range(5000)])
    results = [RawResult(f"C{i}", f"+614{i:08d}", 1) for i in range(5000)]
    results.reverse()
    started = time.perf_counter()
    outcomes = match_results(sent, results)
    assert time.perf_counter() - started < 2
    assert all(o.outcome is Outcome.SENT for o in outcomes)
