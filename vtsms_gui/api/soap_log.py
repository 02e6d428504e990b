"""What the SOAP log window shows: each request and reply, pretty-printed, with the login
token and password masked. Pure functions over text; lxml only (no zeep or requests).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

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
    """`text` with every secret replaced by a mask, as it may appear: raw, XML-escaped,
    URL-encoded (%XX either case, "+" for spaces), JSON- or Python-repr-escaped."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms |= _escaped_forms(secret)
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def mask_secret_elements(text: str) -> str:
    """`text` with the content of every token/Token/sPassword element masked (any text)."""
    masked = _SECRET_TEXT.sub(rf"\1{MASK}\4", text)
    return _SECRET_TEXT_CUT_OFF.sub(rf"\1{MASK}", masked)


class SecretRegistry:
    """The secrets of this session (passwords, tokens, proxy passwords) for the support log's
    filter, which scrubs them from every record. Bounded: the oldest go first."""

    MAX_SECRETS = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: dict[str, None] = {}

    def add(self, *secrets: str | None) -> None:
        with self._lock:
            for secret in secrets:
                if secret:
                    self._secrets.pop(secret, None)
                    self._secrets[secret] = None
            while len(self._secrets) > self.MAX_SECRETS:
                del self._secrets[next(iter(self._secrets))]

    def snapshot(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._secrets)

    def clear(self) -> None:
        with self._lock:
            self._secrets.clear()

    def __repr__(self) -> str:
        return f"<SecretRegistry: {len(self._secrets)} secret(s) {MASK}>"


SESSION_SECRETS = SecretRegistry()
"""The process's registry: the client adds each password and token it uses, the transport each
proxy password; vtsms_gui.storage.support_log's filter reads it."""


def remember_secrets(*secrets: str | None) -> None:
    """Add secrets to `SESSION_SECRETS`, so no log record can carry them."""
    SESSION_SECRETS.add(*secrets)


def _escaped_forms(secret: str) -> set[str]:
    # Serialisers differ on > and on quotes: cover every spelling XML allows them.
    escaped = secret.replace("&", "&amp;").replace("<", "&lt;")
    forms = {secret} | {
        escaped.replace(">", gt).replace('"', double).replace("'", single)
        for gt in (">", "&gt;")
        for double in ('"', "&quot;", "&#34;")
        for single in ("'", "&apos;", "&#39;", "&#x27;")
    }
    for encoded in (quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)):
        forms |= {encoded, _lower_hex(encoded)}
    forms |= {
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        # as inside a longer repr() that had to escape one kind of quote
        secret.replace("\\", "\\\\").replace("'", "\\'"),
        secret.replace("\\", "\\\\").replace('"', '\\"'),
    }
    return {form for form in forms if form}


def _lower_hex(encoded: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda match: match.group().lower(), encoded)


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
