"""Reading a SOAP request the way ASMX does: routing by action, strict XML, .NET value rules.

Parsing is hardened (no entities resolved, no network, no huge trees, no DTD at all) because
this server reads whatever a client sends. Faults carry the messages .NET gives, such as
"The string '' is not a valid AllXsd value." for an empty nullable dateTime.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from vtsms_gui.simulator.api_values import Recipient, SendRequest
from vtsms_gui.simulator.envelopes import API_NS, XSI_NS, FaultCode, envelope_namespace
from vtsms_gui.simulator.faults import SOAP_OPERATIONS
from vtsms_gui.simulator.models import SoapVersion

_ACTIONS = {f"{API_NS}/{operation}": operation for operation in SOAP_OPERATIONS}

READ_FAILED = "Server was unable to read request. ---> "
PROCESS_FAILED = "Server was unable to process request. ---> "
NO_ACTION = (
    "Unable to handle request without a valid action parameter. Please supply a valid soap action."
)
DTD_PROHIBITED = (
    "For security reasons DTD is prohibited in this XML document. To enable DTD processing set "
    "the DtdProcessing property on XmlReaderSettings to Parse and pass the settings into "
    "XmlReader.Create method."
)
NULL_REFERENCE = "Object reference not set to an instance of an object."


class SoapFaultError(Exception):
    """The request cannot be served; the reply is a SOAP fault with HTTP 500."""

    def __init__(self, code: FaultCode, message: str) -> None:
        super().__init__(message)
        self.code: FaultCode = code
        self.message = message


@dataclass(frozen=True)
class SoapCall:
    """A routed request: its SOAP version, operation and operation element."""

    version: SoapVersion
    operation: str
    element: etree._Element
    source: bytes


def soap_version_for(media_type: str) -> SoapVersion | None:
    """SOAP version from the Content-Type's media type; None for anything else."""
    media_type = media_type.lower()
    if media_type == "text/xml":
        return "1.1"
    if media_type == "application/soap+xml":
        return "1.2"
    return None


def operation_for(action: str | None, version: SoapVersion) -> str:
    """The operation an action names, or the fault ASMX gives for a missing or unknown one."""
    action = (action or "").strip().strip('"')
    if not action and version == "1.2":
        raise SoapFaultError("Client", NO_ACTION)
    operation = _ACTIONS.get(action)
    if operation is None:
        raise SoapFaultError(
            "Client", f"Server did not recognize the value of HTTP Header SOAPAction: {action}."
        )
    return operation


def read_call(body: bytes, version: SoapVersion, operation: str) -> SoapCall:
    """Parse the envelope and find the operation element, or fault as ASMX would."""
    # A parser per request: lxml parsers must not be shared between threads.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise SoapFaultError("Client", _read_error(line, column, exc.msg)) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise SoapFaultError("Client", _read_error(1, 1, DTD_PROHIBITED))
    expected = envelope_namespace(version)
    namespace = etree.QName(root).namespace
    if namespace != expected:
        raise SoapFaultError(
            "VersionMismatch",
            f"Possible SOAP version mismatch: Envelope namespace {namespace} was unexpected. "
            f"Expecting {expected}.",
        )
    payload = root.find(f"{{{expected}}}Body")
    element = None if payload is None else next(iter(payload.iterchildren(tag=etree.Element)), None)
    if element is None:
        raise SoapFaultError("Client", _read_error(1, 1, "Root element is missing."))
    name = etree.QName(element)
    if name.localname != operation or name.namespace != API_NS:
        line, column = _position(element, body)
        raise SoapFaultError(
            "Client",
            _read_error(
                line, column, f"<{name.localname} xmlns='{name.namespace or ''}'> was not expected."
            ),
        )
    return SoapCall(version, operation, element, body)


def read_credentials(call: SoapCall) -> tuple[str | None, str | None]:
    return _string(call, "sUsername"), _string(call, "sPassword")


def read_token(call: SoapCall) -> str | None:
    return _string(call, "token")


