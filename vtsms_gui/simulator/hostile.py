"""Hostile and broken replies, so the client can prove it survives a malicious or sick server.

Each takes a well-formed reply containing MARKER and turns it into the attack: a DTD with
"billion laughs" entities, an external entity naming a local file, or a body of many MB.
"""

from __future__ import annotations

import re

MARKER = "VTSMS-SIMULATOR-PAYLOAD"
HUGE_FILLER = b"A"

_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s/>]")
_LAUGH_LEVELS = 9


def billion_laughs(document: bytes) -> bytes:
    """Ten levels of entities each ten times the last: 10^9 "lol"s if a parser expands them."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, _LAUGH_LEVELS + 1):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return _with_dtd(document, "".join(entities), f"&lol{_LAUGH_LEVELS};")


def external_entity(document: bytes) -> bytes:
    """An entity whose value a careless parser would read from the client's own disk."""
    return _with_dtd(document, '<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;")


def huge_body_parts(document: bytes) -> tuple[bytes, bytes]:
    """The reply split at MARKER: the caller streams the filler between the two halves."""
    before, _, after = document.partition(MARKER.encode())
    return before, after


def truncated(document: bytes) -> bytes:
    """The first half of the reply: a complete HTTP answer whose XML stops mid-way."""
    return document[: len(document) // 2]


def _with_dtd(document: bytes, declarations: str, payload: str) -> bytes:
    match = _ROOT.search(document)
    if match is None:
        raise ValueError("The document has no root element.")
    root = match.group(1).decode()
    start = match.start()
    doctype = f"<!DOCTYPE {root} [{declarations}]>".encode()
    body = document[start:].replace(MARKER.encode(), payload.encode())
    return document[:start] + doctype + body
