"""What VT_API.asmx answers to each HTTP request, with injected faults, as a Reply to send.

No sockets here: the HTTP layer reads the request, asks for a Reply and writes it out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.message import Message
from urllib.parse import unquote

from vtsms_gui.simulator import envelopes, hostile, html_pages
from vtsms_gui.simulator.faults import Fault, FaultQueue, InjectedFault
from vtsms_gui.simulator.models import RequestRecord, SoapVersion
from vtsms_gui.simulator.service import SimulatedVetTrak
from vtsms_gui.simulator.soap_request import (
    PROCESS_FAILED,
    SoapCall,
    SoapFaultError,
    operation_for,
    read_call,
    read_credentials,
    read_send,
    read_token,
    soap_version_for,
)
from vtsms_gui.simulator.wsdl import wsdl_for

_log = logging.getLogger(__name__)

SERVICE_FILE = "/vt_api.asmx"
HTML = "text/html; charset=utf-8"
XML = "text/xml; charset=utf-8"
MEGABYTE = 1024 * 1024

# Carries out a read call; True makes its token expire first (Fault.EXPIRE_TOKEN).
_Run = Callable[[bool], bytes]

# What the SOAP_FAULT fault says: the kind of failure a busy VETtrak database gives.
SIMULATED_FAILURE = (
    "Timeout expired. The timeout period elapsed prior to completion of the operation or the "
    "server is not responding."
)


@dataclass(frozen=True)
class Reply:
    """What to send back. `filler` bytes of filler are streamed between `body` and `tail`."""

    status: int
    content_type: str
    body: bytes = b""
    tail: bytes = b""
    filler: int = 0
    delay: float = 0.0
    drop: bool = False
    close: bool = False


def _html(status: int, page: bytes, *, close: bool = False) -> Reply:
    return Reply(status, HTML, page, close=close)


def parts_of(message: str) -> int:
    """SMS parts of a message under the GSM-7 / UCS-2 rules (the domain layer's analysis)."""
    # Imported when first needed: the simulator module loads without the domain's text rules.
    from vtsms_gui.domain.sms_text import analyse

    return analyse(message).segments


class SoapApplication:
    """VT_API.asmx over HTTP: WSDL, service page, the four operations, faults on demand."""

    def __init__(
        self,
        service: SimulatedVetTrak,
        faults: FaultQueue,
        *,
        latency: float,
        max_request_bytes: int,
    ) -> None:
        self.service = service
        self.faults = faults
        self.latency = latency
        self.max_request_bytes = max_request_bytes
        self.origin = ""  # "http://127.0.0.1:PORT", set once the socket is bound
        self._log_lock = threading.Lock()
        self._requests: list[RequestRecord] = []

    @property
    def requests(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._requests)

    # --- GET ---

    def get(self, target: str) -> Reply:
        path, _, query = target.partition("?")
        if not is_service_path(path):
            return self._logged(_html(404, html_pages.not_found_page(path)), "GET", path)
        if query.lower() != "wsdl":
            page = html_pages.service_page(f"{self.origin}{path}?WSDL")
            return self._logged(_html(200, page), "GET", path)
        fault = self.faults.take("WSDL")
        location = f"{self.origin}{path}"
        if fault is not None and fault.fault in _HOSTILE:
            document = wsdl_for(location, hostile.MARKER)
            return self._logged(
                _hostile(fault, document, XML), "GET", path, operation="WSDL", fault=fault
            )
        reply = Reply(200, XML, wsdl_for(location))
        return self._logged(_after(fault, reply), "GET", path, operation="WSDL", fault=fault)

    # --- POST ---

    def refuse_body(self, path: str, *, length_known: bool) -> Reply:
        """The reply to a POST whose body is not read: no Content-Length, or too large."""
        if not length_known:
            reply = _html(411, html_pages.length_required_page(), close=True)
        else:
            reply = _html(500, html_pages.request_too_large_page(), close=True)
        return self._logged(reply, "POST", path)

    def post(self, target: str, headers: Message, body: bytes) -> Reply:
        path = target.partition("?")[0]
        if not is_service_path(path):
            return self._logged(_html(404, html_pages.not_found_page(path)), "POST", path)
        version = soap_version_for(headers.get_content_type())
        if version is None:
            page = html_pages.bad_request_format_page(headers.get("Content-Type", ""))
            return self._logged(_html(500, page), "POST", path)
        operation = ""
        fault: InjectedFault | None = None
        try:
            action = headers.get("SOAPAction") if version == "1.1" else headers.get_param("action")
            operation = operation_for(action if isinstance(action, str) else None, version)
            call = read_call(body, version, operation)
            run = self._prepare(call)  # bad parameters fault here, before a fault is used up
            fault = self.faults.take(operation)
            reply = self._answer(call, run, fault)
        except SoapFaultError as error:
            reply = _soap_fault(version, error)
        except Exception:  # noqa: BLE001 - any bug must still answer like ASMX
            # An unhandled .NET exception becomes a soap:Server fault, never a dead socket.
            _log.exception("The simulator failed to answer %s", operation or "a request")
            reply = _soap_fault(
                version, SoapFaultError("Server", PROCESS_FAILED + "Internal error.")
            )
        if self.latency and not reply.drop:
            reply = replace(reply, delay=reply.delay + self.latency)
        return self._logged(reply, "POST", path, operation=operation, version=version, fault=fault)

    def _answer(self, call: SoapCall, run: _Run, fault: InjectedFault | None) -> Reply:
        if fault is not None and fault.fault is Fault.HTTP_500_HTML:
            return _html(500, html_pages.server_error_page())
        if fault is not None and fault.fault is Fault.SOAP_FAULT:
            raise SoapFaultError("Server", PROCESS_FAILED + SIMULATED_FAILURE)
        if fault is not None and fault.fault in _HOSTILE:
            document = envelopes.placeholder_response(call.version, call.operation, hostile.MARKER)
            return _hostile(fault, document, envelopes.content_type(call.version))
        expire_first = fault is not None and fault.fault is Fault.EXPIRE_TOKEN
        reply = Reply(200, envelopes.content_type(call.version), run(expire_first))
        return _after(fault, reply)

    def _prepare(self, call: SoapCall) -> _Run:
        """Read the call's parameters now; the returned function carries the call out."""
        version: SoapVersion = call.version
        service = self.service
        if call.operation == "GetSMSStatus":
            token = read_token(call)
            return lambda expire_first: envelopes.sms_status_response(
                version, service.sms_status(token, expire_first=expire_first)
            )
        if call.operation == "SendSMSMessages":
            request = read_send(call)
            return lambda expire_first: envelopes.send_response(
                version, service.send(request, parts_of, expire_first=expire_first)
            )
        username, password = read_credentials(call)
        return lambda _: envelopes.validate_response(
            version, call.operation, service.validate(username, password)
        )

    def _logged(
        self,
        reply: Reply,
        method: str,
        path: str,
        *,
        operation: str = "",
        version: SoapVersion | None = None,
        fault: InjectedFault | None = None,
    ) -> Reply:
        record = RequestRecord(
            method=method,
            path=path,
            operation=operation,
            soap_version=version,
            http_status=None if reply.drop else reply.status,
            fault=fault.fault.name if fault is not None else None,
        )
        with self._log_lock:
            self._requests.append(record)
        return reply


_HOSTILE = frozenset({Fault.BILLION_LAUGHS, Fault.EXTERNAL_ENTITY, Fault.HUGE_BODY})


def is_service_path(path: str) -> bool:
    """Any folder, any letter case, as IIS serves `/<path>/VT_API.asmx`."""
    return unquote(path).lower().endswith(SERVICE_FILE)


def _soap_fault(version: SoapVersion, error: SoapFaultError) -> Reply:
    body = envelopes.fault_response(version, error.code, error.message)
    return Reply(500, envelopes.content_type(version), body)


def _after(fault: InjectedFault | None, reply: Reply) -> Reply:
    """Apply the faults that spoil a reply whose call has already been carried out."""
    if fault is None:
        return reply
    if fault.fault is Fault.SLOW:
        return replace(reply, delay=fault.seconds)
    if fault.fault is Fault.DROP_AFTER_RECORD:
        return replace(reply, drop=True)
    if fault.fault is Fault.TRUNCATED_XML:
        return replace(reply, body=hostile.truncated(reply.body))
    if fault.fault is Fault.HTTP_500_HTML:
        return _html(500, html_pages.server_error_page())
    return reply


def _hostile(fault: InjectedFault, document: bytes, content_type: str) -> Reply:
    if fault.fault is Fault.BILLION_LAUGHS:
        return Reply(200, content_type, hostile.billion_laughs(document))
    if fault.fault is Fault.EXTERNAL_ENTITY:
        return Reply(200, content_type, hostile.external_entity(document))
    head, tail = hostile.huge_body_parts(document)
    return Reply(200, content_type, head, tail=tail, filler=fault.size_mb * MEGABYTE)
