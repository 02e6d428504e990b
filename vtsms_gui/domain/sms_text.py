"""Count an SMS message the way the gateway will: encoding, units, parts, and what to fix.

Runs on every keystroke, so the common case (no character that can combine) avoids the
grapheme-cluster scan.
"""

from __future__ import annotations

import bisect
import enum
import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

import regex

from vtsms_gui.domain.gsm7 import GSM7_ALL, GSM7_EXTENSION

GSM7_SINGLE_LIMIT = 160
GSM7_PART_LIMIT = 153
UCS2_SINGLE_LIMIT = 70
UCS2_PART_LIMIT = 67

_NON_GSM = re.compile("[^" + "".join(re.escape(ch) for ch in sorted(GSM7_ALL)) + "]")
# XML 1.0 `Char` production: anything outside it cannot travel in a SOAP request.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Characters that can join the one before them into a single user-perceived character
# (UAX #29). No GSM-7 character is among them, so only non-GSM characters need checking.
_JOINING = regex.compile(
    r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
    r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}]"
)
_GRAPHEME = regex.compile(r"\X")
_CRLF = re.compile("\r\n")
_GSM7_ESCAPED = re.compile("[" + "".join(re.escape(ch) for ch in sorted(GSM7_EXTENSION)) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units: a surrogate pair


class Encoding(enum.StrEnum):
    """How the gateway sends the message; the value is the name users see."""

    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True)
class CharOccurrences:
    """One character and every index in the Python str where it appears."""

    char: str
    positions: tuple[int, ...]


@dataclass(frozen=True)
class TextAnalysis:
    """How the gateway will send a message. Units are septets (GSM-7) or UTF-16 code units."""

    encoding: Encoding
    units: int
    segments: int
    units_left: int
    single_limit: int
    part_limit: int
    non_gsm: tuple[CharOccurrences, ...]
    invalid: tuple[CharOccurrences, ...]

    @property
    def capacity(self) -> int:
        """Units that fit in `segments` parts (a lone part holds more: 160 or 70)."""
        return self.single_limit if self.segments == 1 else self.segments * self.part_limit

    def to_json(self) -> dict[str, object]:
        return {
            "encoding": self.encoding.value,
            "units": self.units,
            "segments": self.segments,
            "units_left": self.units_left,
            "non_gsm": [occ.char for occ in self.non_gsm],
            "invalid": [occ.char for occ in self.invalid],
        }


