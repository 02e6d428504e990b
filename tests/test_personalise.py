"""Personalised messages: rendering every row, counting it, and the send plan grouped by text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from vtsms_gui.domain.column_mapping import detect_mapping
from vtsms_gui.domain.personalise import (
    describe_unicode,
    fields_for,
    personalise,
    readable_char,
)
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import (
    CheckedRecipient,
    Recipient,
    check_recipients,
    recipients_from_table,
)
from vtsms_gui.domain.send_plan import (
    PlannedRecipient,
    SendOptions,
    SendPlan,
    build_plan,
    plan_resend,
)
from vtsms_gui.domain.sms_text import Encoding, PieceAnalyser, analyse
from vtsms_gui.domain.tables import Table, table_from_text

PARSER = PhoneParser()
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=11)))
HEADERS = ("Client Code", "Mobile", "Given  Name", "Course")


def table(*rows: tuple[str, ...], headers: tuple[str, ...] = HEADERS) -> Table:
    return Table((headers, *rows), "test")


def checked_rows(t: Table) -> list[CheckedRecipient]:
    return check_recipients(recipients_from_table(t, detect_mapping(t)), PARSER)


def row(i: int, name: str = "Ann", course: str = "Cert III") -> tuple[str, str, str, str]:
    return (f"{i:05d}", f"0491 570 {i:03d}", name, course)


def plan(t: Table, message: str, **options: object) -> SendPlan:
    return build_plan(message, checked_rows(t), SendOptions(**options), now=NOW)  # type: ignore[arg-type]


def codes(p: SendPlan) -> set[str]:
    return {i.code for i in p.issues}


# --- rendering ---------------------------------------------------------------------------------


def test_every_row_is_rendered_from_its_own_columns() -> None:
    t = table(row(1, "Ann", "Cert III"), row(2, "Bob", "Diploma"))
    p = personalise("Hi {given name}, {Course} ({Client code})", checked_rows(t))
    assert [r.text for r in p.rows] == ["Hi Ann, Cert III (00001)", "Hi Bob, Diploma (00002)"]
    assert p.summary.credits == 2 and (p.summary.min_parts, p.summary.max_parts) == (1, 1)


def test_name_columns_are_fields_under_their_own_headers() -> None:
    t = table_from_text(
        "Clie_Code\tMobile Phone\tFirst Name\tSurname\r\n03037\t0491 570 156\tAnn\tLee\r\n"
    )
    p = personalise("{First name} {SURNAME}", checked_rows(t))
    assert p.rows[0].text == "Ann Lee"
    assert "First Name" in p.fields and "Surname" in p.fields


def test_rows_typed_by_hand_offer_name_and_extra_columns() -> None:
    typed = check_recipients([Recipient("03037", None, "Zoë", (("Course", "Cert"),))], PARSER)
    assert fields_for(typed).names == ("Client code", "Mobile", "Name", "Course")
    assert personalise("{Name}/{Course}", typed).rows[0].text == "Zoë/Cert"


def test_a_headerless_table_uses_the_names_the_grid_shows() -> None:
    t = table_from_text("03037\t0491570156\tAnn Lee\tx\r\n00125\t0491570157\tBob King\ty\r\n")
    p = personalise("{Name}: {Column 4}", checked_rows(t))
    assert [r.text for r in p.rows] == ["Ann Lee: x", "Bob King: y"]


def test_values_arrive_byte_identical() -> None:
    value = "A & B <c> \"d\" 'e' 😀\r\nline two\nthree"
    t = table(row(1, course=value))
    p = personalise("[{Course}]", checked_rows(t))
    assert p.rows[0].text == f"[{value}]"
    assert p.rows[0].line_breaks == ("Course",)


def test_an_empty_value_without_fallback_leaves_the_row_out_naming_the_column() -> None:
    t = table(row(1, course=""), row(2))
    p = personalise("{Given name|there}: {Course}", checked_rows(t))
    assert not p.rows[0].sent and p.rows[0].problem == "no Course"
    assert p.rows[1].sent
    assert p.summary.left_out == 1 and p.summary.credits == 1


def test_a_value_xml_cannot_carry_refuses_the_row_naming_the_column() -> None:
    t = table(row(1, course="Cert\x01III"), row(2))
    p = personalise("{Course}", checked_rows(t))
    assert not p.rows[0].sent
    assert "the Course value" in p.rows[0].problem and "U+0001" in p.rows[0].problem


def test_names_are_never_changed_and_unicode_rows_say_why() -> None:
    t = table(row(1, "Zoë"), row(2, "Ann"), row(3, "Mia 😀"))
    p = personalise("Hi {Given name}", checked_rows(t))
    assert p.rows[0].text == "Hi Zoë"
    assert p.rows[0].analysis.encoding is Encoding.UCS2
    assert p.rows[0].unicode_chars == ("ë",)
    assert p.rows[2].unicode_chars == ("😀",)
    assert p.rows[1].unicode_chars == ()
    assert p.summary.unicode_rows == 2
    assert p.summary.counter_text() == (
        "1 SMS per recipient; 2 recipients need Unicode because of their values"
    )


def test_a_left_out_row_says_what_to_do_about_it() -> None:
    t = table(row(1, course=""), row(2, "", ""), row(3, course="Cert\x01III"), row(4))
    p = personalise("{Given name}: {Course}", checked_rows(t))
    assert p.rows[0].advice == "no Course: give it a value, or use {Course|fallback}"
    assert p.rows[1].advice == (
        "no Given name, no Course: give them values, or use {Given name|fallback} or "
        "{Course|fallback}"
    )
    assert p.rows[2].advice.endswith("(U+0001): fix the cell")  # not "give it a value"
    assert p.rows[3].advice == ""


def test_invisible_characters_are_named_not_printed() -> None:
    assert readable_char("ë") == "ë"
    assert readable_char("\t") == "a tab"
    assert readable_char("\u200d") == "U+200D zero width joiner"
    assert readable_char("\xa0") == "U+00A0 no-break space"
    assert readable_char("\u0301") == "◌\u0301"  # a lone accent sits on a dotted circle
    t = table(row(1, "Mia\u200dLee"), row(2, "Li\tAn"))
    p = personalise("Hi {Given name}", checked_rows(t))
    note = describe_unicode(p.rows[0])
    assert "U+200D zero width joiner" in note and "\u200d" not in note
    assert "a tab" in describe_unicode(p.rows[1])


def test_unicode_already_in_the_template_is_not_blamed_on_values() -> None:
    t = table(row(1, "Zoë"))
    assert personalise("Hi {Given name} – see you", checked_rows(t)).summary.unicode_rows == 0


def test_a_2000_character_value_passes_six_parts_and_is_flagged() -> None:
    t = table(row(1, course="x" * 2000), row(2))
    p = personalise("{Course}", checked_rows(t))
    assert p.rows[0].over_limit and p.rows[0].segments == 14
    assert p.summary.credits == 15
    assert p.summary.counter_text().startswith("1-14 SMS per recipient")


def test_invalid_recipients_are_rendered_but_not_sent() -> None:
    t = table(row(1), ("", "not a number", "Bob", "Diploma"))
    p = personalise("{Given name}", checked_rows(t))
    assert p.rows[1].text == "Bob" and not p.rows[1].sent and p.rows[1].problem == ""
    assert p.summary.rows == 1


_PIECE = st.text(st.sampled_from(list("abcXYZ €{}^\r\n\x01éë😀👍🏽\u0301\u200dя’")), max_size=120)


@given(st.lists(_PIECE, max_size=6))
def test_piece_analysis_is_exactly_analyse_of_the_joined_text(pieces: list[str]) -> None:
    analyser = PieceAnalyser()
    assert analyser.analyse(pieces) == analyse("".join(pieces))
    assert analyser.analyse(pieces) == analyse("".join(pieces))  # from the cache


# --- the send plan -----------------------------------------------------------------------------


def test_one_group_per_distinct_text_batched_within_it() -> None:
    rows = [row(i, "Ann" if i % 2 else "Bob") for i in range(1, 8)]
    p = plan(table(*rows), "Hi {Given name}", batch_size=2)
    assert [(b.text, len(b.recipients)) for b in p.batches] == [
        ("Hi Ann", 2),
        ("Hi Ann", 2),
        ("Hi Bob", 2),
        ("Hi Bob", 1),
    ]
    assert [b.number for b in p.batches] == [1, 2, 3, 4]
    for b in p.batches:
        assert all(r.text == b.text for r in b.recipients)
    assert sorted(r.row for b in p.batches for r in b.recipients) == list(range(7))
    assert p.personalised and p.message == "Hi {Given name}"


def test_credits_are_the_exact_sum_over_rows() -> None:
    p = plan(table(row(1, "Ann"), row(2, "Zoë" + "x" * 80), row(3, "x" * 200)), "{Given name}")
    assert [b.segments for b in p.batches] == [1, 2, 2]
    assert p.credits == 5
    assert p.personalisation is not None and p.personalisation.summary.credits == 5


def test_a_plain_message_gives_the_same_batches_as_before() -> None:
    rows = [row(i) for i in range(1, 6)]
    p = plan(table(*rows), "Class is cancelled today.", batch_size=2)
    assert [len(b.recipients) for b in p.batches] == [2, 2, 1]
    assert {b.text for b in p.batches} == {"Class is cancelled today."}
    assert [r.row for r in p.recipients] == [0, 1, 2, 3, 4]
    assert p.personalisation is None and p.credits == 5
    assert "header_empty" not in codes(p)


def test_a_plain_message_sends_doubled_braces_as_single_ones() -> None:
    p = plan(table(row(1)), "Room {{B}}")
    assert p.batches[0].text == "Room {B}" and p.message == "Room {{B}}"
    assert p.analysis == analyse("Room {B}")


def test_a_lone_brace_blocks_with_its_position() -> None:
    p = plan(table(row(1)), "Hi {Given name, see you")
    assert "template_syntax" in codes(p) and not p.can_send
    assert "a { with no } at character 4" in p.blockers[0].message


def test_an_unknown_placeholder_blocks_naming_it_and_listing_fields() -> None:
    p = plan(table(row(1)), "Hi {First name}")
    blocker = next(i for i in p.blockers if i.code == "unknown_field")
    assert "{First name}" in blocker.message and "Given Name, Course" in blocker.message


def test_an_unknown_placeholder_is_the_message_s_fault_not_every_row_s() -> None:
    # The rows are fine: none is left out "no First name", and the plan does not also claim
    # that no row in the list can be sent to.
    p = plan(table(row(1), row(2, name="")), "Hi {First name}, {Given name|there}")
    assert [i.code for i in p.blockers] == ["unknown_field"]
    assert p.excluded == () and len(p.recipients) == 2
    assert "rows_left_out" not in codes(p)


def test_an_ambiguous_field_blocks_and_a_duplicate_header_warns() -> None:
    headers = ("Mobile", "Course", "course")
    t = table(("0491 570 156", "a", "b"), headers=headers)
    assert "ambiguous_field" in codes(plan(t, "{Course}"))
    unused = plan(t, "{Mobile}")
    assert unused.can_send and "header_duplicate" in codes(unused)


def test_an_empty_header_warns_when_personalised() -> None:
    t = table(("0491 570 156", "x"), headers=("Mobile", ""))
    assert "header_empty" in codes(plan(t, "{Mobile}"))


def test_rows_left_out_and_long_rows_are_warnings_in_the_summary() -> None:
    t = table(row(1, course=""), row(2, course="x" * 2000), row(3))
    p = plan(t, "{Course}")
    assert p.can_send
    assert "rows_left_out" in codes(p) and "rows_over_parts" in codes(p)
    left = next(i for i in p.warnings if i.code == "rows_left_out")
    assert "row 1: no Course" in left.message
    over = next(i for i in p.warnings if i.code == "rows_over_parts")
    assert over.message.startswith("1 recipient's message needs more than 6 SMS parts")
    assert [e.row for e in p.excluded] == [0]
    assert p.credits == 14 + 1


def test_every_row_over_the_limit_blocks_like_a_long_plain_message() -> None:
    p = plan(table(row(1, course="x" * 2000)), "{Course}")
    assert "too_many_parts" in codes(p)


def test_unicode_values_are_said() -> None:
    p = plan(table(row(1, "Zoë"), row(2)), "Hi {Given name}")
    warning = next(i for i in p.warnings if i.code == "unicode_values")
    assert "row 1" in warning.message and "ë" in warning.message


def test_the_unicode_warning_names_invisible_characters() -> None:
    """The confirmation's warning, like the notes under the counter, shows what cannot be seen."""
    p = plan(table(row(1, "Li\u200dAn"), row(2)), "Hi {Given name}")
    warning = next(i for i in p.warnings if i.code == "unicode_values")
    assert "U+200D zero width joiner" in warning.message
    assert "\u200d" not in warning.message


