"""GSM-7-safe replacement proposals: what is replaced, what is left alone, and never more parts."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vtsms_gui.domain.gsm7 import GSM7_BASIC, is_gsm7_char
from vtsms_gui.domain.replacements import Change, propose_replacement
from vtsms_gui.domain.sms_text import Encoding, analyse

# The offenders the issue lists (plus their obvious siblings), written out independently of
# the implementation's table.
SPACES = "\u00a0\u1680\u202f\u205f\u3000" + "".join(chr(cp) for cp in range(0x2000, 0x200B))
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
FULL_WIDTH = "".join(chr(cp) for cp in range(0xFF01, 0xFF5F))
OFFENDERS = frozenset("‘’‚‛′‹›“”„‟″«»‐‑‒–—―−﹘﹣…•◦▪·™©®" + SPACES + INVISIBLE + FULL_WIDTH)
FAMILY = "👨\u200d👩\u200d👧"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It’s ‘fine’ ‚ok‛ 5′", "It's 'fine' 'ok' 5'"),
        ("“Hi” „there‟ 6″ «bonjour»", '"Hi" "there" 6" "bonjour"'),
        ("9–5 — a‐b a‑b −3 ―", "9-5 - a-b a-b -3 -"),
        ("Wait…", "Wait..."),
        ("9\u00a0am\u2009to\u202f5\u3000pm\u2003.", "9 am to 5 pm ."),
        ("in\u00adcredible\u200b\ufeff\u2060!", "incredible!"),
        ("• one ◦ two ▪ three · four", "- one - two - three - four"),
        ("VETtrak™ © ®", "VETtrakTM (C) (R)"),
        ("ＡＢＣ１２３！｛", "ABC123!{"),
        ("Cafe\u0301 A\u030angstro\u0308m N\u0303", "Café Ångström Ñ"),
    ],
)
def test_offenders_are_replaced_and_the_message_becomes_gsm7(text: str, expected: str) -> None:
    proposal = propose_replacement(text)
    assert proposal.text == expected
    assert proposal.becomes_gsm7
    assert analyse(proposal.text).encoding is Encoding.GSM7
    assert "standard SMS alphabet" in proposal.summary()


def test_changes_give_original_positions_for_the_editor_and_undo() -> None:
    proposal = propose_replacement("a’b…c\u200bd")
    assert proposal.changes == (Change(1, "’", "'"), Change(3, "…", "..."), Change(5, "\u200b", ""))


@pytest.mark.parametrize(
    "text",
    [
        "garçon",  # lowercase ç has no GSM twin; changing it would change the word
        "\u0391\u0392\u0393",  # Greek capitals stay Greek
        "Привет",
        "tab\there",
        "c\u0327a",  # decomposed ç: composing it does not make it GSM
        "e\u0301\u0301",  # two accents: no single GSM letter
        "Hello 😀",
        FAMILY,
        "\U0001f1e6\U0001f1fa",
        "｀",  # full-width grave accent: its ASCII twin is not GSM either
    ],
)
def test_letters_emoji_and_other_scripts_are_left_alone(text: str) -> None:
    proposal = propose_replacement(text)
    assert proposal.text == text
    assert proposal.changes == ()
    assert proposal.becomes_gsm7 == (analyse(text).encoding is Encoding.GSM7)


def test_emoji_keep_the_message_in_ucs2_and_the_summary_says_why() -> None:
    proposal = propose_replacement("It’s on 😀")
    assert proposal.text == "It's on 😀"
    assert not proposal.becomes_gsm7
    assert [occ.char for occ in proposal.remaining_non_gsm] == ["😀"]
    assert "grinning face" in proposal.summary()


def test_zero_width_joiner_kept_inside_emoji_but_dropped_between_letters() -> None:
    proposal = propose_replacement(f"a\u200db {FAMILY} \u200c")
    assert proposal.text == f"ab {FAMILY} "


def test_expansion_skipped_when_it_would_add_a_part() -> None:
    # 70 UCS-2 units fit one SMS; "..." would make 72 and a second part.
    text = "я" * 69 + "…"
    assert propose_replacement(text).text == text
    # With room to spare the same expansion is made.
    assert propose_replacement("я" * 67 + "…").text == "я" * 67 + "..."


def test_only_the_expansions_that_fit_are_made() -> None:
    text = "я" * 64 + "…" * 3  # 67 units; each "..." adds two
    proposal = propose_replacement(text)
    assert proposal.text == "я" * 64 + "..." + "…" * 2
    assert analyse(proposal.text).segments == 1


def test_dropping_an_invisible_character_that_would_add_a_part_is_skipped() -> None:
    # Without the BOM the two regional indicators become one flag, which no longer fits
    # part 1 and pushes part 2 past 67 units; the curly quote is still replaced.
    text = "’" + "я" * 63 + "🇦\ufeff🇺" + "я" * 64
    assert analyse(text.replace("\ufeff", "")).segments == 3
    proposal = propose_replacement(text)
    assert proposal.changes == (Change(0, "’", "'"),)
    assert analyse(proposal.text).segments == 2


def test_decomposed_letter_with_invisible_characters_inside_is_composed_in_one_pass() -> None:
    proposal = propose_replacement("e\u00ad\u0301\u200c ｅ\u0301")
    assert proposal.text == "é é"
    assert proposal.changes[0] == Change(0, "e\u00ad\u0301", "é")


def test_nothing_to_replace() -> None:
    proposal = propose_replacement("Plain text")
    assert proposal == propose_replacement("Plain text")
    assert proposal.changes == () and proposal.becomes_gsm7
    assert proposal.summary().startswith("Nothing to replace")


# ---- properties ------------------------------------------------------------------------------

_PIECES = [
    *sorted(OFFENDERS),
    "a",
    "a" * 60,
    "я",
    "я" * 30,
    "😀",
    FAMILY,
    "e\u0301",
    "A\u030a",
    "c\u0327",
    "\u0301",
    "€",
    "\r\n",
    "ç",
    "ｅ\u0301",
    "e\u00ad\u0301",
    "🇦\ufeff🇺",
]
texts = st.lists(st.sampled_from(_PIECES) | st.text(max_size=2), max_size=60).map("".join)


def _apply(text: str, changes: tuple[Change, ...]) -> str:
    out, done = [], 0
    for change in changes:
        out += [text[done : change.position], change.new]
        done = change.position + len(change.old)
    return "".join([*out, text[done:]])


def _plain(ch: str) -> str:
    return chr(ord(ch) - 0xFEE0) if ch in FULL_WIDTH else ch


@given(texts)
def test_never_adds_a_part(text: str) -> None:
    assert analyse(propose_replacement(text).text).segments <= analyse(text).segments


@given(texts)
def test_only_listed_offenders_are_touched(text: str) -> None:
    proposal = propose_replacement(text)
    assert _apply(text, proposal.changes) == proposal.text
    for change in proposal.changes:
        assert text[change.position : change.position + len(change.old)] == change.old
        assert all(is_gsm7_char(ch) for ch in change.new)
        if len(change.old) == 1:
            assert change.old in OFFENDERS
        else:  # a decomposed letter, replaced by the same letter precomposed
            visible = "".join(_plain(ch) for ch in change.old if ch not in INVISIBLE)
            assert unicodedata.normalize("NFC", visible) == change.new
            assert change.new in GSM7_BASIC
    positions = [change.position for change in proposal.changes]
    assert positions == sorted(set(positions))


@given(texts)
def test_idempotent(text: str) -> None:
    once = propose_replacement(text)
    twice = propose_replacement(once.text)
    assert twice.text == once.text


@given(texts)
def test_becomes_gsm7_is_true_to_the_result(text: str) -> None:
    proposal = propose_replacement(text)
    assert proposal.becomes_gsm7 == (analyse(proposal.text).encoding is Encoding.GSM7)
    assert proposal.becomes_gsm7 == (proposal.remaining_non_gsm == ())


@given(st.text(alphabet=st.characters(exclude_characters=OFFENDERS)))
def test_text_without_offenders_is_untouched(text: str) -> None:
    # Decomposed GSM letters are the one exception: composing them is the same character.
    proposal = propose_replacement(text)
    assert all(len(change.old) > 1 for change in proposal.changes)
