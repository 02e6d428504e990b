"""What the SOAP log window shows: each request and reply, pretty-printed, with the login
token and password masked. Pure functions over text; lxml only (no zeep or requests).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

MASK = "********"
# Elements whose text is a secret: the token sent with every call and echoed in Auth, and the
# password sent to ValidateClient/ValidateUser.
SECRET_ELEMENTS = frozenset({"token", "Token", "sPassword"})
_SECRET_TEXT = re.compile(
    r"(<(?:[\w.-]+:)?(token|Token|sPassword)(?:\s[^>]*)?>)([^<]*)(</(?:[\w.-]+:)?\2\s*>)"
)
# A reply cut off inside a secret element: mask from its opening tag to the end.
_SECRET_TEXT_CUT_OFF = re.compile(r"(<(?:[\w.-]+:)?(?:token|Token|sPassword)(?:\s[^>]*)?>)[^<]*\Z")
_MAX_SHOWN_CHARS = 2_000_000


@dataclass(frozen=True)
class SoapExchange:
    """One HTTP round trip, already masked. `response` is None when no reply arrived."""

    operation: str
    url: str
    request: str
    response: str | None
    http_status: int | None
    seconds: float
    error: str = ""


def mask_soap(body: bytes | str, secrets: Iterable[str | None] = ()) -> str:
    """`body` pretty-printed with secret elements' text replaced by a mask.

    Bodies that are not well-formed XML (error pages, cut-off replies) are masked by pattern
    instead, and any known secret text left anywhere is replaced too.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    pretty = _pretty_masked(text)
    if pretty is not None:
        masked = pretty
    else:
        masked = _SECRET_TEXT.sub(rf"\1{MASK}\4", text)
        masked = _SECRET_TEXT_CUT_OFF.sub(rf"\1{MASK}", masked)
    masked = redact(masked, secrets)
    if len(masked) > _MAX_SHOWN_CHARS:
        return (
            masked[:_MAX_SHOWN_CHARS] + f"\n… ({len(masked) - _MAX_SHOWN_CHARS:,} more characters)"
        )
    return masked


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret replaced by a mask, raw or XML-escaped as it may appear."""
    for secret in secrets:
        if not secret:
            continue
        for form in sorted(_escaped_forms(secret), key=len, reverse=True):
            text = text.replace(form, MASK)
    return text


def _escaped_forms(secret: str) -> set[str]:
    # Serialisers differ on > and on quotes: cover every spelling XML allows them.
    escaped = secret.replace("&", "&amp;").replace("<", "&lt;")
    return {secret} | {
        escaped.replace(">", gt).replace('"', double).replace("'", single)
        for gt in (">", "&gt;")
        for double in ('"', "&quot;", "&#34;")
        for single in ("'", "&apos;", "&#39;", "&#x27;")
    }


def _pretty_masked(text: str) -> str | None:
    # Never resolve entities or fetch anything: the reply may be hostile.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.getroottree().docinfo.doctype:
        return None  # a DTD may hide secrets in entities: fall back to pattern masking
    for element in root.iter():
        secret = isinstance(element.tag, str) and etree.QName(element).localname in SECRET_ELEMENTS
        if secret and element.text:
            element.text = MASK
    return str(etree.tostring(root, pretty_print=True, encoding="unicode"))
