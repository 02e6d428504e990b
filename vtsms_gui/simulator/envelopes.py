"""SOAP 1.1 and 1.2 replies shaped exactly as VT_API.asmx writes them, faults included.

Element order, namespaces and prefixes follow the service's own operation page
(shared/seed/VT_API_SendSMSMessages.txt). Strings that are None are left out, as .NET's
XmlSerializer leaves out null strings; lxml does all escaping.
"""

from __future__ import annotations

from typing import Literal

from lxml import etree

from vtsms_gui.simulator.api_values import Auth, SendReply, SmsStatusReply, failed_auth
from vtsms_gui.simulator.models import SoapVersion

API_NS = "http://www.ozsoft.com.au/VETtrak/api/complete"
SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"

# lxml writes `version='1.0'`; the service writes double quotes, so the declaration is ours.
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'

FaultCode = Literal["Client", "Server", "VersionMismatch"]
_SOAP12_CODES = {"Client": "Sender", "Server": "Receiver", "VersionMismatch": "VersionMismatch"}


def envelope_namespace(version: SoapVersion) -> str:
    return SOAP11_NS if version == "1.1" else SOAP12_NS


def content_type(version: SoapVersion) -> str:
    return "text/xml; charset=utf-8" if version == "1.1" else "application/soap+xml; charset=utf-8"


def validate_response(version: SoapVersion, operation: str, auth: Auth) -> bytes:
    """ValidateClientResponse or ValidateUserResponse."""
    root, body = _envelope(version)
    result = _result(body, operation)
    _add_auth(result, auth, wrapper=None)
    return _serialise(root)


def sms_status_response(version: SoapVersion, reply: SmsStatusReply) -> bytes:
    root, body = _envelope(version)
    result = _result(body, "GetSMSStatus")
    _add_auth(result, reply.auth, wrapper="Auth")
    _add(result, "SmsStatus", reply.sms_status)
    _add(result, "StatusMessage", reply.status_message)
    _add(result, "SmsBalance", reply.sms_balance)
    return _serialise(root)


def send_response(version: SoapVersion, reply: SendReply) -> bytes:
    root, body = _envelope(version)
    result = _result(body, "SendSMSMessages")
    _add_auth(result, reply.auth, wrapper="Auth")
    _add(result, "SmsSent", reply.sms_sent)
    _add(result, "SmsBalance", reply.sms_balance)
    if reply.results is not None:
        listing = _node(result, "SMSResultList")
        for item in reply.results:
            row = _node(listing, "TSMSResult")
            _add(row, "ClientCode", item.client_code)
            _add(row, "MobilePhone", item.mobile)
            _add(row, "Status", item.status)
    return _serialise(root)


def placeholder_response(version: SoapVersion, operation: str, status_message: str) -> bytes:
    """A well-formed reply of `operation`'s shape whose Auth.StatusMessage is `status_message`.

    The hostile replies start from this and put their payload where the marker text is.
    """
    auth = failed_auth(0, status_message)
    if operation == "GetSMSStatus":
        return sms_status_response(version, SmsStatusReply(auth, 0, "", 0))
    if operation == "SendSMSMessages":
        return send_response(version, SendReply(auth, 0, 0, ()))
    return validate_response(version, operation, auth)


def fault_response(version: SoapVersion, code: FaultCode, message: str) -> bytes:
    """A soap:Fault as ASMX writes it (sent with HTTP 500)."""
    root, body = _envelope(version)
    ns = envelope_namespace(version)
    prefix = root.prefix
    fault = etree.SubElement(body, f"{{{ns}}}Fault")
    if version == "1.1":
        etree.SubElement(fault, "faultcode").text = f"{prefix}:{code}"
        etree.SubElement(fault, "faultstring").text = message
        etree.SubElement(fault, "detail")
    else:
        value = etree.SubElement(etree.SubElement(fault, f"{{{ns}}}Code"), f"{{{ns}}}Value")
        value.text = f"{prefix}:{_SOAP12_CODES[code]}"
        text = etree.SubElement(etree.SubElement(fault, f"{{{ns}}}Reason"), f"{{{ns}}}Text")
        text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        text.text = message
        etree.SubElement(fault, f"{{{ns}}}Detail")
    return _serialise(root)


def _envelope(version: SoapVersion) -> tuple[etree._Element, etree._Element]:
    prefix = "soap" if version == "1.1" else "soap12"
    ns = envelope_namespace(version)
    root = etree.Element(f"{{{ns}}}Envelope", nsmap={"xsi": XSI_NS, "xsd": XSD_NS, prefix: ns})
    return root, etree.SubElement(root, f"{{{ns}}}Body")


def _result(body: etree._Element, operation: str) -> etree._Element:
    response = etree.SubElement(body, f"{{{API_NS}}}{operation}Response", nsmap={None: API_NS})
    return etree.SubElement(response, f"{{{API_NS}}}{operation}Result")


def _add_auth(parent: etree._Element, auth: Auth, wrapper: str | None) -> None:
    target = parent if wrapper is None else _node(parent, wrapper)
    _add(target, "ID", auth.id)
    _add(target, "Token", auth.token)
    _add(target, "Status", auth.status)
    _add(target, "StatusMessage", auth.status_message)
    _add(target, "Identifier", auth.identifier)
    _add(target, "TokenType", auth.token_type)


def _node(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{API_NS}}}{name}")


def _add(parent: etree._Element, name: str, value: str | int | None) -> None:
    if value is not None:
        _node(parent, name).text = str(value)


def _serialise(root: etree._Element) -> bytes:
    serialised: bytes = etree.tostring(root, encoding="utf-8")
    return XML_DECLARATION + serialised
