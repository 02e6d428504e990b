"""Propose GSM-7-safe stand-ins for the characters Word and Outlook slip into messages.

Only typography is touched (quotes, dashes, spaces, invisible characters, symbols): letters
keep their meaning, and a proposal never makes a message take more SMS parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from vtsms_gui.domain.gsm7 import GSM7_ALL, GSM7_BASIC
from vtsms_gui.domain.sms_text import CharOccurrences, Encoding, analyse, describe_char

_STAND_INS: dict[str, str] = {
    **dict.fromkeys("‘’‚‛′‹›", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    # hyphen, non-breaking hyphen, figure/en/em dash, horizontal bar, minus, small em dash,
    # small hyphen-minus
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-"),
    "…": "...",
    # no-break space and every other Unicode space separator
    **dict.fromkeys("\u00a0\u1680\u202f\u205f\u3000", " "),
    **{chr(cp): " " for cp in range(0x2000, 0x200B)},
    # zero-width space, word joiner, byte order mark, soft hyphen: invisible, so just dropped
    **dict.fromkeys("\u200b\u2060\ufeff\u00ad", ""),
    **dict.fromkeys("•◦▪·", "-"),
    "™": "TM",
    "©": "(C)",
    "®": "(R)",
    # Full-width forms of ASCII (U+FF01-FF5E) where the ASCII character is GSM-7 (not `).
    **{chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if chr(cp - 0xFEE0) in GSM7_ALL},
}
# Zero-width (non-)joiners glue emoji sequences (👨‍👩‍👧) and shape Persian and Indic words:
# they are dropped only where they sit between characters GSM-7 can carry.
_JOINERS = frozenset("\u200c\u200d")
_DROPPED = frozenset(ch for ch, new in _STAND_INS.items() if new == "")
# A Latin letter typed as letter + combining accent (e.g. from a Mac or a PDF), full-width
# letters and invisible characters in between included: once those are replaced the accent
# would combine anyway, so composing them in the same pass keeps the proposal idempotent.
_DECOMPOSED = re.compile(
    "[A-Za-z\uff21-\uff3a\uff41-\uff5a][\u0300-\u036f" + "".join(sorted(_DROPPED)) + "]*"
    "[\u0300-\u036f]"
)
_PLAIN_LETTER = str.maketrans(_STAND_INS)


@dataclass(frozen=True)
class Change:
    """`old` at str index `position` of the original text becomes `new` ("" = removed)."""

    position: int
    old: str
    new: str


@dataclass(frozen=True)
class ReplacementProposal:
    """The message with stand-ins applied, and each change so the UI can show or undo it."""

    text: str
    changes: tuple[Change, ...]
    becomes_gsm7: bool

    @property
    def remaining_non_gsm(self) -> tuple[CharOccurrences, ...]:
        """What still forces UCS-2 after the changes (emoji, other scripts...)."""
        return analyse(self.text).non_gsm

    def summary(self) -> str:
        """One plain-English sentence for the window and the command line."""
        if not self.changes:
            done = "Nothing to replace"
        else:
            count = len(self.changes)
            done = f"{count} character{'s' if count != 1 else ''} replaced"
        if self.becomes_gsm7:
            return f"{done}: the message uses the standard SMS alphabet (160 per SMS)."
        shown = ", ".join(describe_char(occ.char) for occ in self.remaining_non_gsm[:5])
        more = " and others" if len(self.remaining_non_gsm) > 5 else ""
        return (
            f"{done}. The message still needs Unicode (70 per SMS) because of {shown}{more}:"
            " these have no standard-alphabet equivalent."
        )


def propose_replacement(text: str) -> ReplacementProposal:
    """Replace typographic offenders with GSM-7 stand-ins, never adding an SMS part.

    Stand-ins longer than the original (… to ..., ™ to TM) are applied one at a time, in
    order, and each is skipped if it would push the message into another part.
    """
    limit = analyse(text).segments
    candidates = list(_candidates(text))
    shrinking = [change for change in candidates if len(change.new) <= len(change.old)]
    growing = [change for change in candidates if len(change.new) > len(change.old)]

    accepted: list[Change] = []
    one_at_a_time = growing
    if _segments(text, shrinking) <= limit:
        accepted = shrinking
    else:
        # Rare: dropping an invisible character can merge two neighbours into one
        # unsplittable cluster that no longer fits its part.
        one_at_a_time = shrinking + growing
    for change in one_at_a_time:
        if _segments(text, [*accepted, change]) <= limit:
            accepted.append(change)

    changes = tuple(sorted(accepted, key=lambda change: change.position))
    new_text = _apply(text, changes)
    return ReplacementProposal(new_text, changes, analyse(new_text).encoding is Encoding.GSM7)


def _candidates(text: str) -> Iterator[Change]:
    """Every offender with a stand-in, in order of position."""
    letters: dict[int, Change] = {}
    for match in _DECOMPOSED.finditer(text):
        composed = unicodedata.normalize("NFC", match.group().translate(_PLAIN_LETTER))
        if composed in GSM7_BASIC:  # one GSM letter: the same visible character
            letters[match.start()] = Change(match.start(), match.group(), composed)
    composed_span = {
        i for c in letters.values() for i in range(c.position, c.position + len(c.old))
    }
    index = 0
    while index < len(text):
        letter = letters.get(index)
        if letter is not None:
            yield letter
            index += len(letter.old)
            continue
        ch = text[index]
        if ch in _STAND_INS:
            yield Change(index, ch, _STAND_INS[ch])
        elif ch in _JOINERS and _between_gsm_characters(text, index, composed_span):
            yield Change(index, ch, "")
        index += 1


def _between_gsm_characters(text: str, index: int, composed_span: set[int]) -> bool:
    """True when both neighbours are, or are about to become, GSM-7 characters."""
    return all(
        text[i] in GSM7_ALL or text[i] in _STAND_INS or text[i] in _JOINERS or i in composed_span
        for i in (index - 1, index + 1)
        if 0 <= i < len(text)
    )


def _apply(text: str, changes: Iterable[Change]) -> str:
    pieces: list[str] = []
    done = 0
    for change in sorted(changes, key=lambda change: change.position):
        pieces += [text[done : change.position], change.new]
        done = change.position + len(change.old)
    pieces.append(text[done:])
    return "".join(pieces)


def _segments(text: str, changes: Iterable[Change]) -> int:
    return analyse(_apply(text, changes)).segments
