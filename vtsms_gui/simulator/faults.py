"""Faults a test can order from the simulator, each for the next N calls of one operation."""

from __future__ import annotations

import enum
import threading
from collections import deque
from dataclasses import dataclass

# "WSDL" stands for `GET ...VT_API.asmx?WSDL`; the others are the SOAP operations.
SOAP_OPERATIONS = ("ValidateClient", "ValidateUser", "GetSMSStatus", "SendSMSMessages")
FAULT_TARGETS = (*SOAP_OPERATIONS, "WSDL")


class Fault(enum.Enum):
    """What goes wrong. Whether the call itself still happens is part of each fault's meaning.

    Not carried out (nothing recorded, nothing charged): HTTP_500_HTML, SOAP_FAULT and the
    hostile replies BILLION_LAUGHS, EXTERNAL_ENTITY and HUGE_BODY.
    Carried out, then the reply goes wrong: SLOW (the call is done at once and the reply
    waits `seconds`, so a client that times out leaves an SMS that did go out),
    DROP_AFTER_RECORD (the socket is shut with no reply), TRUNCATED_XML (half the reply).
    EXPIRE_TOKEN: the token presented expires just before the call, which then answers
    Auth.Status -2 and does nothing.
    """

    HTTP_500_HTML = "http_500_html"
    SOAP_FAULT = "soap_fault"
    SLOW = "slow"
    DROP_AFTER_RECORD = "drop_after_record"
    TRUNCATED_XML = "truncated_xml"
    EXPIRE_TOKEN = "expire_token"  # noqa: S105 - a fault's name, not a password
    BILLION_LAUGHS = "billion_laughs"
    EXTERNAL_ENTITY = "external_entity"
    HUGE_BODY = "huge_body"

    @property
    def runs_operation(self) -> bool:
        return self in _RUNS_OPERATION


_RUNS_OPERATION = frozenset(
    {Fault.SLOW, Fault.DROP_AFTER_RECORD, Fault.TRUNCATED_XML, Fault.EXPIRE_TOKEN}
)
_NOT_FOR_WSDL = frozenset({Fault.SOAP_FAULT, Fault.EXPIRE_TOKEN})
_TOKEN_OPERATIONS = frozenset({"GetSMSStatus", "SendSMSMessages"})


@dataclass(frozen=True)
class InjectedFault:
    fault: Fault
    seconds: float = 0.0
    size_mb: int = 0


@dataclass
class _Pending:
    fault: InjectedFault
    remaining: int
    skip: int = 0  # calls that pass untouched before the fault starts


class FaultQueue:
    """Thread-safe first-in-first-out faults per operation; each entry is used `times` times."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[_Pending]] = {}

    def add(
        self,
        fault: Fault,
        *,
        operation: str,
        times: int,
        seconds: float,
        size_mb: int,
        after: int = 0,
    ) -> None:
        _check(fault, operation=operation, times=times, seconds=seconds, size_mb=size_mb)
        if after < 0:
            raise ValueError("after must not be negative.")
        entry = InjectedFault(fault, seconds, size_mb)
        with self._lock:
            self._queues.setdefault(operation, deque()).append(_Pending(entry, times, after))

    def take(self, operation: str) -> InjectedFault | None:
        """The fault for this call of `operation`, if one is waiting (and count it as used)."""
        with self._lock:
            queue = self._queues.get(operation)
            if not queue:
                return None
            head = queue[0]
            if head.skip:
                head.skip -= 1
                return None
            head.remaining -= 1
            if head.remaining == 0:
                queue.popleft()
            return head.fault

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()


def _check(fault: Fault, *, operation: str, times: int, seconds: float, size_mb: int) -> None:
    if operation not in FAULT_TARGETS:
        raise ValueError(f"Unknown operation {operation!r}; expected one of {FAULT_TARGETS}.")
    if times < 1:
        raise ValueError("times must be at least 1.")
    if fault is Fault.SLOW and seconds <= 0:
        raise ValueError("Fault.SLOW needs seconds > 0.")
    if fault is Fault.HUGE_BODY and size_mb <= 0:
        raise ValueError("Fault.HUGE_BODY needs size_mb > 0.")
    if operation == "WSDL" and fault in _NOT_FOR_WSDL:
        raise ValueError(f"{fault.name} does not apply to the WSDL download.")
    if fault is Fault.EXPIRE_TOKEN and operation not in _TOKEN_OPERATIONS:
        raise ValueError(f"{operation} takes no token, so Fault.EXPIRE_TOKEN cannot apply.")
