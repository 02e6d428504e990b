"""SMS text analysis: encoding, units, parts at every boundary, offending and invalid characters."""

from __future__ import annotations

import itertools

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from vtsms_gui.domain.gsm7 import GSM7_BASIC, GSM7_EXTENSION, is_gsm7_char, septets
from vtsms_gui.domain.sms_text import (
    CharOccurrences,
    Encoding,
    TextAnalysis,
    analyse,
    describe_char,
    utf16_offset,
)

FAMILY = "👨\u200d👩\u200d👧"  # one user-perceived character, 8 UTF-16 units
FLAG_AU = "🇦🇺"  # two regional indicators, 4 UTF-16 units
CYR = "я"


def counts(text: str) -> tuple[Encoding, int, int, int]:
    result = analyse(text)
    return result.encoding, result.units, result.segments, result.units_left


# ---- the alphabet ---------------------------------------------------------------------------


def test_tables_have_the_standard_sizes() -> None:
    assert len(GSM7_BASIC) == 127  # 128 codes less the escape code
    assert frozenset("\f^{}\\[]~|€") == GSM7_EXTENSION
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize(
    ("ch", "gsm"),
    [
        ("Ç", True),
        ("ç", False),  # only the capital is in the default table
        ("Δ", True),
        ("Φ", True),
        ("Ω", True),
        ("Ξ", True),
        ("\u0391", False),  # Greek capital Alpha looks like A but is not GSM
        ("\u039f", False),  # Greek capital Omicron
        ("A", True),
        ("€", True),
        ("\f", True),
        ("\t", False),
        ("\x1b", False),
        ("`", False),
        ("\u00a0", False),
        ("’", False),
        ("é", True),
        ("\u0301", False),
    ],
)
def test_gsm7_membership(ch: str, gsm: bool) -> None:
    assert is_gsm7_char(ch) is gsm
    assert (analyse(ch).encoding is Encoding.GSM7) is gsm


def test_septets() -> None:
    assert septets("a") == 1
    assert septets("€") == 2
    with pytest.raises(ValueError, match="not in the GSM-7 alphabet"):
        septets("ç")


def test_no_two_gsm_characters_form_one_cluster_except_crlf() -> None:
    # The fast path relies on it: all-GSM text never needs the grapheme-cluster scan.
    gsm = sorted(GSM7_BASIC | GSM7_EXTENSION)
    joined = [
        a + b for a, b in itertools.product(gsm, gsm) if len(regex.findall(r"\X", a + b)) != 2
    ]
    assert joined == ["\r\n"]


# ---- boundaries -----------------------------------------------------------------------------


def test_empty_text() -> None:
    result = analyse("")
    assert counts("") == (Encoding.GSM7, 0, 1, 160)
    assert result.non_gsm == () and result.invalid == ()
    assert result.capacity == 160


@pytest.mark.parametrize(
    ("length", "segments", "left"),
    [
        (1, 1, 159),
        (160, 1, 0),
        (161, 2, 145),
        (306, 2, 0),
        (307, 3, 152),
        (459, 3, 0),
        (460, 4, 152),
    ],
)
def test_gsm7_part_boundaries(length: int, segments: int, left: int) -> None:
    assert counts("a" * length) == (Encoding.GSM7, length, segments, left)


@pytest.mark.parametrize(
    ("length", "segments", "left"),
    [(1, 1, 69), (70, 1, 0), (71, 2, 63), (134, 2, 0), (135, 3, 66), (201, 3, 0), (202, 4, 66)],
)
def test_ucs2_part_boundaries(length: int, segments: int, left: int) -> None:
    assert counts(CYR * length) == (Encoding.UCS2, length, segments, left)


def test_extension_characters_count_two() -> None:
    assert counts("€" * 80) == (Encoding.GSM7, 160, 1, 0)
    assert counts("a" * 158 + "{") == (Encoding.GSM7, 160, 1, 0)
    assert counts("a" * 159 + "{") == (Encoding.GSM7, 161, 2, 145)


