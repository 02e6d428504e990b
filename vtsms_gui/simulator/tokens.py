"""Tokens as VETtrak hands them out: random, and full of characters XML must escape."""

from __future__ import annotations

import secrets
import string

# Real tokens carry XML-special characters (`'&7%+>-"6(+!56$0>345`); ours draw from the same
# kind of alphabet so that every client escapes them properly from the first call.
_TOKEN_SPECIALS = "'&%+>-\"(!$<)"  # noqa: S105 - an alphabet, not a password
_TOKEN_ALPHABET = string.ascii_letters + string.digits + _TOKEN_SPECIALS
_TOKEN_LENGTH = 20


def random_token() -> str:
    """A 20-character token with at least one of the characters XML must escape."""
    chars = [secrets.choice(_TOKEN_ALPHABET) for _ in range(_TOKEN_LENGTH - 1)]
    chars.insert(secrets.randbelow(_TOKEN_LENGTH), secrets.choice("&<>'\""))
    return "".join(chars)
