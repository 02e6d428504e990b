"""What a connection check found, step by step: the steps' names, each step's result and the
whole report, as the window shows them and `vtsms doctor --json` prints them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

NAME_LOOKUP = "Name lookup"
TCP_CONNECT = "TCP connect"
TLS = "TLS certificate"
HTTP = "HTTP"
WSDL = "Service description (WSDL)"
SIGN_IN = "Sign-in"
STEP_NAMES = (NAME_LOOKUP, TCP_CONNECT, TLS, HTTP, WSDL, SIGN_IN)

NEEDED_OPERATIONS = ("ValidateClient", "GetSMSStatus", "SendSMSMessages")


class StepStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckStep:
    """One finished step. `tell_it` is set on a failed step: a plain sentence for IT support."""

    name: str
    status: StepStatus
    details: str
    tell_it: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is StepStatus.OK

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "details": self.details,
            "tell_it": self.tell_it,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class ConnectionReport:
    service_url: str
    proxy: str
    """How the server is reached, e.g. "no proxy (none set)" or "proxy:3128 (from ...)"."""
    steps: tuple[CheckStep, ...]

    @property
    def ok(self) -> bool:
        """True when no step failed (skipped ones, such as sign-in without a password, pass)."""
        return all(step.status is not StepStatus.FAILED for step in self.steps)

    @property
    def failed_step(self) -> CheckStep | None:
        return next((s for s in self.steps if s.status is StepStatus.FAILED), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "service_url": self.service_url,
            "proxy": self.proxy,
            "ok": self.ok,
            "steps": [step.as_dict() for step in self.steps],
        }


class StepFailed(Exception):
    def __init__(self, details: str, tell_it: str) -> None:
        super().__init__(details)
        self.details = details
        self.tell_it = tell_it
