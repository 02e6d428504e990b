"""What the client puts on the wire for SendSMSMessages, checked element by element against the
service's own SOAP 1.1 and 1.2 samples (a copy of shared/seed/VT_API_SendSMSMessages.txt in
tests/fixtures/, so a plain clone runs them), offline.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import requests
from lxml import etree
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from vtsms_gui.api.client import BatchResponse, ClientConfig, VettrakClient
from vtsms_gui.api.result_matching import RawResult
from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions

SEED = Path(__file__).resolve().parent / "fixtures" / "VT_API_SendSMSMessages.txt"
SERVICE_URL = "https://vettrak.example.edu.au/VT_API.asmx"
API_NS = "http://www.ozsoft.com.au/VETtrak/api/complete"
ACTION = f"{API_NS}/SendSMSMessages"
TOKEN = "'&7%+>-\"6(+!56$0>345"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
AEST = timezone(timedelta(hours=10))


@dataclass(frozen=True)
class Sample:
    headers: Mapping[str, str]
    xml: bytes


def seed_samples() -> dict[str, Sample]:
    """'1.1 request', '1.1 response', '1.2 request', '1.2 response' from the seed file."""
    text = SEED.read_text(encoding="utf-8")
    pattern = re.compile(
        r"(?P<start>POST [^\n]*|HTTP/1\.1 200 OK)\n(?P<headers>(?:[\w-]+: [^\n]*\n)+)"
        r"(?P<xml><\?xml.*?</soap(?:12)?:Envelope>)",
        re.DOTALL,
    )
    samples: dict[str, Sample] = {}
    for match in pattern.finditer(text):
        headers = dict(line.split(": ", 1) for line in match["headers"].strip().splitlines())
        version = "1.2" if "soap+xml" in headers["Content-Type"] else "1.1"
        kind = "request" if match["start"].startswith("POST") else "response"
        samples[f"{version} {kind}"] = Sample(headers, match["xml"].encode())
    assert len(samples) == 4, "the seed file no longer has its four samples"
    return samples


def shape(xml: bytes) -> list[tuple[str, int]]:
    """Every element's namespaced name and depth, in document order (prefixes ignored)."""
    root = etree.fromstring(xml)
    depth = {root: 0}
    rows = []
    for element in root.iter():
        if element is not root:
            depth[element] = depth[element.getparent()] + 1
        rows.append((element.tag, depth[element]))
    return rows


class RecordingAdapter(BaseAdapter):
    """A fake HTTP server in the session: records each request and answers `reply`."""

    def __init__(self, reply: bytes, content_type: str) -> None:
        super().__init__()
        self.reply = reply
        self.content_type = content_type
        self.sent: list[requests.PreparedRequest] = []

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: object
    ) -> requests.Response:
        self.sent.append(request)
        response = requests.Response()
        response.status_code = 200
        response.headers = CaseInsensitiveDict({"Content-Type": self.content_type})
        response.raw = io.BytesIO(self.reply)
        response.request = request
        response.url = str(request.url)
        return response

    def close(self) -> None:
        pass


def filled_response(sample: Sample) -> bytes:
    """The seed's response with its placeholders replaced by plausible values."""
    xml = sample.xml.decode()
    for tag, value in [("ID", "7"), ("Status", "1"), ("SmsSent", "2"), ("SmsBalance", "98")]:
        xml = xml.replace(f"<{tag}>int</{tag}>", f"<{tag}>{value}</{tag}>", 1)
    xml = xml.replace("<Status>int</Status>", "<Status>1</Status>")
    return xml.replace(">string<", "><").encode()


@pytest.fixture(params=["1.1", "1.2"])
def wire(request: pytest.FixtureRequest) -> Iterator[tuple[str, RecordingAdapter, VettrakClient]]:
    version = request.param
    response = seed_samples()[f"{version} response"]
    adapter = RecordingAdapter(filled_response(response), response.headers["Content-Type"])
    session = requests.Session()
    session.mount("https://", adapter)
    client = VettrakClient(ClientConfig(SERVICE_URL, soap_version=version), session=session)
    client.token = TOKEN
    yield version, adapter, client
    client.close()
    session.close()


def send_seed_example(client: VettrakClient, **changes: Any) -> BatchResponse:
    """The seed's request: two recipients with code and number, every option set."""
    recipients = [
        PlannedRecipient(0, "00123", "0491570006"),
        PlannedRecipient(1, "00124", "0491570110"),
    ]
    options = SendOptions(
        sender="RTO",
        accept_replies=True,
        provider_id="1",
        schedule=datetime(2026, 12, 1, 9, 30, tzinfo=AEST),
    )
    return client.send_batch("Class moved to room 4.", recipients, replace(options, **changes))


def test_the_request_has_the_seed_samples_elements_in_order(
    wire: tuple[str, RecordingAdapter, VettrakClient],
) -> None:
    version, adapter, client = wire
    send_seed_example(client)
    [request] = adapter.sent
    assert isinstance(request.body, bytes)
    assert shape(request.body) == shape(seed_samples()[f"{version} request"].xml)


