"""Message templates: syntax, matching of fields to headers, fallbacks, braces, bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vtsms_gui.domain.placeholders import (
    ErrorKind,
    Literal,
    Placeholder,
    SpanKind,
    field_key,
    fields_from_headers,
    parse_template,
)


def test_placeholders_and_literals_are_parsed_in_order() -> None:
    t = parse_template("Hi {Given name|there}, your {Course} class")
    assert t.ok and t.is_personalised
    assert t.parts == (
        Literal("Hi "),
        Placeholder("Given name", "there", 3, 21),
        Literal(", your "),
        Placeholder("Course", None, 28, 36),
        Literal(" class"),
    )
    assert t.field_names == ("Given name", "Course")


def test_a_message_without_placeholders_renders_to_itself_with_braces_unescaped() -> None:
    t = parse_template("Room {{B}} at 9 & bring {{pens}}}}")
    assert t.ok and not t.is_personalised
    assert t.render({}).text == "Room {B} at 9 & bring {pens}}"
    plain = "Class is cancelled today.\r\nSee you 😀"
    assert parse_template(plain).render({}).text == plain


@pytest.mark.parametrize(
    ("typed", "header"),
    [
        ("{given name}", "Given  Name"),
        ("{ GIVEN NAME }", "given name"),
        ("{Given\tname}", "GIVEN NAME"),
    ],
)
def test_fields_match_headers_ignoring_case_and_spaces(typed: str, header: str) -> None:
    t = parse_template(f"Hi {typed}")
    fields = fields_from_headers(["Mobile", header])
    assert t.unknown_fields(fields) == ()
    assert t.render({header: "Ann"}).text == "Hi Ann"


def test_fallback_is_used_when_the_cell_is_empty_after_stripping() -> None:
    t = parse_template("Hi {Name|there}!")
    assert t.render({"name": "Zoë"}).text == "Hi Zoë!"
    assert t.render({"name": "  \t"}).text == "Hi there!"
    assert t.render({}).empty == ()
    # an empty fallback is allowed: the value may then be empty
    assert parse_template("Hi{Name|}!").render({}).text == "Hi!"


def test_an_empty_value_without_fallback_is_reported() -> None:
    r = parse_template("{Course} on {Day} ({Course})").render({"Day": "Mon"})
    assert r.text == " on Mon ()"
    assert r.empty == ("Course",)


def test_fallback_keeps_everything_after_the_first_bar() -> None:
    t = parse_template("{Name| dear a|b }")
    assert t.placeholders[0].fallback == " dear a|b "


@pytest.mark.parametrize(
    ("template", "kind", "message"),
    [
        ("Hi there, {Given name, your class", ErrorKind.UNCLOSED, "a { with no } at character 11"),
        ("Hi {Name\nsee you}", ErrorKind.UNCLOSED, "a { with no } at character 4"),
        ("Costs 5} today", ErrorKind.UNOPENED, "a } with no { at character 8"),
        ("Hi {} there", ErrorKind.EMPTY, "an empty placeholder {} at character 4"),
        ("Hi {  |x} there", ErrorKind.EMPTY, "an empty placeholder {} at character 4"),
        ("Hi {a {b}", ErrorKind.NESTED, "a { at character 7 inside the placeholder opened"),
    ],
)
def test_syntax_errors_are_said_in_plain_english_with_the_position(
    template: str, kind: ErrorKind, message: str
) -> None:
    t = parse_template(template)
    assert not t.ok
    assert t.errors[0].kind is kind
    assert message in t.errors[0].message
    assert message in t.error_message()


def test_the_issue_example_position_counts_from_one() -> None:
    t = parse_template("Hello Ann, at {9am tomorrow")
    assert "a { with no } at character 15" in t.error_message()


def test_positions_count_what_a_user_sees_not_code_units() -> None:
    # a family emoji is one character to a user, 5 code points, 8 UTF-16 units
    t = parse_template("👨\u200d👩\u200d👧 {x")
    assert t.errors[0].character == 3
    assert t.errors[0].start == 6


def test_a_lone_brace_is_kept_as_text_in_the_parse_so_a_preview_still_shows() -> None:
    t = parse_template("a { b")
    assert t.render({}).text == "a { b"


def test_spans_mark_known_unknown_ambiguous_fields_and_errors() -> None:
    fields = fields_from_headers(["Course", "Day", "Day", "Given name"])
    t = parse_template("{given name} {Curse} {Day} {Mobile} }")
    kinds = [(s.kind, s.name) for s in t.spans(fields)]
    assert kinds == [
        (SpanKind.FIELD, "given name"),
        (SpanKind.UNKNOWN, "Curse"),
        (SpanKind.AMBIGUOUS, "Day"),
        (SpanKind.FIELD, "Mobile"),
        (SpanKind.ERROR, t.errors[0].message),
    ]
    assert t.spans(fields)[0].start == 0 and t.spans(fields)[0].end == 12


def test_unknown_field_message_names_it_and_lists_the_fields() -> None:
    fields = fields_from_headers(["Client Code", "Mobile Phone", "Given Name", "Course"])
    t = parse_template("Hi {First name}, {Course}")
    assert t.unknown_fields(fields) == ("First name",)
    message = t.unknown_fields_message(fields)
    assert '"First name"' in message and "{First name}" in message
    assert "Client code, Mobile, Mobile Phone, Given Name, Course" in message
    assert parse_template("{Course}").unknown_fields_message(fields) == ""


def test_client_code_and_mobile_are_always_available() -> None:
    fields = fields_from_headers([])
    assert parse_template("{client code} {MOBILE}").unknown_fields(fields) == ()
    assert fields.names == ("Client code", "Mobile")


def test_a_header_twice_is_ambiguous_and_named() -> None:
    fields = fields_from_headers(["Course", "Name", "course "])
    assert "Course" not in fields.names and "Course" in fields.ambiguous
    assert fields.kind("COURSE") is SpanKind.AMBIGUOUS
    assert [p.message for p in fields.problems] == [
        'Columns 1 and 3 are headed "Course", so {Course} cannot be used until one is renamed.'
    ]
    assert "columns 1 and 3" in fields.ambiguous_message("course")


def test_an_empty_header_is_not_a_field_and_is_said() -> None:
    fields = fields_from_headers(["Name", "  ", "Course"])
    assert fields.names == ("Client code", "Mobile", "Name", "Course")
    assert fields.problems[0].message == (
        "Column 2 has no header, so it cannot be used as a field."
    )


def test_a_header_with_a_brace_cannot_be_a_field() -> None:
    fields = fields_from_headers(["Cost {AUD}", "A|B"])
    assert fields.names == ("Client code", "Mobile")
    assert len(fields.problems) == 2


def test_a_header_named_like_a_builtin_is_the_builtin_not_a_duplicate() -> None:
    fields = fields_from_headers(["Mobile", "Client Code", "Name"])
    assert fields.names == ("Client code", "Mobile", "Name")
    assert fields.problems == ()


def test_field_key_ignores_case_repeated_spaces_and_invisible_marks() -> None:
    assert field_key("\ufeffGiven\u00a0 Name ") == field_key("given name") == "given name"


_TEXT = st.text(st.characters(blacklist_characters="{}"), max_size=30)


@given(st.lists(st.one_of(_TEXT, st.just("{{"), st.just("}}")), max_size=8))
def test_escaped_braces_always_round_trip(pieces: list[str]) -> None:
    source = "".join(pieces)
    t = parse_template(source)
    assert t.ok and not t.is_personalised
    assert t.render({}).text == "".join({"{{": "{", "}}": "}"}.get(p, p) for p in pieces)


@given(st.text(max_size=60))
def test_parsing_never_raises_and_errors_point_at_a_brace(source: str) -> None:
    t = parse_template(source)
    for error in t.errors:
        assert source[error.start] in "{}"
        assert error.character >= 1


@given(
    st.lists(st.text(st.characters(blacklist_characters="{}|\r\n"), min_size=1, max_size=10)),
    st.text(max_size=20),
)
def test_values_are_inserted_byte_identical(names: list[str], value: str) -> None:
    names = [n for n in names if n.strip()]
    source = "".join("<{" + n + "}>" for n in names)
    t = parse_template(source)
    assert t.ok
    rendered = t.render({n: value for n in names})
    if value.strip():
        assert rendered.text == "".join(f"<{value}>" for _ in names)
