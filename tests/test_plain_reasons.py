"""Issue 16: what the user reads says what they typed, what is wrong and what to do, in one
sentence, in the grid's reasons, the plan (confirmation, CLI) and the errors alike."""

from __future__ import annotations

from vtsms_gui.cli.plan_text import plan_summary
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import Recipient, check_recipients
from vtsms_gui.domain.send_plan import SendOptions, build_plan


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
    assert "replace them with mobiles or remove them" in text  # the landline warning
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