def test_resend_sends_every_row_its_own_text() -> None:
    earlier = [
        PlannedRecipient(0, "00001", None, "Hi Ann"),
        PlannedRecipient(3, "00004", None, "Hi Bob"),
        PlannedRecipient(5, "00006", None, "Hi Ann"),
    ]
    p = plan_resend("Hi {Given name}", earlier, SendOptions(), now=NOW)
    assert [(b.text, [r.row for r in b.recipients]) for b in p.batches] == [
        ("Hi Ann", [0, 5]),
        ("Hi Bob", [3]),
    ]
    assert p.can_send and p.credits == 3


def test_resend_of_rows_without_a_text_uses_the_message_as_typed() -> None:
    p = plan_resend("Price {5}", [PlannedRecipient(0, "00001", None)], SendOptions(), now=NOW)
    assert p.batches[0].text == "Price {5}" and p.can_send


@given(count=st.integers(1, 60), batch_size=st.integers(1, 7), names=st.integers(1, 5))
def test_groups_cover_every_row_once_and_respect_the_batch_size(
    count: int, batch_size: int, names: int
) -> None:
    rows = [row(i, f"N{i % names}") for i in range(count)]
    p = plan(table(*rows), "Hi {Given name}", batch_size=batch_size)
    sent = [r for b in p.batches for r in b.recipients]
    assert sorted(r.row for r in sent) == list(range(count))
    assert all(0 < len(b.recipients) <= batch_size for b in p.batches)
    assert len({b.text for b in p.batches}) == min(names, count)
    assert p.credits == count


def test_a_planned_recipient_equals_its_journal_copy_without_a_text() -> None:
    p = plan(table(row(1)), "Hi {Given name}")
    journalled = PlannedRecipient(0, p.recipients[0].client_code, p.recipients[0].mobile)
    assert p.recipients[0] == journalled and p.recipients[0].text == "Hi Ann"
