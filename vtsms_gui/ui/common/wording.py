"""Small wording rules shared by the window's texts: a count with the right form of its noun,
and a sentence that ends with exactly one full stop."""

from __future__ import annotations

# Punctuation that already ends a sentence, and the closing marks that may follow it
# ('Cannot open "a.csv."' ends a sentence too).
_SENTENCE_ENDS = (".", "!", "?", "…")
_CLOSING_MARKS = "\"'”’)]»"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 recipient", "0 recipients", "1,234 recipients"; `plural` for irregular nouns
    ("SMS" stays "SMS")."""
    # English needs only two forms here; a pluralising library (inflect) would be a dependency
    # for one line.
    noun = singular if n == 1 else (plural if plural is not None else singular + "s")
    return f"{n:,} {noun}"


def sentence(text: str) -> str:
    """`text` ending with one full stop: an error message that already ends with ".", "!",
    "?" or "…" gets no second one."""
    text = text.rstrip()
    if not text or text.rstrip(_CLOSING_MARKS).endswith(_SENTENCE_ENDS):
        return text
    return text + "."
