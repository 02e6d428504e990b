"""The VT_API simulator, driven over real HTTP with hand-built SOAP (no zeep: it is the peer)."""

from __future__ import annotations

import contextlib
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import requests
from lxml import etree

from vtsms_gui.simulator import (
    Fault,
    SimClient,
    SimulatorServer,
    demo_clients,
    run_forever,
)

API = "http://www.ozsoft.com.au/VETtrak/api/complete"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
VERSIONS = ["1.1", "1.2"]
SAMPLE_TOKEN = "'&7%+>-\"6(+!56$0>345"  # a real token's shape, from VETTRAK_API.md
NIL = object()
OMIT = object()
TIMEOUT = 5

# The service's own SendSMSMessages response samples (shared/seed/VT_API_SendSMSMessages.txt),
# kept here so that the test does not depend on files outside the repository.
SEED_RESPONSE = """<?xml version="1.0" encoding="utf-8"?>
<{p}:Envelope xmlns:xsi="{xsi}" xmlns:xsd="{xsd}" xmlns:{p}="{ns}">
<{p}:Body>
<SendSMSMessagesResponse xmlns="http://www.ozsoft.com.au/VETtrak/api/complete">
<SendSMSMessagesResult>
<Auth>
<ID>int</ID>
<Token>string</Token>
<Status>int</Status>
<StatusMessage>string</StatusMessage>
<Identifier>string</Identifier>
<TokenType>string</TokenType>
</Auth>
<SmsSent>int</SmsSent>
<SmsBalance>int</SmsBalance>
<SMSResultList>
<TSMSResult>
<ClientCode>string</ClientCode>
<MobilePhone>string</MobilePhone>
<Status>int</Status>
</TSMSResult>
<TSMSResult>
<ClientCode>string</ClientCode>
<MobilePhone>string</MobilePhone>
<Status>int</Status>
</TSMSResult>
</SMSResultList>
</SendSMSMessagesResult>
</SendSMSMessagesResponse>
</{p}:Body>
</{p}:Envelope>"""

ACMA_FICTION_MOBILES = {
    "0491570006", "0491570156", "0491570157", "0491570158", "0491570159", "0491570110",
    "0491570313", "0491570737", "0491571266", "0491571491", "0491571804", "0491572549",
    "0491572665", "0491572983", "0491573770", "0491573087", "0491574118", "0491574632",
    "0491575254", "0491575789", "0491576398", "0491576801", "0491577426", "0491577644",
    "0491578957", "0491578148", "0491578888", "0491579212", "0491579760", "0491579455",
}  # fmt: skip


# --- a hand-made SOAP client ---


def parse(body: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(body, parser)


def envelope(version: str, operation: str, fields: str) -> bytes:
    prefix, ns = ("soap", SOAP11) if version == "1.1" else ("soap12", SOAP12)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f'<{prefix}:Envelope xmlns:xsi="{XSI}" xmlns:xsd="{XSD}" xmlns:{prefix}="{ns}">\n'
        f"<{prefix}:Body>\n"
        f'<{operation} xmlns="{API}">\n{fields}\n</{operation}>\n'
        f"</{prefix}:Body>\n</{prefix}:Envelope>"
    ).encode()


