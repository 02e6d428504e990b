"""Benchmark of the VETtrak client: start-up to a client ready to send, and one 5,000-recipient
SendSMSMessages through zeep next to the same envelope built with lxml and POSTed raw.

Run: .venv/bin/python tests/benchmarks/bench_client.py [--runs N]   (target: ratio <= 2.0)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests
from lxml import etree

from vtsms_gui.api.client import ClientConfig, VettrakClient
from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions
from vtsms_gui.simulator import SimulatorServer

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 5000
TARGET_RATIO = 2.0
API_NS = "http://www.ozsoft.com.au/VETtrak/api/complete"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

STARTUP_SCRIPT = """
import time
started = time.perf_counter()
from vtsms_gui.api.client import ClientConfig, VettrakClient
imported = time.perf_counter()
client = VettrakClient(ClientConfig("https://vettrak.example.edu.au/VT_API.asmx"))
ready = time.perf_counter()
import json
print(json.dumps({"import": imported - started, "construct": ready - imported}))
"""


def startup_times(runs: int) -> dict[str, float]:
    """Medians: whole process (interpreter start included), import, and client construction."""
    rows: list[dict[str, float]] = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", STARTUP_SCRIPT],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout)
        row["process"] = time.perf_counter() - started
        rows.append(row)
    return {
        key: statistics.median(r[key] for r in rows) for key in ("process", "import", "construct")
    }


def recipients() -> list[PlannedRecipient]:
    return [
        PlannedRecipient(i, f"C{i:05d}" if i % 2 else None, f"0491{i:06d}")
        for i in range(RECIPIENTS)
    ]


def lxml_envelope(token: str, message: str, people: list[PlannedRecipient]) -> bytes:
    """The request a hand-written client would build: the baseline zeep is measured against."""
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soap": SOAP_NS, "xsi": XSI_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    call = etree.SubElement(body, f"{{{API_NS}}}SendSMSMessages", nsmap={None: API_NS})

    def child(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{API_NS}}}{name}")
        element.text = text
        return element

    child(call, "token", token)
    child(call, "messageContent", message)
    child(call, "sender", "")
    listed = child(call, "smsRecipients")
    for person in people:
        item = child(listed, "TSMSRecipient")
        if person.client_code:
            child(item, "ClientCode", person.client_code)
        if person.mobile:
            child(item, "MobilePhone", person.mobile)
    child(call, "isMarketing", "false")
    child(call, "providerId", "")
    child(call, "acceptReplies", "false")
    child(call, "scheduleDate").set(f"{{{XSI_NS}}}nil", "true")
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def timed(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def send_times(runs: int) -> tuple[float, float, int]:
    people = recipients()
    message = "Enrolments for Term 1 close on Friday."
    with (
        SimulatorServer(balance=10**9) as sim,
        VettrakClient(ClientConfig(sim.url, read_timeout=120)) as client,
        requests.Session() as session,
    ):
        token = client.login("demo", "demo").token

        def with_zeep() -> None:
            reply = client.send_batch(message, people, SendOptions())
            assert len(reply.results) == RECIPIENTS

        def with_lxml() -> None:
            reply = session.post(
                sim.url,
                data=lxml_envelope(token, message, people),
                headers={
                    "Content-Type": "text/xml; charset=utf-8",
                    "SOAPAction": f'"{API_NS}/SendSMSMessages"',
                },
                timeout=(10, 120),
            )
            reply.raise_for_status()
            assert reply.content.count(b"<TSMSResult>") == RECIPIENTS

        with_zeep()  # warm both paths up
        with_lxml()
        zeep_seconds = timed(with_zeep, runs)
        lxml_seconds = timed(with_lxml, runs)
        return zeep_seconds, lxml_seconds, len(lxml_envelope(token, message, people))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    startup = startup_times(runs)
    zeep_seconds, lxml_seconds, size = send_times(runs)
    ratio = zeep_seconds / lxml_seconds

    print(f"VETtrak client benchmark (median of {runs} runs)")
    print(f"{'measure':<52} {'seconds':>9}")
    print("-" * 62)
    print(
        f"{'process start to client ready (interpreter included)':<52} {startup['process']:>9.3f}"
    )
    print(f"{'  import vtsms_gui.api.client':<52} {startup['import']:>9.3f}")
    print(
        f"{'  VettrakClient(...) (loads zeep, parses the WSDL)':<52} {startup['construct']:>9.3f}"
    )
    print(f"{'send 5,000 recipients with zeep (build, POST, parse)':<52} {zeep_seconds:>9.3f}")
    print(f"{'send 5,000 recipients: lxml envelope, requests.post':<52} {lxml_seconds:>9.3f}")
    print("-" * 62)
    print(f"request {size / 1e6:.2f} MB; zeep / lxml ratio {ratio:.2f} (target <= {TARGET_RATIO})")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"{verdict}: zeep is {ratio:.2f}x the hand-built request")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