def test_the_http_headers_name_the_action_as_the_seed_does(
    wire: tuple[str, RecordingAdapter, VettrakClient],
) -> None:
    version, adapter, client = wire
    send_seed_example(client)
    [request] = adapter.sent
    seed_headers = seed_samples()[f"{version} request"].headers
    sent_type, seed_type = Message(), Message()
    sent_type["Content-Type"] = str(request.headers["Content-Type"])
    seed_type["Content-Type"] = seed_headers["Content-Type"]
    assert sent_type.get_content_type() == seed_type.get_content_type()
    assert sent_type.get_param("charset") == seed_type.get_param("charset") == "utf-8"
    assert request.method == "POST"
    assert request.url == SERVICE_URL
    if version == "1.1":
        assert request.headers["SOAPAction"] == seed_headers["SOAPAction"] == f'"{ACTION}"'
    else:
        assert sent_type.get_param("action") == ACTION


def test_the_values_travel_as_sent(wire: tuple[str, RecordingAdapter, VettrakClient]) -> None:
    _, adapter, client = wire
    send_seed_example(client)
    body = etree.fromstring(adapter.sent[0].body)
    call = body.find(f".//{{{API_NS}}}SendSMSMessages")
    assert call is not None

    def text(name: str) -> str | None:
        found = call.findtext(f"{{{API_NS}}}{name}")
        return None if found is None else str(found)

    assert text("token") == TOKEN  # escaped on the wire, intact once parsed
    assert b"&amp;7%+&gt;" in adapter.sent[0].body  # type: ignore[operator]
    assert text("messageContent") == "Class moved to room 4."
    assert text("sender") == "RTO"
    assert text("isMarketing") == "false"
    assert text("providerId") == "1"
    assert text("acceptReplies") == "true"
    assert text("scheduleDate") == "2026-12-01T09:30:00+10:00"
    codes = [e.text for e in call.iter(f"{{{API_NS}}}ClientCode")]
    mobiles = [e.text for e in call.iter(f"{{{API_NS}}}MobilePhone")]
    assert codes == ["00123", "00124"]
    assert mobiles == ["0491570006", "0491570110"]


def test_send_now_is_xsi_nil_never_an_empty_element(
    wire: tuple[str, RecordingAdapter, VettrakClient],
) -> None:
    _, adapter, client = wire
    send_seed_example(client, schedule=None, accept_replies=False)
    raw = adapter.sent[0].body
    assert isinstance(raw, bytes)
    assert re.search(rb'<(\w+:)?scheduleDate [^>]*xsi:nil="true"\s*/>', raw)
    assert not re.search(rb"<(\w+:)?scheduleDate>\s*</", raw)
    element = etree.fromstring(raw).find(f".//{{{API_NS}}}scheduleDate")
    assert element is not None and element.get(XSI_NIL) == "true"
    assert etree.fromstring(raw).findtext(f".//{{{API_NS}}}acceptReplies") == "false"


def test_a_scheduled_time_keeps_its_offset_to_the_second(
    wire: tuple[str, RecordingAdapter, VettrakClient],
) -> None:
    _, adapter, client = wire
    when = datetime(2026, 7, 1, 8, 0, 5, 123456, tzinfo=timezone(timedelta(hours=9, minutes=30)))
    send_seed_example(client, schedule=when)
    sent = etree.fromstring(adapter.sent[0].body).findtext(f".//{{{API_NS}}}scheduleDate")
    assert sent == "2026-07-01T08:00:05+09:30"


def test_a_code_only_or_number_only_recipient_leaves_the_other_element_out(
    wire: tuple[str, RecordingAdapter, VettrakClient],
) -> None:
    _, adapter, client = wire
    client.send_batch(
        "Hi",
        [PlannedRecipient(0, "00123", None), PlannedRecipient(1, None, "0491570006")],
        SendOptions(),
    )
    recipients = etree.fromstring(adapter.sent[0].body).findall(f".//{{{API_NS}}}TSMSRecipient")
    assert [[etree.QName(c).localname for c in r] for r in recipients] == [
        ["ClientCode"],
        ["MobilePhone"],
    ]


def test_the_seed_response_is_read(wire: tuple[str, RecordingAdapter, VettrakClient]) -> None:
    _, _, client = wire
    reply = send_seed_example(client)
    assert reply.sms_sent == 2
    assert reply.balance == 98
    assert reply.results == (RawResult(None, None, 1), RawResult(None, None, 1))


def test_a_naive_schedule_is_refused_before_anything_is_sent(
    wire: tuple[str, RecordingAdapter, VettrakClient],
) -> None:
    _, adapter, client = wire
    naive = SendOptions()
    object.__setattr__(naive, "schedule", datetime(2026, 12, 1, 9, 30))
    with pytest.raises(ValueError, match="time zone"):
        client.send_batch("Hi", [PlannedRecipient(0, "00123", None)], naive)
    assert adapter.sent == []
