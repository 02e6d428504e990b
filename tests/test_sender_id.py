"""Australian sender ID rules."""

from __future__ import annotations

import pytest

from vtsms_gui.domain.sender_id import check_sender


@pytest.mark.parametrize(
    "sender", ["AB", "CollegeSMS", "Hello World", "TAFE-NSW", "X1", "abcdefghijk"]
)
def test_valid_alphanumeric_senders_carry_the_unverified_note(sender: str) -> None:
    result = check_sender(sender)
    assert result.ok and result.kind == "alphanumeric"
    assert "Unverified" in result.note


@pytest.mark.parametrize(
    ("sender", "fragment"),
    [
        ("A", "2 to 11 characters"),
        ("abcdefghijkl", "2 to 11 characters"),
        (" College", "start or end"),
        ("College_", "start or end"),
        ("_College", "start or end"),
        ("Café", "plain keyboard characters"),
        ("Tab\there", "plain keyboard characters"),
    ],
)
def test_alphanumeric_rule_breaks_are_explained(sender: str, fragment: str) -> None:
    result = check_sender(sender)
    assert not result.ok
    assert fragment in result.problem


@pytest.mark.parametrize(
    "sender", ["0412345678", "+61412345678", "123456789012345", "+123456789012345"]
)
def test_numeric_senders_up_to_fifteen_digits(sender: str) -> None:
    result = check_sender(sender)
    assert result.ok and result.kind == "numeric" and result.note == ""


def test_numeric_sender_too_long() -> None:
    result = check_sender("1234567890123456")
    assert result.kind == "numeric"
    assert "at most 15 digits" in result.problem


def test_empty_sender_uses_the_gateway_default() -> None:
    result = check_sender("")
    assert result.ok and result.kind == "none"