def soap_headers(version: str, operation: str) -> dict[str, str]:
    action = f"{API}/{operation}"
    if version == "1.1":
        return {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'}
    return {"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'}


def field(name: str, value: object) -> str:
    if value is OMIT:
        return ""
    if value is NIL or value is None:
        return f'<{name} xsi:nil="true" />'
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{name}>{escape(str(value))}</{name}>"


def recipients_xml(recipients: list[tuple[str | None, str | None]]) -> str:
    rows = []
    for code, mobile in recipients:
        parts = (field("ClientCode", code) if code is not None else "") + (
            field("MobilePhone", mobile) if mobile is not None else ""
        )
        rows.append(f"<TSMSRecipient>{parts}</TSMSRecipient>")
    return f"<smsRecipients>{''.join(rows)}</smsRecipients>"


def send_fields(
    token: str,
    recipients: list[tuple[str | None, str | None]],
    message: str = "Hello from the RTO",
    *,
    is_marketing: bool = False,
    accept_replies: object = NIL,
    schedule: object = NIL,
    raw_schedule: str | None = None,
) -> str:
    return "".join(
        [
            field("token", token),
            field("messageContent", message),
            field("sender", "MyRTO"),
            recipients_xml(recipients),
            field("isMarketing", is_marketing),
            field("providerId", ""),
            field("acceptReplies", accept_replies),
            raw_schedule if raw_schedule is not None else field("scheduleDate", schedule),
        ]
    )


@dataclass
class Soap:
    """Posts hand-built envelopes to one simulator in one SOAP version."""

    sim: SimulatorServer
    version: str = "1.1"

    def post(self, operation: str, fields: str, **kwargs: object) -> requests.Response:
        return requests.post(
            self.sim.url,
            data=envelope(self.version, operation, fields),
            headers=soap_headers(self.version, operation),
            timeout=TIMEOUT,
            **kwargs,  # type: ignore[arg-type]
        )

    def result(self, operation: str, fields: str) -> etree._Element:
        response = self.post(operation, fields)
        assert response.status_code == 200, response.text
        return parse(response.content).find(f".//{{{API}}}{operation}Result")

    def login(self, username: str = "demo", password: str = "demo") -> etree._Element:
        fields = field("sUsername", username) + field("sPassword", password)
        return self.result("ValidateClient", fields)

    def token(self) -> str:
        return text(self.login(), "Token")

    def status(self, token: str) -> etree._Element:
        return self.result("GetSMSStatus", field("token", token))

    def send(self, *args: object, **kwargs: object) -> etree._Element:
        return self.result("SendSMSMessages", send_fields(*args, **kwargs))  # type: ignore[arg-type]


def text(element: etree._Element, path: str) -> str:
    found = element.find("/".join(f"{{{API}}}{step}" for step in path.split("/")))
    assert found is not None, f"{path} missing"
    return found.text or ""


def results(send_result: etree._Element) -> list[tuple[str | None, str | None, int]]:
    listing = send_result.find(f"{{{API}}}SMSResultList")
    assert listing is not None
    return [
        (
            row.findtext(f"{{{API}}}ClientCode"),
            row.findtext(f"{{{API}}}MobilePhone"),
            int(row.findtext(f"{{{API}}}Status") or "nan"),
        )
        for row in listing
    ]


def fault_text(response: requests.Response) -> str:
    assert response.status_code == 500
    root = parse(response.content)
    found = root.find(".//faultstring")
    if found is None:
        found = root.find(f".//{{{SOAP12}}}Text")
    assert found is not None, response.text
    return found.text or ""


def fault_code(response: requests.Response) -> str:
    root = parse(response.content)
    code = root.findtext(".//faultcode") or root.findtext(f".//{{{SOAP12}}}Value")
    return code or ""


def shape(element: etree._Element) -> list[object]:
    return [element.tag, [shape(child) for child in element]]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer() as server:
        yield server


@pytest.fixture(params=VERSIONS)
def soap(request: pytest.FixtureRequest, sim: SimulatorServer) -> Soap:
    return Soap(sim, request.param)


# --- WSDL and plain HTTP ---


@pytest.mark.parametrize("query", ["WSDL", "wsdl", "Wsdl"])
def test_wsdl_is_served_with_its_own_address(sim: SimulatorServer, query: str) -> None:
    response = requests.get(f"{sim.url}?{query}", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    root = parse(response.content)
    locations = [
        el.get("location")
        for el in root.iter(
            "{http://schemas.xmlsoap.org/wsdl/soap/}address",
            "{http://schemas.xmlsoap.org/wsdl/soap12/}address",
        )
    ]
    assert locations == [sim.url, sim.url]
    operations = {op.get("name") for op in root.iter("{http://schemas.xmlsoap.org/wsdl/}operation")}
    assert operations == {"ValidateClient", "ValidateUser", "GetSMSStatus", "SendSMSMessages"}


def test_wsdl_under_a_folder_points_at_that_folder(sim: SimulatorServer) -> None:
    base = sim.url.removesuffix("/VT_API.asmx")
    response = requests.get(f"{base}/vettrak/vt_api.ASMX?WSDL", timeout=TIMEOUT)
    address = parse(response.content).find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address is not None
    assert address.get("location") == f"{base}/vettrak/vt_api.ASMX"


def test_service_page_and_unknown_paths(sim: SimulatorServer) -> None:
    page = requests.get(sim.url, timeout=TIMEOUT)
    assert page.status_code == 200
    assert "SendSMSMessages" in page.text
    base = sim.url.removesuffix("/VT_API.asmx")
    for response in (
        requests.get(f"{base}/nothing.aspx", timeout=TIMEOUT),
        requests.post(f"{base}/Other.asmx", data=b"<x/>", timeout=TIMEOUT),
    ):
        assert response.status_code == 404
        assert response.headers["Content-Type"].startswith("text/html")
        assert "The resource cannot be found." in response.text


# --- logging in ---


@pytest.mark.parametrize("operation", ["ValidateClient", "ValidateUser"])
def test_login_succeeds_with_the_documented_shape(soap: Soap, operation: str) -> None:
    response = soap.post(operation, field("sUsername", "demo") + field("sPassword", "demo"))
    assert response.status_code == 200
    expected_type = "text/xml" if soap.version == "1.1" else "application/soap+xml"
    assert response.headers["Content-Type"] == f"{expected_type}; charset=utf-8"
    root = parse(response.content)
    assert root.prefix == ("soap" if soap.version == "1.1" else "soap12")
    result = root.find(f".//{{{API}}}{operation}Result")
    assert result is not None
    assert [etree.QName(child).localname for child in result] == [
        "ID", "Token", "Status", "StatusMessage", "Identifier", "TokenType",
    ]  # fmt: skip
    assert text(result, "Status") == "1"
    assert int(text(result, "ID")) > 0
    assert text(result, "TokenType") == "03"
    assert len(text(result, "Token")) == 20


@pytest.mark.parametrize(
    ("username", "password"), [("demo", "wrong"), ("nobody", "demo"), ("", "")]
)
def test_login_failure_is_status_minus_one(soap: Soap, username: str, password: str) -> None:
    result = soap.login(username, password)
    assert text(result, "Status") == "-1"
    assert text(result, "ID") == "-1"
    assert text(result, "Token") == ""
    assert text(result, "Identifier") == "-1"
    assert text(result, "StatusMessage") == "Invalid Username/Password Combination."


def test_added_users_can_log_in_and_usernames_ignore_case(sim: SimulatorServer) -> None:
    sim.add_user("Trainer.Jo", "S3cret&<pass>")
    soap = Soap(sim)
    assert text(soap.login("trainer.jo", "S3cret&<pass>"), "Status") == "1"
    assert text(soap.login("Trainer.Jo", "s3cret&<pass>"), "Status") == "-1"


def test_tokens_carry_xml_special_characters_and_round_trip() -> None:
    with SimulatorServer(token_factory=lambda: SAMPLE_TOKEN) as sim:
        soap = Soap(sim)
        response = soap.post(
            "ValidateClient", field("sUsername", "demo") + field("sPassword", "demo")
        )
        assert b"<Token>'&amp;7%+&gt;-\"6(+!56$0&gt;345</Token>" in response.content
        token = text(parse(response.content).find(f".//{{{API}}}ValidateClientResult"), "Token")
        assert token == SAMPLE_TOKEN
        status = soap.status(token)
        assert text(status, "Auth/Status") == "1"
        assert text(status, "Auth/Token") == SAMPLE_TOKEN


def test_random_tokens_always_need_escaping_and_work(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    tokens = [soap.token() for _ in range(10)]
    assert len(set(tokens)) == 10
    assert all(re.search("[&<>'\"]", token) for token in tokens)
    assert all(text(soap.status(token), "Auth/Status") == "1" for token in tokens)


# --- token expiry ---


def test_token_expires_after_an_hour_idle_and_then_nothing_happens() -> None:
    clock = FakeClock()
    with SimulatorServer(clock=clock) as sim:
        soap = Soap(sim)
        token = soap.token()
        clock.advance(59)
        assert text(soap.status(token), "Auth/Status") == "1"
        clock.advance(59)  # each use restarts the hour
        assert text(soap.status(token), "Auth/Status") == "1"
        clock.advance(60)
        result = soap.send(token, [("03037", None)])
        assert text(result, "Auth/Status") == "-2"
        assert text(result, "Auth/StatusMessage") == "Token has expired"
        assert result.find(f"{{{API}}}SMSResultList") is None
        assert sim.sent == []
        assert sim.balance == 5000
        assert text(soap.status(soap.token()), "Auth/Status") == "1"


def test_idle_limit_is_configurable_and_expire_all_tokens_works() -> None:
    clock = FakeClock()
    with SimulatorServer(clock=clock, token_idle_minutes=5) as sim:
        soap = Soap(sim)
        first, second = soap.token(), soap.token()
        clock.advance(5)
        assert text(soap.status(first), "Auth/Status") == "-2"
        third = soap.token()
        sim.expire_all_tokens()
        assert text(soap.status(second), "Auth/Status") == "-2"
        assert text(soap.status(third), "Auth/Status") == "-2"


def test_unknown_token_is_an_error(soap: Soap) -> None:
    status = soap.status("not-a-token")
    assert text(status, "Auth/Status") == "-1"
    assert text(status, "Auth/Token") == ""


# --- GetSMSStatus ---


def test_sms_status_reports_service_and_balance(soap: Soap) -> None:
    status = soap.status(soap.token())
    assert [etree.QName(child).localname for child in status] == [
        "Auth", "SmsStatus", "StatusMessage", "SmsBalance",
    ]  # fmt: skip
    assert text(status, "SmsStatus") == "1"
    assert text(status, "SmsBalance") == "5000"
    soap.sim.set_balance(12)
    assert text(soap.status(soap.token()), "SmsBalance") == "12"


def test_missing_sms_module_is_status_minus_five() -> None:
    with SimulatorServer(sms_enabled=False) as sim:
        soap = Soap(sim)
        token = soap.token()
        status = soap.status(token)
        assert text(status, "Auth/Status") == "-5"
        assert "SMS module" in text(status, "Auth/StatusMessage")
        sent = soap.send(token, [("03037", None)])
        assert text(sent, "Auth/Status") == "-5"
        assert sim.sent == []
        sim.set_sms_enabled(True)
        assert text(soap.status(token), "Auth/Status") == "1"


# --- SendSMSMessages ---


def test_send_response_has_the_seed_shape(soap: Soap) -> None:
    response = soap.post(
        "SendSMSMessages", send_fields(soap.token(), [("03037", None), ("00125", None)])
    )
    ns = SOAP11 if soap.version == "1.1" else SOAP12
    prefix = "soap" if soap.version == "1.1" else "soap12"
    seed = parse(SEED_RESPONSE.format(p=prefix, ns=ns, xsi=XSI, xsd=XSD).encode())
    ours = parse(response.content)
    assert shape(ours) == shape(seed)
    assert ours.nsmap == seed.nsmap
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def test_send_queues_charges_and_records(soap: Soap) -> None:
    result = soap.send(
        soap.token(), [("03037", None), (None, "0491 570 159")], "Class moved to room 4."
    )
    assert text(result, "Auth/Status") == "1"
    assert text(result, "SmsSent") == "2"
    assert text(result, "SmsBalance") == "4998"
    assert results(result) == [("03037", "0491 570 156", 1), (None, "0491 570 159", 1)]
    sent = soap.sim.sent
    assert [(s.client_code, s.mobile, s.parts) for s in sent] == [
        ("03037", "0491 570 156", 1),
        (None, "0491 570 159", 1),
    ]
    assert {s.message for s in sent} == {"Class moved to room 4."}
    assert {s.sender for s in sent} == {"MyRTO"}
    assert sent[0].request_id == sent[1].request_id
    assert soap.sim.balance == 4998


@pytest.mark.parametrize(
    ("recipient", "status", "echoed", "recorded"),
    [
        (("03037", None), 1, "0491 570 156", ("03037", "0491 570 156")),
        (("00056", None), -1, None, None),  # client without a mobile
        (("99999", None), -2, None, None),
        (("3037", None), -2, None, None),  # Excel dropped the leading zero
        ((None, "0491 570 006"), 1, "0491 570 006", (None, "0491 570 006")),
        ((None, "12345"), 1, "12345", (None, "12345")),  # invalid, still queued and charged
        (("03037", "0491 570 158"), 1, "0491 570 158", ("03037", "0491 570 158")),
        (("00056", "0491 570 158"), 1, "0491 570 158", ("00056", "0491 570 158")),
        (("99999", "0491 570 158"), -2, "0491 570 158", None),
        ((None, None), -1, None, None),
        (("", ""), -1, "", None),
    ],
)
def test_each_recipient_rule(
    sim: SimulatorServer,
    recipient: tuple[str | None, str | None],
    status: int,
    echoed: str | None,
    recorded: tuple[str | None, str] | None,
) -> None:
    soap = Soap(sim)
    result = soap.send(soap.token(), [recipient])
    assert results(result) == [(recipient[0], echoed, status)]
    assert [(s.client_code, s.mobile) for s in sim.sent] == ([recorded] if recorded else [])
    assert text(result, "SmsSent") == str(len(sim.sent))
    assert sim.balance == 5000 - len(sim.sent)


def test_marketing_leaves_opted_out_clients_out_of_the_results(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    opted_out = next(c for c in sim.clients if c.marketing_opt_out and c.mobile)
    recipients = [("03037", None), (opted_out.code, None), (opted_out.code, "0491 570 006")]
    result = soap.send(token, recipients, "Enrol now! Reply STOP to opt out", is_marketing=True)
    assert results(result) == [("03037", "0491 570 156", 1)]
    assert text(result, "SmsSent") == "1"
    assert [s.client_code for s in sim.sent] == ["03037"]
    assert sim.sent[0].is_marketing
    factual = soap.send(token, recipients[:2], "Your class is on")
    assert [row[0] for row in results(factual)] == ["03037", opted_out.code]


def test_accept_replies_needs_a_client_code_for_everyone(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    refused = soap.send(token, [("03037", None), (None, "0491 570 006")], accept_replies=True)
    assert text(refused, "Auth/Status") == "-1"
    assert "client code" in text(refused, "Auth/StatusMessage")
    assert text(refused, "SmsSent") == "0"
    assert refused.find(f"{{{API}}}SMSResultList") is None
    assert sim.sent == []
    assert sim.balance == 5000
    accepted = soap.send(token, [("03037", None), ("00125", "0491 570 006")], accept_replies=True)
    assert text(accepted, "SmsSent") == "2"
    assert [s.accept_replies for s in sim.sent] == [True, True]


@pytest.mark.parametrize(
    ("message", "parts"),
    [("a" * 160, 1), ("a" * 161, 2), ("{" * 80, 1), ("{" * 81, 2), ("’" * 70, 1), ("’" * 71, 2)],
)
def test_credit_is_charged_per_part_per_recipient(
    sim: SimulatorServer, message: str, parts: int
) -> None:
    soap = Soap(sim)
    result = soap.send(soap.token(), [("03037", None), ("00125", None), ("00056", None)], message)
    assert text(result, "SmsSent") == "2"  # 00056 has no mobile: not charged
    assert sim.balance == 5000 - 2 * parts
    assert text(result, "SmsBalance") == str(sim.balance)
    assert {s.parts for s in sim.sent} == {parts}
    assert {s.message for s in sim.sent} == {message}


def test_not_enough_credit_fails_the_whole_call(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    sim.set_balance(3)
    refused = soap.send(token, [("03037", None), ("00125", None)], "a" * 161)
    assert text(refused, "Auth/Status") == "-1"
    assert text(refused, "Auth/StatusMessage").startswith("Insufficient SMS credit")
    assert text(refused, "SmsSent") == "0"
    assert text(refused, "SmsBalance") == "3"
    assert sim.sent == []
    sim.set_balance(4)
    exact = soap.send(token, [("03037", None), ("00125", None)], "a" * 161)
    assert text(exact, "SmsSent") == "2"
    assert text(exact, "SmsBalance") == "0"


def test_empty_message_is_refused(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    result = soap.send(soap.token(), [("03037", None)], "")
    assert text(result, "Auth/Status") == "-1"
    assert sim.sent == []


@pytest.mark.parametrize("version", VERSIONS)
def test_empty_schedule_date_is_the_dotnet_fault(sim: SimulatorServer, version: str) -> None:
    soap = Soap(sim, version)
    fields = send_fields(
        soap.token(), [("03037", None)], raw_schedule="<scheduleDate></scheduleDate>"
    )
    response = soap.post("SendSMSMessages", fields)
    message = fault_text(response)
    assert message.startswith("Server was unable to read request. ---> There is an error in XML")
    assert message.endswith("---> The string '' is not a valid AllXsd value.")
    assert fault_code(response) == ("soap:Client" if version == "1.1" else "soap12:Sender")
    assert sim.sent == []


def test_schedule_date_may_be_nil_omitted_or_a_time(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    soap.send(token, [("03037", None)], schedule=NIL)
    soap.send(token, [("03037", None)], schedule=OMIT)
    soap.send(token, [("03037", None)], schedule="2026-07-01T09:30:00+10:00")
    schedules = [s.schedule for s in sim.sent]
    assert schedules[:2] == [None, None]
    assert schedules[2] is not None
    assert schedules[2].isoformat() == "2026-07-01T09:30:00+10:00"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "<scheduleDate>next tuesday</scheduleDate>",
            "The string 'next tuesday' is not a valid AllXsd value.",
        ),
        ("<scheduleDate>2026-02-30T10:00:00</scheduleDate>", "is not a valid AllXsd value."),
    ],
)
def test_bad_schedule_dates_fault(sim: SimulatorServer, raw: str, message: str) -> None:
    soap = Soap(sim)
    response = soap.post(
        "SendSMSMessages", send_fields(soap.token(), [("03037", None)], raw_schedule=raw)
    )
    assert fault_text(response).endswith(message)


def test_bad_boolean_faults(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    fields = send_fields(soap.token(), [("03037", None)]).replace(
        "<isMarketing>false</isMarketing>", "<isMarketing>no</isMarketing>"
    )
    response = soap.post("SendSMSMessages", fields)
    assert fault_text(response).endswith("The string 'no' is not a valid Boolean value.")


def test_results_can_come_back_shuffled_and_reformatted() -> None:
    with SimulatorServer(shuffle_results=True, random_seed=7, echo_format="international") as sim:
        soap = Soap(sim)
        codes = [c.code for c in sim.clients if c.mobile][:8]
        result = soap.send(soap.token(), [(code, None) for code in codes])
        rows = results(result)
        assert sorted(row[0] or "" for row in rows) == sorted(codes)
        assert [row[0] for row in rows] != codes
        assert all(re.fullmatch(r"61491\d{6}", row[1] or "") for row in rows)
        assert ("03037", "61491570156", 1) in rows


@pytest.mark.parametrize(("echo", "shown"), [("e164", "+61491570156"), ("national", "0491570156")])
def test_echo_formats(echo: str, shown: str) -> None:
    with SimulatorServer(echo_format=echo) as sim:  # type: ignore[arg-type]
        soap = Soap(sim)
        assert results(soap.send(soap.token(), [("03037", None)])) == [("03037", shown, 1)]
        assert sim.sent[0].mobile == "0491 570 156"


def test_custom_client_table() -> None:
    clients = [SimClient("00001", "Test", "Student", "0491 570 006")]
    with SimulatorServer(clients=clients, balance=1) as sim:
        soap = Soap(sim)
        result = soap.send(soap.token(), [("00001", None), ("03037", None)])
        assert results(result) == [("00001", "0491 570 006", 1), ("03037", None, -2)]


def test_concurrent_sends_never_overspend() -> None:
    with SimulatorServer(balance=10) as sim:
        soap = Soap(sim)
        token = soap.token()
        with ThreadPoolExecutor(max_workers=8) as pool:
            replies = list(pool.map(lambda _: soap.send(token, [("03037", None)]), range(20)))
        assert sum(text(r, "SmsSent") == "1" for r in replies) == 10
        assert len(sim.sent) == 10
        assert sim.balance == 0


# --- protocol errors, as ASMX reports them ---


def test_soap_version_mismatch_is_a_fault(sim: SimulatorServer) -> None:
    body = envelope("1.2", "GetSMSStatus", field("token", "x"))
    response = requests.post(
        sim.url, data=body, headers=soap_headers("1.1", "GetSMSStatus"), timeout=TIMEOUT
    )
    assert fault_code(response) == "soap:VersionMismatch"
    assert "Possible SOAP version mismatch" in fault_text(response)


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_action_is_a_fault(sim: SimulatorServer, version: str) -> None:
    headers = soap_headers(version, "DeleteEverything")
    body = envelope(version, "DeleteEverything", "")
    response = requests.post(sim.url, data=body, headers=headers, timeout=TIMEOUT)
    assert "did not recognize the value of HTTP Header SOAPAction" in fault_text(response)
    assert response.headers["Content-Type"].startswith(
        "text/xml" if version == "1.1" else "application/soap+xml"
    )


def test_soap12_needs_an_action(sim: SimulatorServer) -> None:
    headers = {"Content-Type": "application/soap+xml; charset=utf-8"}
    body = envelope("1.2", "GetSMSStatus", field("token", "x"))
    response = requests.post(sim.url, data=body, headers=headers, timeout=TIMEOUT)
    assert "without a valid action parameter" in fault_text(response)


def test_action_and_body_must_agree(sim: SimulatorServer) -> None:
    body = envelope("1.1", "SendSMSMessages", send_fields("x", [("03037", None)]))
    headers = soap_headers("1.1", "GetSMSStatus")
    response = requests.post(sim.url, data=body, headers=headers, timeout=TIMEOUT)
    assert "<SendSMSMessages xmlns='" in fault_text(response)
    assert sim.sent == []


def test_unqualified_parameters_read_as_missing(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    fields = f'<token xmlns="">{escape(token)}</token>'
    status = soap.result("GetSMSStatus", fields)
    assert text(status, "Auth/Status") == "-1"


def test_request_with_a_dtd_is_refused_unexpanded(sim: SimulatorServer) -> None:
    body = envelope(
        "1.1", "ValidateClient", "<sUsername>&lol;</sUsername><sPassword>demo</sPassword>"
    )
    body = body.replace(
        b"<soap:Envelope", b'<!DOCTYPE soap:Envelope [<!ENTITY lol "demo">]>\n<soap:Envelope', 1
    )
    response = requests.post(
        sim.url, data=body, headers=soap_headers("1.1", "ValidateClient"), timeout=TIMEOUT
    )
    assert "DTD is prohibited" in fault_text(response)


def test_malformed_xml_and_wrong_content_type(sim: SimulatorServer) -> None:
    broken = requests.post(
        sim.url,
        data=b"<soap:Envelope",
        headers=soap_headers("1.1", "ValidateClient"),
        timeout=TIMEOUT,
    )
    assert "There is an error in XML document" in fault_text(broken)
    json = requests.post(sim.url, json={"a": 1}, timeout=TIMEOUT)
    assert json.status_code == 500
    assert "Request format is invalid: application/json" in json.text


def test_oversized_request_is_refused_unread() -> None:
    with SimulatorServer(max_request_bytes=1000) as sim:
        soap = Soap(sim)
        huge = send_fields("x", [("03037", None)], "a" * 2000)
        response = soap.post("SendSMSMessages", huge)
        assert response.status_code == 500
        assert "Maximum request length exceeded." in response.text
        assert sim.sent == []


def test_request_over_the_default_limit_gets_an_answer(sim: SimulatorServer) -> None:
    response = Soap(sim).post("ValidateClient", field("sUsername", "x" * (5 * 1024 * 1024)))
    assert response.status_code == 500
    assert "Maximum request length exceeded." in response.text


def test_every_request_is_logged(sim: SimulatorServer) -> None:
    requests.get(sim.wsdl_url, timeout=TIMEOUT)
    Soap(sim, "1.2").login()
    Soap(sim, "1.1").status("x")
    log = [(r.method, r.operation, r.soap_version, r.http_status) for r in sim.requests]
    assert log == [
        ("GET", "WSDL", None, 200),
        ("POST", "ValidateClient", "1.2", 200),
        ("POST", "GetSMSStatus", "1.1", 200),
    ]


# --- injected faults ---


def test_http_500_html_sends_nothing_and_lasts_n_calls(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    sim.inject(Fault.HTTP_500_HTML, times=2)
    for _ in range(2):
        response = soap.post("SendSMSMessages", send_fields(token, [("03037", None)]))
        assert response.status_code == 500
        assert response.headers["Content-Type"].startswith("text/html")
        assert "Server Error in '/' Application." in response.text
    assert sim.sent == []
    assert text(soap.send(token, [("03037", None)]), "SmsSent") == "1"
    assert [r.fault for r in sim.requests[-3:]] == ["HTTP_500_HTML", "HTTP_500_HTML", None]


def test_a_request_that_faults_anyway_does_not_use_up_a_fault(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    sim.inject(Fault.HTTP_500_HTML)
    bad = send_fields(token, [("03037", None)], raw_schedule="<scheduleDate></scheduleDate>")
    assert "AllXsd" in fault_text(soap.post("SendSMSMessages", bad))
    good = soap.post("SendSMSMessages", send_fields(token, [("03037", None)]))
    assert "Server Error in '/' Application." in good.text


def test_soap_fault_injection(soap: Soap) -> None:
    token = soap.token()
    soap.sim.inject(Fault.SOAP_FAULT, operation="GetSMSStatus")
    response = soap.post("GetSMSStatus", field("token", token))
    assert fault_text(response).startswith("Server was unable to process request.")
    assert fault_code(response) in {"soap:Server", "soap12:Receiver"}
    assert text(soap.status(token), "Auth/Status") == "1"


def test_faults_only_touch_their_operation(sim: SimulatorServer) -> None:
    sim.inject(Fault.HTTP_500_HTML, operation="ValidateUser")
    soap = Soap(sim)
    assert text(soap.login(), "Status") == "1"  # ValidateClient is another operation
    response = soap.post("ValidateUser", field("sUsername", "demo") + field("sPassword", "demo"))
    assert response.status_code == 500


def test_slow_reply_records_first_and_blocks_nobody(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    sim.inject(Fault.SLOW, seconds=3)
    with requests.Session() as session, pytest.raises(requests.ReadTimeout):
        session.post(
            sim.url,
            data=envelope("1.1", "SendSMSMessages", send_fields(token, [("03037", None)])),
            headers=soap_headers("1.1", "SendSMSMessages"),
            timeout=0.3,
        )
    assert len(sim.sent) == 1  # it went out although the client gave up
    started = time.monotonic()
    assert text(soap.status(token), "SmsBalance") == "4999"
    assert time.monotonic() - started < 1


def test_drop_after_record(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    sim.inject(Fault.DROP_AFTER_RECORD)
    with pytest.raises(requests.ConnectionError):
        soap.post("SendSMSMessages", send_fields(token, [("03037", None), ("00125", None)]))
    assert len(sim.sent) == 2
    assert sim.balance == 4998
    assert sim.requests[-1].http_status is None


def test_truncated_xml(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    sim.inject(Fault.TRUNCATED_XML)
    response = soap.post("SendSMSMessages", send_fields(token, [("03037", None)]))
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        parse(response.content)
    assert len(sim.sent) == 1


def test_expire_token_fault(soap: Soap) -> None:
    token = soap.token()
    soap.sim.inject(Fault.EXPIRE_TOKEN, operation="GetSMSStatus")
    assert text(soap.status(token), "Auth/Status") == "-2"
    assert text(soap.send(token, [("03037", None)]), "Auth/Status") == "-2"
    assert soap.sim.sent == []


def test_billion_laughs_reply(soap: Soap) -> None:
    soap.sim.inject(Fault.BILLION_LAUGHS, operation="ValidateClient")
    response = soap.post("ValidateClient", field("sUsername", "demo") + field("sPassword", "demo"))
    assert response.status_code == 200
    assert b"<!DOCTYPE" in response.content
    assert b'<!ENTITY lol9 "&lol8;&lol8;' in response.content
    assert b"<StatusMessage>&lol9;</StatusMessage>" in response.content
    assert len(response.content) < 5000
    # Without its DTD it is an ordinary reply, so a client can only fail on the attack itself.
    defused = re.sub(rb"<!DOCTYPE[^\]]*\]>", b"", response.content).replace(b"&lol9;", b"lol")
    assert parse(defused).find(f".//{{{API}}}ValidateClientResult") is not None


def test_external_entity_reply(sim: SimulatorServer) -> None:
    soap = Soap(sim)
    token = soap.token()
    sim.inject(Fault.EXTERNAL_ENTITY)
    response = soap.post("SendSMSMessages", send_fields(token, [("03037", None)]))
    assert b'<!ENTITY xxe SYSTEM "file:///etc/passwd">' in response.content
    assert b"&xxe;" in response.content
    assert sim.sent == []


def test_huge_body_reply(sim: SimulatorServer) -> None:
    sim.inject(Fault.HUGE_BODY, operation="GetSMSStatus", size_mb=3)
    response = Soap(sim).post("GetSMSStatus", field("token", "x"))
    assert int(response.headers["Content-Length"]) > 3 * 1024 * 1024
    assert len(response.content) == int(response.headers["Content-Length"])
    assert response.content.endswith(b"</soap:Envelope>") or response.content.endswith(
        b"</soap12:Envelope>"
    )


def test_faults_on_the_wsdl_download(sim: SimulatorServer) -> None:
    sim.inject(Fault.HTTP_500_HTML, operation="WSDL")
    sim.inject(Fault.EXTERNAL_ENTITY, operation="WSDL")
    assert requests.get(sim.wsdl_url, timeout=TIMEOUT).status_code == 500
    assert b"&xxe;" in requests.get(sim.wsdl_url, timeout=TIMEOUT).content
    assert requests.get(sim.wsdl_url, timeout=TIMEOUT).status_code == 200


@pytest.mark.parametrize(
    ("fault", "kwargs"),
    [
        (Fault.SLOW, {}),
        (Fault.HUGE_BODY, {}),
        (Fault.EXPIRE_TOKEN, {"operation": "ValidateClient"}),
        (Fault.SOAP_FAULT, {"operation": "WSDL"}),
        (Fault.HTTP_500_HTML, {"operation": "SendSMS"}),
        (Fault.HTTP_500_HTML, {"times": 0}),
    ],
)
def test_inject_rejects_nonsense(
    sim: SimulatorServer, fault: Fault, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        sim.inject(fault, **kwargs)  # type: ignore[arg-type]


def test_clear_faults(sim: SimulatorServer) -> None:
    sim.inject(Fault.HTTP_500_HTML, operation="WSDL", times=5)
    sim.clear_faults()
    assert requests.get(sim.wsdl_url, timeout=TIMEOUT).status_code == 200


# --- starting and stopping ---


def _simulator_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("vtsms-simulator")]


def test_stop_is_prompt_and_leaves_no_threads() -> None:
    before = set(threading.enumerate())
    sim = SimulatorServer().start()
    url = sim.url
    port = int(url.split(":")[2].split("/")[0])
    keep_alive = requests.Session()
    keep_alive.get(sim.wsdl_url, timeout=TIMEOUT)  # leaves an idle keep-alive connection
    sim.inject(Fault.SLOW, operation="GetSMSStatus", seconds=30)
    slow = threading.Thread(target=_swallow_errors, args=(Soap(sim).status, "x"))
    slow.start()
    while not any(r.operation == "GetSMSStatus" for r in sim.requests):
        time.sleep(0.01)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 2
    slow.join(TIMEOUT)
    keep_alive.close()
    assert set(threading.enumerate()) <= before
    assert _simulator_threads() == []
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    sim.stop()  # a second stop does nothing


def _swallow_errors(function: Callable[[str], object], argument: str) -> None:
    with contextlib.suppress(requests.RequestException, AssertionError):
        function(argument)


def test_lifecycle_errors() -> None:
    sim = SimulatorServer()
    with pytest.raises(RuntimeError):
        _ = sim.url
    with sim, pytest.raises(RuntimeError):
        sim.start()
    assert not sim.running


def test_run_forever_stops_cleanly_on_ctrl_c() -> None:
    # As in a terminal, Ctrl+C raises KeyboardInterrupt: a test run started in the background
    # (`cmd &` in a script) passes SIGINT on ignored, and Python then never sees it.
    code = (
        "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from vtsms_gui.simulator import run_forever; raise SystemExit(run_forever(0))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],  # the checkout, so vtsms_gui is importable
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/VT_API\.asmx", first)
        assert url, first
        assert "username 'demo' and password 'demo'" in "".join(
            process.stdout.readline() for _ in range(2)
        )
        assert requests.get(url.group(0) + "?WSDL", timeout=TIMEOUT).status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert err == ""


def test_run_forever_reports_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert run_forever(taken.getsockname()[1]) == 1
    assert "Choose another port" in capsys.readouterr().err


# --- the demo data ---


def test_demo_client_table() -> None:
    clients = demo_clients()
    assert len(clients) == 40
    assert len({c.code for c in clients}) == 40
    assert {"03037", "00125"} <= {c.code for c in clients}
    mobiles = [re.sub(r"\D", "", c.mobile).removeprefix("61") for c in clients if c.mobile]
    assert {("0" + m if m.startswith("4") else m) for m in mobiles} <= ACMA_FICTION_MOBILES
    assert sum(c.mobile is None for c in clients) >= 3
    assert sum(c.marketing_opt_out for c in clients) >= 3
    clients[0].mobile = None
    assert demo_clients()[0].mobile is not None  # each call is a fresh copy