def read_send(call: SoapCall) -> SendRequest:
    """SendSMSMessages' parameters, with .NET's rules for booleans and dateTimes."""
    return SendRequest(
        token=_string(call, "token"),
        message=_string(call, "messageContent"),
        sender=_string(call, "sender"),
        recipients=_recipients(call),
        is_marketing=_boolean(call, "isMarketing") or False,
        provider_id=_string(call, "providerId"),
        accept_replies=_boolean(call, "acceptReplies"),
        schedule=_date_time(call, "scheduleDate"),
    )


def _child(parent: etree._Element, name: str) -> etree._Element | None:
    # XmlSerializer ignores elements outside the service's namespace: they read as absent.
    return parent.find(f"{{{API_NS}}}{name}")


def _is_nil(element: etree._Element) -> bool:
    return element.get(f"{{{XSI_NS}}}nil", "").strip() in {"true", "1"}


def _text(element: etree._Element | None) -> str | None:
    if element is None or _is_nil(element):
        return None
    return element.text or ""


def _string(call: SoapCall, name: str) -> str | None:
    return _text(_child(call.element, name))


def _boolean(call: SoapCall, name: str) -> bool | None:
    element = _child(call.element, name)
    text = _text(element)
    if element is None or text is None:
        return None
    value = text.strip()
    if value in {"true", "1"}:
        return True
    if value in {"false", "0"}:
        return False
    raise _value_error(call, element, f"The string '{text}' is not a valid Boolean value.")


# xsd:dateTime or xsd:date, both of which .NET's "AllXsd" reading accepts. Hand-written
# because Python's ISO parsers accept forms XML Schema does not (and differ across versions).
_XSD_DATE_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?"
)


def _date_time(call: SoapCall, name: str) -> dt.datetime | None:
    element = _child(call.element, name)
    text = _text(element)
    if element is None or text is None:
        return None
    parsed = _parse_xsd_date_time(text.strip())
    if parsed is None:
        raise _value_error(call, element, f"The string '{text}' is not a valid AllXsd value.")
    return parsed


def _parse_xsd_date_time(text: str) -> dt.datetime | None:
    match = _XSD_DATE_TIME.fullmatch(text)
    if match is None:
        return None
    parts = match.groupdict()
    zone = parts["zone"]
    tzinfo: dt.tzinfo | None = None
    if zone == "Z":
        tzinfo = dt.UTC
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        tzinfo = dt.timezone(sign * offset)
    fraction = (parts["fraction"] or "0")[:6].ljust(6, "0")
    try:
        return dt.datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int(fraction),
            tzinfo=tzinfo,
        )
    except ValueError:
        return None


def _recipients(call: SoapCall) -> tuple[Recipient, ...]:
    listing = _child(call.element, "smsRecipients")
    if listing is None or _is_nil(listing):
        return ()
    recipients = []
    for item in listing.iterchildren(f"{{{API_NS}}}TSMSRecipient"):
        if _is_nil(item):
            # The service dereferences each recipient: a nil one is its NullReferenceException.
            raise SoapFaultError("Server", PROCESS_FAILED + NULL_REFERENCE)
        recipients.append(
            Recipient(_text(_child(item, "ClientCode")), _text(_child(item, "MobilePhone")))
        )
    return tuple(recipients)


def _value_error(call: SoapCall, element: etree._Element, message: str) -> SoapFaultError:
    line, column = _position(element, call.source)
    return SoapFaultError("Client", _read_error(line, column, message))


def _read_error(line: int, column: int, message: str) -> str:
    return f"{READ_FAILED}There is an error in XML document ({line}, {column}). ---> {message}"


def _position(element: etree._Element, source: bytes) -> tuple[int, int]:
    """(line, column) of the element's name, 1-based, as .NET reports positions."""
    line = element.sourceline or 1
    lines = source.decode("utf-8", "replace").splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    found = re.search(rf"<(?:[\w.-]+:)?{re.escape(etree.QName(element).localname)}\b", text)
    return line, (found.start() + 2) if found else 1
