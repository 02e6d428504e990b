"""zeep's HTTP transport, made safe for an untrusted server: connect and read timeouts, an
overall deadline, a size limit on every reply (streamed), no redirects, certificate checks
against the operating system's trust store (vtsms_gui.api.tls), the proxy chosen by
vtsms_gui.api.proxy, one fresh connection per call, and a masked copy of every exchange for
the SOAP log. Each request's outcome goes to the support log (operation, host, status, time).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from email.message import Message
from urllib.parse import urlsplit

import requests
from lxml import html as lxml_html
from requests.structures import CaseInsensitiveDict
from zeep.exceptions import ExternalReferenceForbidden
from zeep.transports import Transport

from vtsms_gui.api.proxy import ProxyRoute, resolve_proxy
from vtsms_gui.api.soap_log import SoapExchange, mask_soap, redact, remember_secrets

_log = logging.getLogger(__name__)
_CHUNK_BYTES = 64 * 1024
_XML_MEDIA_TYPES = ("text/xml", "application/xml", "application/soap+xml")


class TransportLimitError(Exception):
    """Base of the transport's own refusals; error_translation turns them into VettrakErrors."""


class ResponseTooLarge(TransportLimitError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The reply was larger than {limit:,} bytes.")
        self.limit = limit


class ResponseTooSlow(TransportLimitError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"The reply took longer than {seconds:g} seconds to arrive.")
        self.seconds = seconds


class NotSoapReply(TransportLimitError):
    """An HTTP reply that is not SOAP: an error page, a redirect, or a web page."""

    def __init__(self, http_status: int, title: str, location: str) -> None:
        super().__init__(f"HTTP {http_status} {title}".strip())
        self.http_status = http_status
        self.title = title
        self.location = location


class LimitedTransport(Transport):
    def __init__(
        self,
        *,
        session: requests.Session | None,
        connect_timeout: float,
        read_timeout: float,
        max_response_bytes: int,
        verify: bool | str,
        on_exchange: Callable[[SoapExchange], None] | None = None,
        local_wsdl: str | None = None,
        ca_file: str | None = None,
        proxy_route: Callable[[str], ProxyRoute] | None = None,
    ) -> None:
        """`session`: None for the app's own (OS trust store plus `ca_file`, environment
        ignored); a given session (tests) is used as it is, with `verify` passed per request.
        `proxy_route` picks each request's proxy (default: the environment and the system)."""
        timeouts = (connect_timeout, read_timeout)
        self._close_session = False  # zeep's __del__ reads it, even if the set-up below fails
        owned = session is None
        if session is None:
            from vtsms_gui.api.tls import secure_session

            session = secure_session(ca_file or (verify if isinstance(verify, str) else None))
        super().__init__(  # type: ignore[no-untyped-call]  # zeep has no type hints
            session=session, timeout=timeouts, operation_timeout=timeouts
        )
        self._close_session = owned
        self._proxy_route = proxy_route or resolve_proxy
        self._timeouts = timeouts
        # requests' read timeout is per socket read; the deadline stops a server that trickles.
        self._total_seconds = connect_timeout + read_timeout
        self._max_bytes = max_response_bytes
        self._verify = verify
        self._on_exchange = on_exchange
        self._local_wsdl = local_wsdl
        self.secrets: tuple[str | None, ...] = ()
        self.route_secrets: tuple[str, ...] = ()  # the proxy password of the latest request
        self.posted = False  # set as a request leaves: an error before that sent nothing

    def close(self) -> None:
        if self._close_session:
            self.session.close()

    @property
    def all_secrets(self) -> tuple[str | None, ...]:
        """The call's secrets (token, password) and the proxy password."""
        return (*self.secrets, *self.route_secrets)

    def route(self, url: str) -> ProxyRoute:
        """The proxy (or none) that a request to `url` goes through now."""
        return self._proxy_route(url)

    def post(self, address: str, message: bytes, headers: dict[str, str]) -> requests.Response:
        operation = _operation_of(headers)
        started = time.monotonic()
        self.posted = True
        try:
            response = self._request("POST", address, message, headers, started)
        except Exception as exc:
            error = f"{type(exc).__name__}: {redact(str(exc), self.all_secrets)}"
            _log.warning(
                "%s to %s failed after %.2f s: %s",
                operation,
                _host_of(address),
                time.monotonic() - started,
                error,
            )
            self._report(
                operation=operation,
                url=address,
                request=message,
                response=None,
                started=started,
                error=error,
            )
            raise
        _log.info(
            "%s to %s: HTTP %s, %s bytes in %.2f s",
            operation,
            _host_of(address),
            response.status_code,
            len(response.content),
            time.monotonic() - started,
        )
        self._report(
            operation=operation, url=address, request=message, response=response, started=started
        )
        _refuse_non_soap(response)
        return response

    def load(self, url: str) -> bytes:
        """A WSDL or schema: over http(s), or the one bundled file; never another local file."""
        if urlsplit(url).scheme.lower() not in ("http", "https") and url != self._local_wsdl:
            # A server's WSDL could otherwise import file:///... from this computer.
            raise ExternalReferenceForbidden(url)  # type: ignore[no-untyped-call]
        return bytes(super().load(url))  # type: ignore[no-untyped-call]

    def _load_remote_data(self, url: str) -> bytes:
        """The live WSDL, under the same limits as a SOAP reply."""
        started = time.monotonic()
        try:
            response = self._request("GET", url, None, {}, started)
        except Exception as exc:
            _log.warning(
                "WSDL from %s failed after %.2f s: %s: %s",
                _host_of(url),
                time.monotonic() - started,
                type(exc).__name__,
                redact(str(exc), self.all_secrets),
            )
            raise
        _log.info(
            "WSDL from %s: HTTP %s, %s bytes in %.2f s",
            _host_of(url),
            response.status_code,
            len(response.content),
            time.monotonic() - started,
        )
        if response.status_code != 200:
            raise NotSoapReply(
                response.status_code, _page_title(response.content), _location(response)
            )
        return response.content

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        started: float,
    ) -> requests.Response:
        # A fresh connection per call: reusing a pooled one that the server is just closing
        # would fail a send in a way that looks like "may have been sent".
        headers = {**headers, "Connection": "close"}
        route = self._proxy_route(url)
        # The proxy password, raw and %-encoded, is scrubbed from whatever is said about this call.
        self.route_secrets = route.secrets
        remember_secrets(*route.secrets)
        if route.proxy_url:
            _log.debug("%s %s through %s", method, _host_of(url), route.display)
        with self.session.request(
            method,
            url,
            data=body,
            headers=headers,
            timeout=self._timeouts,
            verify=self._verify,
            proxies=route.for_requests(),
            stream=True,
            allow_redirects=False,  # requests would turn a redirected POST into a GET
        ) as streamed:
            connection = getattr(streamed.raw, "connection", None)
            try:
                content = self._read_limited(streamed, started)
            finally:
                # Not every server honours "Connection: close": closing our end keeps this
                # connection out of the pool.
                if connection is not None:
                    connection.close()
        return _detached(streamed, content)

    def _read_limited(self, response: requests.Response, started: float) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise ResponseTooLarge(self._max_bytes)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK_BYTES):
            size += len(chunk)
            if size > self._max_bytes:
                raise ResponseTooLarge(self._max_bytes)
            if time.monotonic() - started > self._total_seconds:
                raise ResponseTooSlow(self._total_seconds)
            chunks.append(chunk)
        return b"".join(chunks)

    def _report(
        self,
        *,
        operation: str,
        url: str,
        request: bytes,
        response: requests.Response | None,
        started: float,
        error: str = "",
    ) -> None:
        if self._on_exchange is None:
            return
        try:
            self._on_exchange(
                SoapExchange(
                    operation=operation,
                    url=url,
                    request=mask_soap(request, self.all_secrets),
                    response=None
                    if response is None
                    else mask_soap(response.content, self.all_secrets),
                    http_status=None if response is None else response.status_code,
                    seconds=time.monotonic() - started,
                    error=error,
                )
            )
        except Exception:  # noqa: BLE001 - any failure in the log window's code or masking
            # The SOAP log must never turn a delivered reply into a failed send.
            _log.exception("The SOAP log callback failed")


