"""The GSM 03.38 default alphabet: which characters an SMS can carry in GSM-7, and their cost.

Only the default basic and extension tables count; national shift tables are not used by
Australian gateways.
"""

from __future__ import annotations

# Written out by hand: the tables are a fixed 3GPP standard of 137 characters, and the codec
# packages on PyPI (e.g. gsm0338) answer "can this be encoded" one call at a time, which is too
# slow for counting on every keystroke and adds a dependency for a constant.
# The escape code 0x1B itself is left out: it is not a character a user can type.
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)

# Each of these is sent as the escape code plus one septet, so it costs two.
GSM7_EXTENSION: frozenset[str] = frozenset("\f^{}\\[]~|€")

GSM7_ALL: frozenset[str] = GSM7_BASIC | GSM7_EXTENSION


def is_gsm7_char(ch: str) -> bool:
    """True when `ch` (one character) is in the GSM-7 default basic or extension table."""
    return ch in GSM7_ALL


def septets(ch: str) -> int:
    """Septets `ch` takes in a GSM-7 message: 2 for extension characters, else 1."""
    if ch not in GSM7_ALL:
        raise ValueError(f"{ch!r} is not in the GSM-7 alphabet")
    return 2 if ch in GSM7_EXTENSION else 1
