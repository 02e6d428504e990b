"""The bundled WSDL agrees with the one a server publishes (here the simulator's), the
comparison notices a difference, and the live WSDL can be used and is cached on disk.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import zeep
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from vtsms_gui.api.client import ClientConfig, VettrakClient
from vtsms_gui.api.errors import MalformedResponse, ServerErrorPage
from vtsms_gui.api.soap_service import bundled_wsdl_path
from vtsms_gui.api.wsdl_check import check_live_wsdl, wsdl_differences, wsdl_shape
from vtsms_gui.simulator import Fault, SimulatorServer


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer() as server:
        yield server


def shape_of(path: str, version: str = "1.1") -> dict[str, tuple[str, ...]]:
    return wsdl_shape(zeep.Client(path), version)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_the_bundled_wsdl_agrees_with_the_servers(sim: SimulatorServer, version: str) -> None:
    assert check_live_wsdl(ClientConfig(sim.url, soap_version=version)) == []
    assert any(r.operation == "WSDL" for r in sim.requests)


def test_the_shape_lists_every_element_in_order() -> None:
    lines = shape_of(bundled_wsdl_path())["SendSMSMessages"]
    names = [line.split(":")[0].rpartition("/")[2] for line in lines if line.startswith("in ")]
    assert names[1:] == [
        "token",
        "messageContent",
        "sender",
        "smsRecipients",
        "TSMSRecipient",
        "ClientCode",
        "MobilePhone",
        "isMarketing",
        "providerId",
        "acceptReplies",
        "scheduleDate",
    ]
    assert any(
        "scheduleDate: {http://www.w3.org/2001/XMLSchema}dateTime minOccurs=1" in x
        and "nillable=true" in x
        for x in lines
    )


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (('name="acceptReplies" nillable="true"', 'name="acceptReplies"'), "acceptReplies"),
        (('name="sender" type="s:string"', 'name="sender" type="s:int"'), "sender"),
        (
            ('<s:element minOccurs="0" maxOccurs="1" name="providerId" type="s:string" />', ""),
            "providerId",
        ),
        (('name="Status" type="s:int"', 'name="Status" type="s:long"'), "Status"),
    ],
)
def test_a_difference_is_reported(tmp_path: Path, change: tuple[str, str], found: str) -> None:
    original = Path(bundled_wsdl_path()).read_text(encoding="utf-8")
    assert change[0] in original
    changed = tmp_path / "changed.wsdl"
    changed.write_text(original.replace(change[0], change[1], 1), encoding="utf-8")
    differences = wsdl_differences(shape_of(bundled_wsdl_path()), shape_of(str(changed)))
    assert differences and all(found in d for d in differences), differences


def test_a_missing_operation_is_reported() -> None:
    shape = shape_of(bundled_wsdl_path())
    del shape["GetSMSStatus"]
    assert wsdl_differences(shape_of(bundled_wsdl_path()), shape) == [
        "GetSMSStatus: not in the server's WSDL."
    ]


def test_the_live_wsdl_is_used_and_cached(sim: SimulatorServer, tmp_path: Path) -> None:
    config = ClientConfig(sim.url, use_live_wsdl=True, cache_dir=tmp_path)
    for _ in range(2):
        with VettrakClient(config) as client:
            assert client.login("demo", "demo").token
    assert [r.operation for r in sim.requests].count("WSDL") == 1
    assert list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.HTTP_500_HTML, ServerErrorPage),
        (Fault.BILLION_LAUGHS, MalformedResponse),
        (Fault.EXTERNAL_ENTITY, MalformedResponse),
    ],
)
def test_a_bad_live_wsdl_is_refused(
    sim: SimulatorServer, fault: Fault, error: type[Exception]
) -> None:
    sim.inject(fault, operation="WSDL")
    with pytest.raises(error):
        VettrakClient(ClientConfig(sim.url, use_live_wsdl=True))


def test_a_huge_live_wsdl_is_refused(sim: SimulatorServer) -> None:
    sim.inject(Fault.HUGE_BODY, operation="WSDL", size_mb=5)
    with pytest.raises(MalformedResponse, match="larger than 1 MB"):
        VettrakClient(ClientConfig(sim.url, use_live_wsdl=True, max_response_bytes=1_000_000))


class _WsdlAdapter(BaseAdapter):
    """Serves one WSDL for every GET, as a hostile server would."""

    def __init__(self, wsdl: bytes) -> None:
        super().__init__()
        self.wsdl = wsdl
        self.urls: list[str] = []

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: object
    ) -> requests.Response:
        self.urls.append(str(request.url))
        response = requests.Response()
        response.status_code = 200
        response.headers = CaseInsensitiveDict({"Content-Type": "text/xml"})
        response.raw = io.BytesIO(self.wsdl)
        response.url = str(request.url)
        return response

    def close(self) -> None:
        pass


@pytest.mark.parametrize("kind", ["file URL", "local path", "other server"])
def test_a_live_wsdl_cannot_make_the_client_read_other_documents(tmp_path: Path, kind: str) -> None:
    # A valid schema on this computer: reading it would go unnoticed if it were allowed.
    local = tmp_path / "local.xsd"
    local.write_text(
        '<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x"/>',
        encoding="utf-8",
    )
    location = {
        "file URL": local.as_uri(),
        "local path": str(local),
        "other server": "http://elsewhere.example/x.xsd",
    }[kind]
    original = Path(bundled_wsdl_path()).read_bytes()
    schema_start = b'<s:schema elementFormDefault="qualified"'
    assert schema_start in original
    hostile = original.replace(
        schema_start,
        b'<s:schema><s:import namespace="urn:x" schemaLocation="'
        + location.encode()
        + b'" /></s:schema>'
        + schema_start,
        1,
    )
    adapter = _WsdlAdapter(hostile)
    with requests.Session() as session:
        session.mount("http://", adapter)
        config = ClientConfig("http://127.0.0.1:9/VT_API.asmx", use_live_wsdl=True)
        with pytest.raises(MalformedResponse):
            VettrakClient(config, session=session)
    assert adapter.urls == ["http://127.0.0.1:9/VT_API.asmx?WSDL"]


def test_a_live_wsdl_without_the_chosen_soap_version_is_reported() -> None:
    wsdl = Path(bundled_wsdl_path()).read_bytes()
    for start_tag, end_tag in [
        (b'<wsdl:binding name="VT_APISoap12"', b"</wsdl:binding>"),
        (b'<wsdl:port name="VT_APISoap12"', b"</wsdl:port>"),
    ]:
        start = wsdl.index(start_tag)
        wsdl = wsdl[:start] + wsdl[wsdl.index(end_tag, start) + len(end_tag) :]
    adapter = _WsdlAdapter(wsdl)
    with requests.Session() as session:
        session.mount("http://", adapter)
        config = ClientConfig(
            "http://127.0.0.1:9/VT_API.asmx", soap_version="1.2", use_live_wsdl=True
        )
        with pytest.raises(MalformedResponse, match=r"does not offer SOAP 1\.2"):
            VettrakClient(config, session=session)