def test_escape_pair_straddling_153_goes_whole_to_the_next_part() -> None:
    # 152 + 2 does not fit in 153: the € starts part 2, wasting one septet of part 1.
    assert counts("a" * 152 + "€" + "b" * 8) == (Encoding.GSM7, 162, 2, 153 - 10)
    assert counts("a" * 151 + "€" + "b" * 9) == (Encoding.GSM7, 162, 2, 306 - 162)


def test_crlf_straddling_153_goes_whole_to_the_next_part() -> None:
    assert counts("a" * 152 + "\r\n" + "a" * 7) == (Encoding.GSM7, 161, 2, 153 - 9)
    assert counts("a" * 152 + "\n\r" + "a" * 7) == (Encoding.GSM7, 161, 2, 306 - 161)


def test_surrogate_pair_straddling_67_goes_whole_to_the_next_part() -> None:
    assert counts(CYR * 66 + "😀" + CYR * 4) == (Encoding.UCS2, 72, 2, 67 - 6)
    assert counts(CYR * 65 + "😀" + CYR * 5) == (Encoding.UCS2, 72, 2, 134 - 72)


def test_emoji_counts_two_units() -> None:
    assert counts("😀" * 35) == (Encoding.UCS2, 70, 1, 0)


def test_zwj_family_is_never_split() -> None:
    assert counts(FAMILY) == (Encoding.UCS2, 8, 1, 62)
    assert counts(CYR * 65 + FAMILY) == (Encoding.UCS2, 73, 2, 67 - 8)


def test_flag_is_never_split() -> None:
    # The first regional indicator would fit in part 1, but the flag goes whole to part 2.
    assert counts(CYR * 64 + FLAG_AU + CYR * 3) == (Encoding.UCS2, 71, 2, 67 - 7)


def test_skin_tone_emoji_is_never_split() -> None:
    assert counts(CYR * 64 + "👍🏽" + CYR * 3) == (Encoding.UCS2, 71, 2, 67 - 7)


def test_combining_mark_stays_with_its_letter() -> None:
    # A decomposed é is two units that must travel together.
    assert counts(CYR * 66 + "e\u0301" + CYR * 3) == (Encoding.UCS2, 71, 2, 67 - 5)


def test_crlf_in_ucs2_with_combining_marks() -> None:
    assert counts(CYR * 66 + "\r\n" + "e\u0301") == (Encoding.UCS2, 70, 1, 0)
    assert counts(CYR * 66 + "\r\n" + "e\u0301" + CYR) == (Encoding.UCS2, 71, 2, 67 - 5)


def test_cluster_longer_than_a_part_is_split_but_never_inside_a_surrogate_pair() -> None:
    chain = "😀" + "\u200d😀" * 30  # one ZWJ sequence: 92 units, more than a part
    # Part 1: 3 + 2 + 20 x 3 + 1 = 66, the next 😀 would need 68: it starts part 2.
    assert counts(CYR * 3 + chain) == (Encoding.UCS2, 95, 2, 134 - 95 - 1)
    accents = "a" + "\u0301" * 100  # one cluster of 101 units
    assert counts(accents) == (Encoding.UCS2, 101, 2, 134 - 101)


# ---- offending and invalid characters --------------------------------------------------------


def test_non_gsm_characters_listed_once_in_order_with_all_positions() -> None:
    result = analyse("a’b“c’d")
    assert result.non_gsm == (CharOccurrences("’", (1, 5)), CharOccurrences("“", (3,)))
    assert result.to_json()["non_gsm"] == ["’", "“"]


