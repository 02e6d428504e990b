"""VT_API's operations as plain values: TAuthenticate, recipients, results, status codes.

These are the simulator's own reading of the service (it does not share the client's), so
that the two sides can disagree and a test can catch it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# TAuthenticate.Status values (VETTRAK_API.md).
AUTH_OK = 1
AUTH_ERROR = -1
AUTH_EXPIRED = -2
AUTH_MISSING_REGISTRATION = -5

# TSMSResult.Status values. Choice: 1 for "queued"; -1 and -2 are documented.
RESULT_QUEUED = 1
RESULT_NO_MOBILE = -1
RESULT_CODE_NOT_FOUND = -2

MAX_CREDENTIAL_LENGTH = 50

LOGIN_FAILED = "Invalid Username/Password Combination."
LOGIN_OK = "Login successful."
TOKEN_EXPIRED = "Token has expired"  # noqa: S105 - a message, not a password
TOKEN_INVALID = "Invalid token."  # noqa: S105 - a message, not a password
SMS_NOT_REGISTERED = (
    "Your VETtrak registration does not include the SMS module. "
    "Contact VETtrak support to add the SMS extension."
)
SMS_ACTIVE = "The SMS service is active."
NO_MESSAGE = "There is no message to send: messageContent is empty."
REPLIES_NEED_CODES = (
    "Replies can only be accepted when every recipient has a client code: "
    "{count} recipient(s) have a mobile number only. Nothing was sent."
)
NOT_ENOUGH_CREDIT = (
    "Insufficient SMS credit: this send needs {needed} credit(s) but the balance is "
    "{balance}. Nothing was sent."
)


@dataclass(frozen=True)
class Auth:
    """A TAuthenticate, in the field order of the wire."""

    id: int
    token: str
    status: int
    status_message: str
    identifier: str
    token_type: str


FAILED_IDENTIFIER = "-1"


def failed_auth(status: int, message: str) -> Auth:
    return Auth(-1, "", status, message, FAILED_IDENTIFIER, "")


@dataclass(frozen=True)
class SmsStatusReply:
    auth: Auth
    sms_status: int
    status_message: str
    sms_balance: int


@dataclass(frozen=True)
class Recipient:
    """A TSMSRecipient as it arrived (None for an element that was absent or nil)."""

    client_code: str | None
    mobile: str | None


@dataclass(frozen=True)
class SendRequest:
    token: str | None
    message: str | None
    sender: str | None
    recipients: tuple[Recipient, ...]
    is_marketing: bool
    provider_id: str | None
    accept_replies: bool | None
    schedule: dt.datetime | None


@dataclass(frozen=True)
class RecipientResult:
    client_code: str | None
    mobile: str | None
    status: int


@dataclass(frozen=True)
class SendReply:
    """`results` is None when the whole call failed (the list is then absent on the wire)."""

    auth: Auth
    sms_sent: int
    sms_balance: int
    results: tuple[RecipientResult, ...] | None
