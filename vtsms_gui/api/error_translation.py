"""Turns what requests, urllib3, zeep and the transport raise into one `VettrakError` each,
deciding for a send whether the SMS may have gone out, and scrubbing secrets from the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import requests
import urllib3.exceptions
import zeep.exceptions

from vtsms_gui.api.errors import (
    CannotConnect,
    MalformedResponse,
    OutcomeUnknown,
    ProxyAuthRequired,
    ProxyProblem,
    ServerErrorPage,
    SoapFault,
    TlsProblem,
    VettrakError,
)
from vtsms_gui.api.soap_log import redact
from vtsms_gui.api.transport import (
    NotSoapReply,
    ResponseTooLarge,
    ResponseTooSlow,
    TransportLimitError,
)

SEND_OPERATION = "SendSMSMessages"
WSDL_OPERATION = "WSDL"

# What a call can raise that means "this call failed", as opposed to a bug in our code.
TRANSLATABLE: tuple[type[BaseException], ...] = (
    requests.RequestException,
    zeep.exceptions.Error,
    TransportLimitError,
)

_CHECK_HISTORY = (
    "It is not known whether these SMS went out: check the SMS history in VETtrak before "
    "sending them again."
)
PROXY_SIGN_IN_MESSAGE = (
    "Your network's proxy asks for a sign-in (HTTP 407), so nothing was sent. Enter the "
    "proxy's username and password in Tools > Settings (on the command line: --proxy, "
    "--proxy-username and the VTSMS_PROXY_PASSWORD variable), or ask your IT support. A proxy "
    "that signs in with "
    "your Windows login (NTLM or Kerberos) is not supported: IT can allow the VETtrak server "
    "through without it."
)
# How urllib3 and http.client report a CONNECT answered with 407.
_PROXY_SIGN_IN = re.compile(r"\b407\b|Proxy Authentication Required", re.IGNORECASE)
_MALFORMED_ERRORS = (
    zeep.exceptions.XMLSyntaxError,
    zeep.exceptions.XMLParseError,
    zeep.exceptions.UnexpectedElementError,
    zeep.exceptions.DTDForbidden,
    zeep.exceptions.EntitiesForbidden,
    zeep.exceptions.ExternalReferenceForbidden,
    zeep.exceptions.LookupError,
    zeep.exceptions.NamespaceError,
)


def translate(exc: BaseException, operation: str, secrets: Sequence[str | None]) -> VettrakError:
    """The VettrakError for `exc`, raised by a call of `operation` (or "WSDL" while loading)."""
    sending = operation == SEND_OPERATION
    subject = (
        "The server's service description (WSDL)"
        if operation == WSDL_OPERATION
        else "VETtrak's reply"
    )
    technical = redact(f"{type(exc).__name__}: {exc}", secrets)[:2000]
    if isinstance(exc, requests.RequestException):
        return _network_error(exc, sending, technical)
    if isinstance(exc, NotSoapReply):
        return _page_error(exc, sending, technical)
    if isinstance(exc, ResponseTooLarge):
        return _malformed(
            f"{subject} was larger than {exc.limit / 1_000_000:g} MB and was refused.",
            sending,
            technical,
        )
    if isinstance(exc, ResponseTooSlow):
        return _no_answer(exc.seconds, sending, technical)
    if isinstance(exc, zeep.exceptions.Fault):
        fault_message = redact(str(exc.message or "").strip(), secrets)
        request_rejected = str(exc.code or "").endswith(("Client", "Sender"))
        reason = fault_message or "no reason given"
        if not sending:
            text = (
                "VETtrak reported an error and did not complete the request: "
                f"{reason.rstrip('.')}. Try again; if it keeps happening, tell your VETtrak "
                "administrator."
            )
        elif request_rejected:
            text = f"VETtrak rejected this batch before sending it: {reason}"
        else:
            text = (
                f"VETtrak reported an error while handling this batch ({reason}). {_CHECK_HISTORY}"
            )
        return SoapFault(
            text,
            fault_message=fault_message,
            technical=technical,
            may_have_sent=sending and not request_rejected,
        )
    if isinstance(exc, zeep.exceptions.TransportError) and exc.status_code == 407:
        return proxy_sign_in_error(technical)
    if isinstance(exc, zeep.exceptions.TransportError) and _is_error_status(exc.status_code):
        status = int(exc.status_code)
        return ServerErrorPage(
            f"The VETtrak server reported an error (HTTP {status})."
            + (
                " " + _CHECK_HISTORY
                if sending and status >= 500
                else " Try again in a few minutes; if it keeps happening, tell your VETtrak "
                "administrator."
            ),
            http_status=status,
            may_have_sent=sending and status >= 500,
            technical=technical,
        )
    if isinstance(exc, (*_MALFORMED_ERRORS, zeep.exceptions.TransportError)):
        reason = (
            "it declared a DTD or entities, which are refused for safety"
            if _declares_dtd(exc)
            else "it is incomplete or not what VETtrak sends"
        )
        return _malformed(f"{subject} could not be read: {reason}.", sending, technical)
    return _malformed(f"{subject} could not be read.", sending, technical)


def _network_error(exc: requests.RequestException, sending: bool, technical: str) -> VettrakError:
    # Order matters: SSLError and ConnectTimeout are also ConnectionErrors.
    if isinstance(exc, requests.exceptions.SSLError):
        return TlsProblem(
            "The server's security certificate could not be trusted, so nothing was sent. "
            "If your organisation uses its own certificate authority, give its certificate "
            "file in the settings; otherwise ask your IT support.",
            technical=technical,
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return CannotConnect(
            "The VETtrak server did not answer the connection in time, so nothing was sent. "
            "Check the address and your network connection.",
            technical=technical,
        )
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return _no_answer(None, sending, technical)
    if isinstance(exc, requests.exceptions.ProxyError):
        if _PROXY_SIGN_IN.search(str(exc)):
            return proxy_sign_in_error(technical)
        return ProxyProblem(
            "Could not reach the VETtrak server through your network's proxy, so nothing was "
            "sent. Check the proxy setting, or ask your IT support whether this proxy lets "
            "you reach the VETtrak server.",
            technical=technical,
        )
    if _never_connected(exc):
        return CannotConnect(
            "Could not connect to the VETtrak server, so nothing was sent. Check the address "
            "and your network connection.",
            technical=technical,
        )
    if isinstance(
        exc, requests.exceptions.ConnectionError | requests.exceptions.ChunkedEncodingError
    ):
        return OutcomeUnknown(
            "The connection to VETtrak was lost before its reply arrived."
            + (" " + _CHECK_HISTORY if sending else " Try again."),
            may_have_sent=sending,
            technical=technical,
        )
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return _malformed("VETtrak's reply could not be decompressed.", sending, technical)
    return CannotConnect(
        "The request to VETtrak could not be made, so nothing was sent.", technical=technical
    )


def proxy_sign_in_error(technical: str = "") -> ProxyAuthRequired:
    """The one message for a proxy's HTTP 407, wherever it was seen."""
    return ProxyAuthRequired(PROXY_SIGN_IN_MESSAGE, technical=technical)