@pytest.mark.parametrize(
    ("text", "culprit"),
    [
        ("Cafe\u0301", "\u0301"),  # decomposed é: not normalised
        ("9\u00a0am", "\u00a0"),  # no-break space
        ("it’s", "’"),
        ("garçon", "ç"),
        ("\u0391BC", "\u0391"),
        ("a\tb", "\t"),
    ],
)
def test_single_offender_forces_ucs2(text: str, culprit: str) -> None:
    result = analyse(text)
    assert result.encoding is Encoding.UCS2
    assert [occ.char for occ in result.non_gsm] == [culprit]
    assert (result.single_limit, result.part_limit) == (70, 67)


def test_precomposed_accents_and_greek_capitals_stay_gsm() -> None:
    assert analyse("Café ÇΔΦΓΛΩΠΨΣΘΞ ÄÖÜäöüñÑÅåÆæØøß").encoding is Encoding.GSM7


def test_form_feed_is_gsm_but_invalid() -> None:
    result = analyse("a\fb\f")
    assert counts("a\fb\f") == (Encoding.GSM7, 6, 1, 154)
    assert result.non_gsm == ()
    assert result.invalid == (CharOccurrences("\f", (1, 3)),)


def test_lone_surrogate_is_invalid_and_ucs2() -> None:
    result = analyse("a\ud800b")
    assert counts("a\ud800b") == (Encoding.UCS2, 3, 1, 67)
    assert result.invalid == (CharOccurrences("\ud800", (1,)),)
    assert result.non_gsm == (CharOccurrences("\ud800", (1,)),)


def test_xml_forbidden_characters_are_invalid() -> None:
    text = "\x00\x01\x1f\t\n\r\ufffe\uffff\ufffd😀"
    invalid = [occ.char for occ in analyse(text).invalid]
    assert invalid == ["\x00", "\x01", "\x1f", "\ufffe", "\uffff"]


# ---- the value object ------------------------------------------------------------------------


def test_to_json_has_exactly_the_agreed_keys() -> None:
    assert analyse("Hi ’\f").to_json() == {
        "encoding": "UCS-2",
        "units": 5,
        "segments": 1,
        "units_left": 65,
        "non_gsm": ["’"],
        "invalid": ["\f"],
    }


def test_capacity() -> None:
    assert analyse("a").capacity == 160
    assert analyse("a" * 161).capacity == 306
    assert analyse(CYR).capacity == 70
    assert analyse(CYR * 71).capacity == 134


def test_encoding_is_a_string_enum() -> None:
    # Other layers compare with and serialise the plain strings.
    assert Encoding("GSM-7") is Encoding.GSM7
    assert isinstance(Encoding.UCS2, str) and Encoding.UCS2.value == "UCS-2"


def test_utf16_offset() -> None:
    text = "a😀b\ud800c"
    assert [utf16_offset(text, i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 5, 6]
    with pytest.raises(IndexError, match="outside"):
        utf16_offset(text, 6)
    with pytest.raises(IndexError):
        utf16_offset(text, -1)


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        ("’", "’ (right single quotation mark, U+2019)"),
        ("\u00a0", "no-break space (U+00A0)"),
        ("\u200d", "zero width joiner (U+200D)"),
        ("\f", "form feed (U+000C)"),
        ("\x01", "control character (U+0001)"),
        ("\ud800", "lone surrogate (U+D800)"),
        ("\uffff", "noncharacter (U+FFFF)"),
        ("\u0301", "◌\u0301 (combining acute accent, U+0301)"),
        ("😀", "😀 (grinning face, U+1F600)"),
        ("e\u0301", "e\u0301 (latin small letter e + combining acute accent, U+0065 U+0301)"),
    ],
)
def test_describe_char(ch: str, expected: str) -> None:
    assert describe_char(ch) == expected


# ---- properties ------------------------------------------------------------------------------