def analyse(text: str) -> TextAnalysis:
    """Encoding, size, parts and offending characters of `text`, taken exactly as given."""
    non_gsm = _non_gsm_occurrences(text)
    invalid = _invalid_occurrences(text)
    if non_gsm:
        encoding, single_limit, part_limit = Encoding.UCS2, UCS2_SINGLE_LIMIT, UCS2_PART_LIMIT
        units = len(text.encode("utf-16-le", "surrogatepass")) // 2
        uniform = units == len(text)
    else:
        encoding, single_limit, part_limit = Encoding.GSM7, GSM7_SINGLE_LIMIT, GSM7_PART_LIMIT
        escapes = sum(text.count(ch) for ch in GSM7_EXTENSION)
        units = len(text) + escapes
        uniform = escapes == 0

    if units <= single_limit:
        segments, units_left = 1, single_limit - units
    else:
        crlf = "\r\n" in text
        combining = any(_JOINING.match(occ.char) for occ in non_gsm)
        if uniform and not crlf and not combining:
            # Every character is one unit and stands alone, so nothing is pushed over.
            segments = -(-units // part_limit)
            units_left = segments * part_limit - units
        else:
            ends = _piece_ends(text, encoding, part_limit, crlf=crlf, combining=combining)
            segments, used = _pack(ends, part_limit)
            units_left = part_limit - used
    return TextAnalysis(
        encoding, units, segments, units_left, single_limit, part_limit, non_gsm, invalid
    )


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset (what Qt's editor counts) of the str index `index` in `text`."""
    if not 0 <= index <= len(text):
        raise IndexError(f"position {index} is outside a text of {len(text)} characters")
    return len(text[:index].encode("utf-16-le", "surrogatepass")) // 2


_UNNAMED = {
    "\t": "tab",
    "\n": "line feed",
    "\r": "carriage return",
    "\f": "form feed",
    "\x00": "null character",
}


def describe_char(ch: str) -> str:
    """Human rendering for lists, e.g. "’ (right single quotation mark, U+2019)".

    Invisible characters are shown by name only; a sequence (a letter and its accent) lists
    each part.
    """
    if len(ch) != 1:
        names = " + ".join(_char_name(c) for c in ch)
        codes = " ".join(f"U+{ord(c):04X}" for c in ch)
        return f"{ch} ({names}, {codes})"
    code = f"U+{ord(ch):04X}"
    category = unicodedata.category(ch)
    if category[0] in "ZC":
        return f"{_char_name(ch)} ({code})"
    glyph = "◌" + ch if category[0] == "M" else ch  # a lone accent needs something to sit on
    return f"{glyph} ({_char_name(ch)}, {code})"


def _char_name(ch: str) -> str:
    name = unicodedata.name(ch, "").lower()
    if name:
        return name
    if ch in _UNNAMED:
        return _UNNAMED[ch]
    category = unicodedata.category(ch)
    if category == "Cs":
        return "lone surrogate"
    if category == "Cc":
        return "control character"
    if category == "Co":
        return "private use character"
    if (ord(ch) & 0xFFFE) == 0xFFFE or 0xFDD0 <= ord(ch) <= 0xFDEF:
        return "noncharacter"
    return "unnamed character"


def _non_gsm_occurrences(text: str) -> tuple[CharOccurrences, ...]:
    first = _NON_GSM.search(text)
    if first is None:
        return ()
    # A plain loop beats finditer here when most characters are non-GSM (e.g. Cyrillic).
    found: dict[str, list[int]] = {}
    start = first.start()
    for index, ch in enumerate(text[start:], start):
        if ch not in GSM7_ALL:
            positions = found.get(ch)
            if positions is None:
                found[ch] = [index]
            else:
                positions.append(index)
    return tuple(CharOccurrences(ch, tuple(positions)) for ch, positions in found.items())


def _invalid_occurrences(text: str) -> tuple[CharOccurrences, ...]:
    found: dict[str, list[int]] = {}
    for match in _XML_INVALID.finditer(text):
        found.setdefault(match.group(), []).append(match.start())
    return tuple(CharOccurrences(ch, tuple(positions)) for ch, positions in found.items())


def _piece_ends(
    text: str, encoding: Encoding, part_limit: int, *, crlf: bool, combining: bool
) -> list[int]:
    """Running unit total at the end of each unsplittable piece of `text`.

    A piece is a grapheme cluster, or one character of a cluster longer than a whole part.
    Built from C-level accumulate/findall rather than a per-character Python loop: this runs
    on every keystroke.
    """
    escaped = _GSM7_ESCAPED if encoding is Encoding.GSM7 else _ASTRAL
    char_units = [1] * len(text)
    for match in escaped.finditer(text):
        char_units[match.start()] = 2
    if not combining:
        # Clusters are single characters, bar CR LF: skip the (much slower) grapheme scan.
        ends = list(accumulate(char_units))
        if crlf:
            for match in reversed(list(_CRLF.finditer(text))):
                del ends[match.start()]  # no piece ends between CR and LF
        return ends
    units_before = list(accumulate(char_units, initial=0))
    bounds = list(accumulate(map(len, _GRAPHEME.findall(text))))
    ends = [units_before[bound] for bound in bounds]
    if max(map(operator.sub, ends, [0, *ends[:-1]])) > part_limit:
        # Longer than a whole part: cut it between characters, so never inside an escape
        # or surrogate pair.
        bounds = _split_oversized(bounds, units_before, part_limit)
        ends = [units_before[bound] for bound in bounds]
    return ends


def _split_oversized(bounds: list[int], units_before: list[int], part_limit: int) -> list[int]:
    split: list[int] = []
    start = 0
    for end in bounds:
        if units_before[end] - units_before[start] > part_limit:
            split.extend(range(start + 1, end + 1))
        else:
            split.append(end)
        start = end
    return split


def _pack(ends: list[int], part_limit: int) -> tuple[int, int]:
    """Greedy packing: each piece goes whole into the current part or starts the next one.

    `ends` are running unit totals, so each part's last piece is found by bisection.
    Returns the number of parts and the units used in the last one.
    """
    parts, base, first = 1, 0, 0
    total = ends[-1]
    while total - base > part_limit:
        last = bisect.bisect_right(ends, base + part_limit, first) - 1
        base, first = ends[last], last + 1
        parts += 1
    return parts, total - base


# --- counting many texts built from a few pieces (personalised messages) ---------------------


_NON_GSM_FLAG, _ESCAPES_FLAG, _ASTRAL_FLAG, _COMPLEX_FLAG, _INVALID_FLAG = 1, 2, 4, 8, 16


class _Piece(NamedTuple):  # a tuple, read by index in the hot loop
    gsm_units: int  # len + extension characters
    utf16_units: int
    flags: int  # the _*_FLAG bits; COMPLEX: a CR or LF (CR LF may span pieces) or a joiner
    length: int
    non_gsm: tuple[tuple[str, tuple[int, ...]], ...]
    invalid: tuple[tuple[str, tuple[int, ...]], ...]


class PieceAnalyser:
    """`analyse("".join(pieces))`, exactly, from facts about each piece kept in a cache.

    For personalised messages: the template's text and the row values repeat across rows while
    the joined texts mostly differ, so each distinct piece is scanned once. Texts that would
    need the full packing (multi-part with escapes, surrogate pairs, CR or joining characters)
    are analysed in full, cached by text. One analyser per recount: its caches only grow.
    """

    def __init__(self) -> None:
        self._pieces: dict[str, _Piece] = {}
        self._texts: dict[str, TextAnalysis] = {}
        # GSM-7 texts with nothing to list differ only in their units: share one analysis.
        self._plain: dict[int, TextAnalysis] = {}

    def piece_non_gsm(self, piece: str) -> tuple[str, ...]:
        """The distinct characters of `piece` that GSM-7 cannot carry."""
        return tuple(ch for ch, _ in self._piece(piece).non_gsm)

    def analyse(self, pieces: Sequence[str], text: str | None = None) -> TextAnalysis:
        """`text` is `"".join(pieces)` when the caller already has it."""
        if text is None:
            text = "".join(pieces)
        known = self._texts.get(text)
        if known is not None:
            return known
        pieces_cache = self._pieces
        gsm_units = utf16_units = flags = 0
        for piece in pieces:
            f = pieces_cache.get(piece) or self._piece(piece)
            gsm_units += f[0]
            utf16_units += f[1]
            flags |= f[2]
        ucs2 = bool(flags & _NON_GSM_FLAG)
        escapes = flags & _ESCAPES_FLAG
        astral = flags & _ASTRAL_FLAG
        complex_ = flags & _COMPLEX_FLAG
        invalid = flags & _INVALID_FLAG
        if ucs2:
            encoding, single_limit, part_limit = Encoding.UCS2, UCS2_SINGLE_LIMIT, UCS2_PART_LIMIT
            units, uniform = utf16_units, not astral
        else:
            encoding, single_limit, part_limit = Encoding.GSM7, GSM7_SINGLE_LIMIT, GSM7_PART_LIMIT
            units, uniform = gsm_units, not escapes
        if units <= single_limit:
            segments, units_left = 1, single_limit - units
        elif uniform and not complex_:
            segments = -(-units // part_limit)
            units_left = segments * part_limit - units
        else:
            result = self._texts[text] = analyse(text)
            return result
        if not ucs2 and not invalid:
            shared = self._plain.get(units)
            if shared is None:
                shared = self._plain[units] = TextAnalysis(
                    encoding, units, segments, units_left, single_limit, part_limit, (), ()
                )
            self._texts[text] = shared
            return shared
        facts = [pieces_cache[p] for p in pieces]
        result = TextAnalysis(
            encoding,
            units,
            segments,
            units_left,
            single_limit,
            part_limit,
            _joined(facts, "non_gsm") if ucs2 else (),
            _joined(facts, "invalid") if invalid else (),
        )
        self._texts[text] = result
        return result

    def _piece(self, piece: str) -> _Piece:
        facts = self._pieces.get(piece)
        if facts is not None:
            return facts
        line_break = _COMPLEX_FLAG if "\r" in piece or "\n" in piece else 0
        if _NON_GSM.search(piece) is None and not _XML_INVALID.search(piece):
            # The common case (plain GSM-7 text): no character to list.
            escapes = len(_GSM7_ESCAPED.findall(piece))
            flags = line_break | (_ESCAPES_FLAG if escapes else 0)
            facts = _Piece(len(piece) + escapes, len(piece), flags, len(piece), (), ())
        else:
            whole = analyse(piece)
            non_gsm = tuple((o.char, o.positions) for o in whole.non_gsm)
            escapes = len(_GSM7_ESCAPED.findall(piece))
            utf16 = len(piece.encode("utf-16-le", "surrogatepass")) // 2
            joining = any(_JOINING.match(ch) for ch, _ in non_gsm)
            flags = (
                line_break
                | (_NON_GSM_FLAG if non_gsm else 0)
                | (_ESCAPES_FLAG if escapes else 0)
                | (_ASTRAL_FLAG if _ASTRAL.search(piece) else 0)
                | (_COMPLEX_FLAG if joining else 0)
                | (_INVALID_FLAG if whole.invalid else 0)
            )
            invalid = tuple((o.char, o.positions) for o in whole.invalid)
            facts = _Piece(len(piece) + escapes, utf16, flags, len(piece), non_gsm, invalid)
        self._pieces[piece] = facts
        return facts


def _joined(facts: Sequence[_Piece], which: str) -> tuple[CharOccurrences, ...]:
    found: dict[str, list[int]] = {}
    offset = 0
    for f in facts:
        for ch, positions in getattr(f, which):
            found.setdefault(ch, []).extend(offset + p for p in positions)
        offset += f.length
    return tuple(CharOccurrences(ch, tuple(positions)) for ch, positions in found.items())
