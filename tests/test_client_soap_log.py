"""The SOAP log: exchanges pretty-printed with the token and password masked, whatever arrives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vtsms_gui.api.client import ClientConfig, VettrakClient
from vtsms_gui.api.soap_log import MASK, SoapExchange, mask_soap, redact
from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions
from vtsms_gui.simulator import Fault, SimulatorServer

TOKEN = "'&7%+>-\"6(+!56$0>345"
ESCAPED_TOKEN = "'&amp;7%+&gt;-\"6(+!56$0&gt;345"


def test_secret_elements_are_masked_and_the_rest_kept() -> None:
    request = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        '<ValidateClient xmlns="urn:x"><sUsername>demo</sUsername><sPassword>hunter2</sPassword>'
        f"</ValidateClient><Auth><Token>{ESCAPED_TOKEN}</Token></Auth><token>{ESCAPED_TOKEN}</token>"
        "</s:Body></s:Envelope>"
    )
    shown = mask_soap(request.encode())
    assert "hunter2" not in shown and "&amp;7%" not in shown and "7%+" not in shown
    assert shown.count(MASK) == 3
    assert "<sUsername>demo</sUsername>" in shown
    assert "\n  <s:Body>" in shown  # pretty-printed


def test_broken_xml_is_masked_by_pattern() -> None:
    cut_off = f"<a><ns0:token>{ESCAPED_TOKEN}</ns0:token><sPassword>hunter2</sPassword><b>"
    shown = mask_soap(cut_off)
    assert "hunter2" not in shown and "7%+" not in shown
    assert shown.count(MASK) == 2


def test_known_secrets_are_scrubbed_anywhere() -> None:
    page = f"<html><title>Error for token {TOKEN}</title><p>{ESCAPED_TOKEN}</p></html>"
    shown = mask_soap(page, secrets=[TOKEN, None, ""])
    assert "7%+" not in shown
    assert redact("nothing secret", [TOKEN]) == "nothing secret"


def test_a_dtd_is_never_expanded_in_the_log() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<a>&x;<token>secret</token></a>"
    )
    shown = mask_soap(bomb)
    assert "root:" not in shown and "secret" not in shown


@pytest.fixture
def exchanges() -> Iterator[tuple[SimulatorServer, list[SoapExchange]]]:
    log: list[SoapExchange] = []
    with SimulatorServer(token_factory=lambda: TOKEN) as sim:
        yield sim, log


def test_the_client_reports_every_exchange_masked(
    exchanges: tuple[SimulatorServer, list[SoapExchange]],
) -> None:
    sim, log = exchanges
    with VettrakClient(ClientConfig(sim.url, read_timeout=2), on_exchange=log.append) as client:
        client.login("demo", "demo")
        client.send_batch("Hi", [PlannedRecipient(0, None, "0491570006")], SendOptions())
        sim.inject(Fault.DROP_AFTER_RECORD, operation="GetSMSStatus")
        with pytest.raises(Exception, match="connection"):
            client.get_sms_status()
    assert [e.operation for e in log] == ["ValidateClient", "SendSMSMessages", "GetSMSStatus"]
    assert [e.http_status for e in log] == [200, 200, None]
    assert log[0].url == sim.url and log[0].seconds >= 0
    assert "<sPassword>********</sPassword>" in log[0].request.replace("ns0:", "")
    assert MASK in log[0].response  # type: ignore[operator]
    assert "0491570006" in log[1].request and "SmsBalance" in (log[1].response or "")
    assert log[2].response is None and "ConnectionError" in log[2].error
    for entry in log:
        assert "7%+" not in entry.request + (entry.response or "") + entry.error


def test_a_failing_log_window_does_not_fail_the_call(
    exchanges: tuple[SimulatorServer, list[SoapExchange]], caplog: pytest.LogCaptureFixture
) -> None:
    sim, _ = exchanges

    def broken(_: SoapExchange) -> None:
        raise RuntimeError("the log window is gone")

    with VettrakClient(ClientConfig(sim.url), on_exchange=broken) as client:
        assert client.login("demo", "demo").token == TOKEN
    assert "SOAP log callback failed" in caplog.text


def test_a_reply_cut_off_inside_the_token_shows_none_of_it() -> None:
    from vtsms_gui.api.soap_log import MASK, mask_soap

    body = "<soap:Envelope><soap:Body><ValidateClientResult><Token>'&amp;7%+&gt;-\"6(+!5"
    masked = mask_soap(body)
    assert masked.endswith(f"<Token>{MASK}")
    assert "7%+" not in masked
