"""Every failure becomes its own VettrakError, saying whether SMS may have gone out: the
simulator's injected faults, a closed port, an untrusted certificate, hostile and odd replies.
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3.exceptions
import zeep.exceptions
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from vtsms_gui.api.client import ClientConfig, VettrakClient
from vtsms_gui.api.error_translation import translate
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
from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions
from vtsms_gui.simulator import Fault, SimulatorServer

RECIPIENTS = [PlannedRecipient(0, None, "0491570006")]
LOGIN_REPLY = b"""<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<ValidateClientResponse xmlns="http://www.ozsoft.com.au/VETtrak/api/complete">
<ValidateClientResult><ID>7</ID><Token>tok</Token><Status>1</Status>
<StatusMessage>ok</StatusMessage><Identifier>1</Identifier><TokenType>03</TokenType>
</ValidateClientResult></ValidateClientResponse></soap:Body></soap:Envelope>"""


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer() as server:
        yield server


@pytest.fixture
def client(sim: SimulatorServer) -> Iterator[VettrakClient]:
    config = ClientConfig(sim.url, connect_timeout=2, read_timeout=0.5)
    with VettrakClient(config) as vettrak:
        vettrak.login("demo", "demo")
        yield vettrak


def send(client: VettrakClient) -> None:
    client.send_batch("Hello", RECIPIENTS, SendOptions())


# --- faults from the simulator, for a send and for a call that sends nothing ---


@pytest.mark.parametrize(
    ("fault", "error", "send_may_have_sent"),
    [
        (Fault.HTTP_500_HTML, ServerErrorPage, True),
        (Fault.SOAP_FAULT, SoapFault, True),  # soap:Server during a send: outcome unknown
        (Fault.DROP_AFTER_RECORD, OutcomeUnknown, True),
        (Fault.TRUNCATED_XML, MalformedResponse, True),
        (Fault.BILLION_LAUGHS, MalformedResponse, True),
        (Fault.EXTERNAL_ENTITY, MalformedResponse, True),
    ],
)
def test_faults_map_to_their_error(
    sim: SimulatorServer,
    client: VettrakClient,
    fault: Fault,
    error: type[VettrakError],
    send_may_have_sent: bool,
) -> None:
    sim.inject(fault, operation="SendSMSMessages")
    with pytest.raises(error) as sending:
        send(client)
    assert sending.value.may_have_sent is send_may_have_sent
    assert ("check the SMS history" in str(sending.value)) is send_may_have_sent

    sim.inject(fault, operation="GetSMSStatus")
    with pytest.raises(error) as status:
        client.get_sms_status()
    assert status.value.may_have_sent is False
    assert "SMS history" not in str(status.value)
    # Never repeated automatically: exactly one request per call.
    assert [r.operation for r in sim.requests].count("SendSMSMessages") == 1


def test_an_error_page_shows_its_title(sim: SimulatorServer, client: VettrakClient) -> None:
    sim.inject(Fault.HTTP_500_HTML, operation="GetSMSStatus")
    with pytest.raises(ServerErrorPage) as caught:
        client.get_sms_status()
    assert caught.value.http_status == 500
    assert caught.value.title
    assert caught.value.title in str(caught.value)


def test_a_soap_fault_gives_the_servers_reason(sim: SimulatorServer, client: VettrakClient) -> None:
    sim.inject(Fault.SOAP_FAULT)
    with pytest.raises(SoapFault) as caught:
        send(client)
    assert "Timeout expired" in str(caught.value)
    assert "check the SMS history" in str(caught.value)
    assert caught.value.may_have_sent
    assert sim.sent == []


@pytest.mark.parametrize(
    ("code", "operation", "may_have_sent"),
    [
        ("soap:Client", "SendSMSMessages", False),
        ("soap12:Sender", "SendSMSMessages", False),
        ("soap:Server", "SendSMSMessages", True),
        ("soap12:Receiver", "SendSMSMessages", True),
        ("soap:Server", "GetSMSStatus", False),
    ],
)
def test_a_fault_blaming_the_request_means_nothing_was_sent(
    code: str, operation: str, may_have_sent: bool
) -> None:
    import zeep.exceptions

    from vtsms_gui.api.error_translation import translate

    fault = zeep.exceptions.Fault("Server was unable to read request.", code=code)
    error = translate(fault, operation, secrets=())
    assert isinstance(error, SoapFault)
    assert error.may_have_sent is may_have_sent
    assert "unable to read request" in str(error)


def test_a_slow_reply_is_an_unknown_outcome_never_retried(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    sim.inject(Fault.SLOW, seconds=5)
    started = time.monotonic()
    with pytest.raises(OutcomeUnknown) as caught:
        send(client)
    assert time.monotonic() - started < 2
    assert caught.value.may_have_sent
    # The simulator did send it: exactly why the client must not resend on its own.
    assert len(sim.sent) == 1
    assert [r.operation for r in sim.requests].count("SendSMSMessages") == 1


@pytest.mark.parametrize("fault", [Fault.BILLION_LAUGHS, Fault.EXTERNAL_ENTITY])
def test_hostile_xml_is_refused_quickly_and_safely(
    sim: SimulatorServer, client: VettrakClient, fault: Fault
) -> None:
    sim.inject(fault, operation="GetSMSStatus")
    started = time.monotonic()
    with pytest.raises(MalformedResponse, match="refused for safety") as caught:
        client.get_sms_status()
    assert time.monotonic() - started < 2.5  # within connect + read timeout
    assert "root:" not in caught.value.technical  # no /etc/passwd content was read


def test_a_huge_reply_is_cut_off_at_the_limit(sim: SimulatorServer) -> None:
    config = ClientConfig(sim.url, max_response_bytes=1_000_000, read_timeout=5)
    with VettrakClient(config) as vettrak:
        vettrak.login("demo", "demo")
        sim.inject(Fault.HUGE_BODY, size_mb=50)
        started = time.monotonic()
        with pytest.raises(MalformedResponse, match="larger than 1 MB") as caught:
            send(vettrak)
        assert time.monotonic() - started < 3
        assert caught.value.may_have_sent


def test_the_default_limit_refuses_a_20_mb_reply(sim: SimulatorServer) -> None:
    with VettrakClient(ClientConfig(sim.url)) as vettrak:
        vettrak.login("demo", "demo")
        sim.inject(Fault.HUGE_BODY, operation="GetSMSStatus", size_mb=20)
        with pytest.raises(MalformedResponse, match="larger than 10 MB"):
            vettrak.get_sms_status()


# --- no server, untrusted server ---


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_closed_port_cannot_connect_and_nothing_was_sent() -> None:
    url = f"http://127.0.0.1:{closed_port()}/VT_API.asmx"
    with VettrakClient(ClientConfig(url, connect_timeout=2)) as vettrak:
        with pytest.raises(CannotConnect, match="nothing was sent") as caught:
            vettrak.login("demo", "demo")
        assert not caught.value.may_have_sent
        vettrak.token = "t"
        with pytest.raises(CannotConnect) as sending:
            send(vettrak)
        assert not sending.value.may_have_sent


def test_the_live_wsdl_from_a_closed_port_cannot_connect(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/VT_API.asmx"
    with pytest.raises(CannotConnect):
        VettrakClient(ClientConfig(url, use_live_wsdl=True, cache_dir=tmp_path))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (PEM files)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vtsms test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _LoginHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(LOGIN_REPLY)))
        self.end_headers()
        self.wfile.write(LOGIN_REPLY)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def tls_url(certificate: tuple[Path, Path]) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LoginHandler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}/VT_API.asmx"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_an_untrusted_certificate_is_a_tls_problem(tls_url: str) -> None:
    with VettrakClient(ClientConfig(tls_url, connect_timeout=2)) as vettrak:
        with pytest.raises(TlsProblem, match="certificate could not be trusted") as caught:
            vettrak.login("demo", "demo")
        assert not caught.value.may_have_sent
        assert vettrak.token is None


def test_the_organisations_ca_bundle_makes_it_trusted(
    tls_url: str, certificate: tuple[Path, Path]
) -> None:
    config = ClientConfig(tls_url, connect_timeout=2, verify=str(certificate[0]))
    with VettrakClient(config) as vettrak:
        assert vettrak.login("demo", "demo").user_id == 7


def test_turning_certificate_checks_off_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be turned off"):
        ClientConfig("https://host/VT_API.asmx", verify=False)


# --- odd replies, from a fake server inside the session ---


class _SlowBody(io.RawIOBase):
    """A body that arrives one byte every `pause` seconds (a server trickling its reply)."""

    def __init__(self, pause: float) -> None:
        self.pause = pause

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        time.sleep(self.pause)
        buffer[0:1] = b"<"
        return 1


class CannedAdapter(BaseAdapter):
    def __init__(self, status: int, headers: dict[str, str], body: bytes | io.RawIOBase) -> None:
        super().__init__()
        self.status, self.headers, self.body = status, headers, body
        self.calls = 0

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: object
    ) -> requests.Response:
        self.calls += 1
        response = requests.Response()
        response.status_code = self.status
        response.headers = CaseInsensitiveDict(self.headers)
        response.raw = io.BytesIO(self.body) if isinstance(self.body, bytes) else self.body
        response.request = request
        response.url = str(request.url)
        return response

    def close(self) -> None:
        pass


def canned_client(adapter: CannedAdapter, **config: Any) -> VettrakClient:
    session = requests.Session()
    session.mount("https://", adapter)
    client = VettrakClient(
        ClientConfig("https://vettrak.example/VT_API.asmx", **config), session=session
    )
    client.token = "t"
    return client


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_a_404_page_means_nothing_was_sent() -> None:
    page = b"<html><head><title>404 - File or directory not found.</title></head></html>"
    with (
        canned_client(CannedAdapter(404, HTML, page)) as client,
        pytest.raises(ServerErrorPage, match="404 - File or directory not found") as caught,
    ):
        send(client)
    assert not caught.value.may_have_sent
    assert "Nothing was sent" in str(caught.value)


def test_a_redirect_is_not_followed() -> None:
    adapter = CannedAdapter(302, {"Location": "https://elsewhere.example/login"}, b"")
    with (
        canned_client(adapter) as client,
        pytest.raises(ServerErrorPage, match=r"elsewhere\.example/login") as caught,
    ):
        send(client)
    assert adapter.calls == 1
    assert not caught.value.may_have_sent


def test_a_web_page_instead_of_a_reply_is_malformed() -> None:
    page = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body/></html>"
    with (
        canned_client(CannedAdapter(200, HTML, page)) as client,
        pytest.raises(MalformedResponse, match="'Sign in'") as caught,
    ):
        send(client)
    assert caught.value.may_have_sent


def test_a_500_without_a_body_after_a_send_may_have_sent() -> None:
    with (
        canned_client(CannedAdapter(500, {"Content-Type": "text/xml"}, b"")) as client,
        pytest.raises(ServerErrorPage, match="HTTP 500") as caught,
    ):
        send(client)
    assert caught.value.may_have_sent


def test_a_trickling_reply_stops_at_the_overall_deadline() -> None:
    adapter = CannedAdapter(200, {"Content-Type": "text/xml"}, _SlowBody(0.05))
    started = time.monotonic()
    with (
        canned_client(adapter, connect_timeout=0.2, read_timeout=0.2) as client,
        pytest.raises(OutcomeUnknown, match=r"within 0\.4 seconds") as caught,
    ):
        send(client)
    assert time.monotonic() - started < 2
    assert caught.value.may_have_sent


def test_a_reply_missing_required_values_is_malformed() -> None:
    reply = LOGIN_REPLY.replace(b"<Status>1</Status>", b"<Status>one</Status>")
    with (
        canned_client(CannedAdapter(200, {"Content-Type": "text/xml"}, reply)) as client,
        pytest.raises(MalformedResponse, match="Status"),
    ):
        client.login("demo", "demo")


# --- failures no local server can stage ---


def test_translation_of_network_failures() -> None:
    refused = requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(
            None,  # type: ignore[arg-type]
            "/",
            urllib3.exceptions.NameResolutionError("host", None, socket.gaierror("no name")),  # type: ignore[arg-type]
        )
    )
    cases: list[tuple[BaseException, type[VettrakError], bool]] = [
        (refused, CannotConnect, False),
        (requests.exceptions.ConnectTimeout("slow connect"), CannotConnect, False),
        (requests.exceptions.ReadTimeout("slow reply"), OutcomeUnknown, True),
        (requests.exceptions.SSLError("bad cert"), TlsProblem, False),
        (requests.exceptions.ProxyError("proxy"), ProxyProblem, False),  # a CannotConnect
        (
            requests.exceptions.ProxyError(
                OSError("Tunnel connection failed: 407 Proxy Authentication Required")
            ),
            ProxyAuthRequired,
            False,
        ),
        (requests.exceptions.ChunkedEncodingError("cut"), OutcomeUnknown, True),
        (requests.exceptions.ContentDecodingError("gzip"), MalformedResponse, True),
        (zeep.exceptions.XMLParseError("odd"), MalformedResponse, True),  # type: ignore[no-untyped-call]
    ]
    for exc, error, may_have_sent in cases:
        translated = translate(exc, "SendSMSMessages", ())
        assert type(translated) is error, exc
        assert translated.may_have_sent is may_have_sent, exc
        assert translate(exc, "GetSMSStatus", ()).may_have_sent is False


def test_translation_scrubs_secrets_from_a_fault_that_echoes_the_request() -> None:
    token = "'&7%+>-\"6(+!56$0>345"
    fault = zeep.exceptions.Fault(  # type: ignore[no-untyped-call]
        f"Bad request near <token>{token}</token> or '&amp;7%+&gt;-&quot;6(+!56$0&gt;345"
    )
    error = translate(fault, "SendSMSMessages", (token,))
    for text in (str(error), repr(error), error.technical, error.fault_message):  # type: ignore[attr-defined]
        assert token not in text
        assert "&amp;7%+&gt;" not in text
    assert "********" in str(error)


def test_text_xml_cannot_carry_is_refused_before_anything_leaves(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    from vtsms_gui.api.errors import VettrakError
    from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions

    with pytest.raises(VettrakError) as caught:
        client.send_batch("Hi", [PlannedRecipient(0, "03\x0137", None)], SendOptions())
    assert not caught.value.may_have_sent
    assert "nothing was sent" in str(caught.value)
    assert not [r for r in sim.requests if r.operation == "SendSMSMessages"]


@pytest.mark.parametrize(
    ("status", "operation", "may_have_sent"),
    [
        (0, "SendSMSMessages", True),
        (-3, "SendSMSMessages", True),
        (-1, "SendSMSMessages", False),
        (0, "GetSMSStatus", False),
    ],
)
def test_an_unknown_or_database_error_during_a_send_is_an_unknown_outcome(
    status: int, operation: str, may_have_sent: bool
) -> None:
    from vtsms_gui.api.client import _Auth, _refusal

    auth = _Auth(status, "Database timeout", "", -1, "-1", "")
    error = _refusal(auth, operation, secrets=())
    assert error.may_have_sent is may_have_sent
    assert "Database timeout" in str(error)