def _detached(streamed: requests.Response, content: bytes) -> requests.Response:
    """A plain Response holding the body read so far (what zeep's reply processing reads)."""
    response = requests.Response()
    response._content = content
    response.status_code = streamed.status_code
    response.headers = CaseInsensitiveDict(streamed.headers)
    response.encoding = streamed.encoding
    response.url = streamed.url
    response.reason = streamed.reason
    return response


def _refuse_non_soap(response: requests.Response) -> None:
    """An error page, a redirect or a web page is refused before zeep tries to read it."""
    if _is_xml(response):
        return
    if response.status_code == 200 and not response.content:
        return  # zeep reports an empty reply itself
    raise NotSoapReply(response.status_code, _page_title(response.content), _location(response))


def _is_xml(response: requests.Response) -> bool:
    message = Message()
    message["Content-Type"] = response.headers.get("Content-Type", "")
    media_type = message.get_content_type()
    if media_type in _XML_MEDIA_TYPES or media_type.endswith("+xml"):
        return True
    if media_type == "text/html":
        return False
    # No or a vague Content-Type: judge by the body (a web page starts with <html or <!DOCTYPE).
    start = response.content.lstrip(b"\xef\xbb\xbf \t\r\n")[:20].lower()
    return start.startswith(b"<") and not start.startswith((b"<html", b"<!doctype html"))


def _page_title(content: bytes) -> str:
    if not content.strip():
        return ""
    try:
        title = lxml_html.fromstring(content).findtext(".//title")
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return ""
    return " ".join((title or "").split())[:200]


def _location(response: requests.Response) -> str:
    return str(response.headers.get("Location", ""))[:500]


def _host_of(url: str) -> str:
    """host[:port] of a URL, for the support log (never a path, query or credentials)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def _operation_of(headers: dict[str, str]) -> str:
    """The operation named by SOAPAction (1.1) or the Content-Type action (1.2)."""
    action = headers.get("SOAPAction", "").strip('"')
    if not action:
        message = Message()
        message["Content-Type"] = headers.get("Content-Type", "")
        param = message.get_param("action")
        action = param if isinstance(param, str) else ""
    return action.rstrip("/").rpartition("/")[2]
