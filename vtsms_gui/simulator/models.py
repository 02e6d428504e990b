"""Values the simulator shares with tests and the demo window: clients, sent SMS, request log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

# How the simulator echoes MobilePhone in TSMSResult: real servers may reformat numbers, so
# tests can make it do so to prove that results are matched by number, not by text.
EchoFormat = Literal["as_sent", "national", "international", "e164"]

SoapVersion = Literal["1.1", "1.2"]


@dataclass
class SimClient:
    """One VETtrak client (student). `code` is a string: leading zeros matter."""

    code: str
    first_name: str
    last_name: str
    mobile: str | None
    marketing_opt_out: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class SentSMS:
    """One SMS the simulated gateway accepted (queued and charged), for tests to count.

    `mobile` is the number it went to exactly as given or stored (invalid numbers are
    accepted and charged, as the real service does); `client_code` is set when the SMS
    history was recorded on a client; `request_id` groups the SMS of one SendSMSMessages call.
    """

    client_code: str | None
    mobile: str
    message: str
    sender: str | None
    parts: int
    is_marketing: bool
    accept_replies: bool | None
    schedule: dt.datetime | None
    request_id: int
    sent_at: dt.datetime


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP request the simulator answered (or dropped).

    `operation` is the SOAP operation, "WSDL" for a WSDL download, or "" when the request
    never got as far as naming one; `fault` names the injected fault that shaped the reply.
    """

    method: str
    path: str
    operation: str
    soap_version: SoapVersion | None
    http_status: int | None
    fault: str | None = None