def _never_connected(exc: requests.RequestException) -> bool:
    """True when the TCP connection was never made (unknown name, refused, unreachable)."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def _page_error(exc: NotSoapReply, sending: bool, technical: str) -> VettrakError:
    status = exc.http_status
    if status == 407:  # a plain http:// request through a proxy that wants a sign-in
        return proxy_sign_in_error(technical)
    if 300 <= status < 400:
        where = f" to {exc.location}" if exc.location else ""
        return ServerErrorPage(
            f"The server sent the request elsewhere{where} (HTTP {status}), so nothing was "
            "sent. Check the VETtrak address in the settings.",
            http_status=status,
            title=exc.title,
            technical=technical,
        )
    if status == 200:
        page = f" ('{exc.title}')" if exc.title else ""
        return _malformed(
            f"The server answered with a web page{page} instead of a VETtrak reply: check the "
            "VETtrak address in the settings.",
            sending,
            technical,
        )
    page = f": {exc.title}" if exc.title else ""
    may_have_sent = sending and status >= 500
    return ServerErrorPage(
        f"The VETtrak server answered with an error page (HTTP {status}{page})."
        + (" " + _CHECK_HISTORY if may_have_sent else " Nothing was sent."),
        http_status=status,
        title=exc.title,
        may_have_sent=may_have_sent,
        technical=technical,
    )


def _no_answer(seconds: float | None, sending: bool, technical: str) -> OutcomeUnknown:
    within = f" within {seconds:g} seconds" if seconds else " in time"
    return OutcomeUnknown(
        f"VETtrak did not answer{within}."
        + (" " + _CHECK_HISTORY if sending else " Try again later."),
        may_have_sent=sending,
        technical=technical,
    )


def _malformed(message: str, sending: bool, technical: str) -> MalformedResponse:
    return MalformedResponse(
        message
        + (
            " " + _CHECK_HISTORY
            if sending
            else ""
            if "settings" in message
            else " Check the VETtrak address in the settings, or tell your IT support."
        ),
        may_have_sent=sending,
        technical=technical,
    )


def _declares_dtd(exc: zeep.exceptions.Error) -> bool:
    if isinstance(exc, zeep.exceptions.DTDForbidden | zeep.exceptions.EntitiesForbidden):
        return True
    # libxml2 may stop on an entity bomb before zeep looks at the DTD.
    content = getattr(exc, "content", None)
    return isinstance(content, bytes) and b"<!DOCTYPE" in content[:4096].upper()


def _is_error_status(status: object) -> bool:
    return isinstance(status, int) and status >= 400