# Pieces chosen to land on part boundaries and to mix every kind of character.
_PIECES = [
    "a",
    "a" * 40,
    "€",
    "{" * 7,
    "\r",
    "\n",
    "\r\n",
    "\f",
    CYR,
    CYR * 30,
    "😀",
    "\u200d",
    "\u0301",
    "🇦",
    FLAG_AU,
    FAMILY,
    "🏽",
    "\ufe0f",
    "\u1100",  # Hangul leading consonant
    "\u1161",  # Hangul vowel
    "\u0915\u094d",  # Devanagari ka + virama
    "\ud800",
    "’",
]
_tails = st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=40).map("".join)
# A filler of any length shifts the tail across every part boundary.
texts = st.builds(lambda n, tail: "a" * n + tail, st.integers(0, 470), _tails) | _tails


def _reference(text: str) -> TextAnalysis:
    """Slow, obvious version: always scan grapheme clusters, pack character by character."""
    gsm = all(is_gsm7_char(ch) for ch in text)

    def cost(ch: str) -> int:
        if gsm:
            return 2 if ch in GSM7_EXTENSION else 1
        return 2 if ord(ch) > 0xFFFF else 1

    units = sum(cost(ch) for ch in text)
    single, part = (160, 153) if gsm else (70, 67)
    if units <= single:
        return analyse_shape(gsm, units, 1, single - units)
    parts, used = 1, 0
    for cluster in regex.findall(r"\X", text):
        size = sum(cost(ch) for ch in cluster)
        pieces = [size] if size <= part else [cost(ch) for ch in cluster]
        for piece in pieces:
            if used + piece > part:
                parts, used = parts + 1, 0
            used += piece
    return analyse_shape(gsm, units, parts, part - used)


def analyse_shape(gsm: bool, units: int, segments: int, left: int) -> TextAnalysis:
    encoding = Encoding.GSM7 if gsm else Encoding.UCS2
    single, part = (160, 153) if gsm else (70, 67)
    return TextAnalysis(encoding, units, segments, left, single, part, (), ())


@settings(max_examples=400)
@given(texts)
def test_matches_the_slow_reference(text: str) -> None:
    expected = _reference(text)
    result = analyse(text)
    assert (result.encoding, result.units, result.segments, result.units_left) == (
        expected.encoding,
        expected.units,
        expected.segments,
        expected.units_left,
    )


@given(texts)
def test_invariants(text: str) -> None:
    result = analyse(text)
    assert result.units_left >= 0
    assert result.units + result.units_left <= result.capacity
    assert (result.segments == 1) == (result.units <= result.single_limit)
    assert (result.encoding is Encoding.GSM7) == (result.non_gsm == ())
    assert (result.encoding is Encoding.GSM7) == all(is_gsm7_char(ch) for ch in text)
    if result.encoding is Encoding.GSM7:
        assert result.units == sum(septets(ch) for ch in text)
    else:
        assert result.units == sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        assert result.units == utf16_offset(text, len(text))


@given(texts, st.sampled_from(_PIECES) | st.text(min_size=1, max_size=2))
def test_segments_never_drop_when_appending(text: str, more: str) -> None:
    assert analyse(text + more).segments >= analyse(text).segments


@given(texts)
def test_occurrences_cover_exactly_the_offending_positions(text: str) -> None:
    result = analyse(text)
    non_gsm = {i for i, ch in enumerate(text) if not is_gsm7_char(ch)}
    assert {p for occ in result.non_gsm for p in occ.positions} == non_gsm
    assert [occ.char for occ in result.non_gsm] == list(
        dict.fromkeys(text[i] for i in sorted(non_gsm))
    )
    for occ in result.non_gsm + result.invalid:
        assert all(text[p] == occ.char for p in occ.positions)
        assert list(occ.positions) == sorted(occ.positions)

    def xml_ok(ch: str) -> bool:
        cp = ord(ch)
        return (
            cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or cp >= 0x10000
        )

    invalid = {i for i, ch in enumerate(text) if not xml_ok(ch)}
    assert {p for occ in result.invalid for p in occ.positions} == invalid
