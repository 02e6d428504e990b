"""The VETtrak client: log in, read the SMS status and balance, send one batch of SMS.

Importing this module is cheap; zeep loads when a `VettrakClient` is constructed, so the
window can appear first. Every failure is raised as a `vtsms_gui.api.errors.VettrakError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from vtsms_gui.api.config import ClientConfig
from vtsms_gui.api.errors import (
    LoginRefused,
    MalformedResponse,
    NotEnoughCredit,
    ServerRefused,
    SmsNotEnabled,
    TokenExpired,
)
from vtsms_gui.api.result_matching import RawResult
from vtsms_gui.api.soap_log import redact, remember_secrets
from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions

if TYPE_CHECKING:
    import requests

    from vtsms_gui.api.soap_log import SoapExchange
    from vtsms_gui.api.soap_service import SoapService

SEND_OPERATION = "SendSMSMessages"

_log = logging.getLogger(__name__)

# TAuthenticate.Status (VETTRAK_API.md)
AUTH_OK = 1
AUTH_ERROR = -1
AUTH_EXPIRED = -2
AUTH_MISSING_REGISTRATION = -5
AUTH_UNKNOWN = 0
AUTH_DB_ERROR = -3
# Whole-call answers to a send that may come from a failure part-way through it.
AUTH_MAY_HAVE_FAILED_MIDWAY = frozenset({AUTH_UNKNOWN, AUTH_DB_ERROR})


@dataclass(frozen=True)
class LoginResult:
    token: str = field(repr=False)
    user_id: int
    identifier: str
    token_type: str
    message: str


@dataclass(frozen=True)
class SmsStatus:
    """`sms_status` is VETtrak's raw SmsStatus (its values are not publicly documented)."""

    sms_status: int
    balance: int
    message: str


@dataclass(frozen=True)
class BatchResponse:
    sms_sent: int
    balance: int
    results: tuple[RawResult, ...]


@dataclass(frozen=True)
class _Auth:
    status: int
    message: str
    token: str
    user_id: int
    identifier: str
    token_type: str


class VettrakClient:
    """One logged-in conversation with a VETtrak server; use from one thread at a time.

    After a token expiry (-2) the client logs in again once (with `relogin`, else with the
    username and password of the last `login`, held in memory only) and repeats that call:
    the server refused it, so nothing went out. Nothing else is ever repeated.
    `on_exchange` receives every HTTP exchange with the token and password masked.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        session: requests.Session | None = None,
        relogin: Callable[[], str] | None = None,
        on_exchange: Callable[[SoapExchange], None] | None = None,
    ) -> None:
        # zeep and requests load here, not at import: the window shows before they are needed.
        from vtsms_gui.api.soap_service import SoapService

        self.config = config
        self.token: str | None = None
        self._relogin = relogin
        self._credentials: tuple[str, str] | None = None
        self._service: SoapService = SoapService(config, session=session, on_exchange=on_exchange)

    def close(self) -> None:
        self._service.close()

    def __enter__(self) -> VettrakClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "logged in" if self.token else "not logged in"
        return f"VettrakClient({self.config.service_url!r}, {state})"

    # --- operations ---

    def login(self, username: str, password: str) -> LoginResult:
        """ValidateClient; on success keeps the token (and the credentials, for one re-login)."""
        reply = self._service.call(
            "ValidateClient",
            {"sUsername": username, "sPassword": password},
            secrets=(password, self.token),
        )
        # zeep unwraps a reply with one part: this is the TAuthenticate itself.
        auth = _read_auth(reply, "ValidateClient")
        if auth.status == AUTH_ERROR:
            said = redact(auth.message, (password,))
            # The reply was an HTTP 200: without this the support log shows only a success.
            _log.warning("ValidateClient: VETtrak refused the sign-in of %r: %s", username, said)
            raise LoginRefused(
                _with_server_message("VETtrak did not accept this username and password.", said),
                status=auth.status,
                status_message=said,
            )
        if auth.status != AUTH_OK:
            raise _refusal(auth, "ValidateClient", (password,))
        if not auth.token:
            raise MalformedResponse("VETtrak accepted the login but sent no token.")
        remember_secrets(auth.token)  # the support log scrubs it from every record
        self.token = auth.token
        self._credentials = (username, password)
        return LoginResult(
            token=auth.token,
            user_id=auth.user_id,
            identifier=auth.identifier,
            token_type=auth.token_type,
            message=auth.message,
        )

    def get_sms_status(self) -> SmsStatus:
        """GetSMSStatus: whether SMS is active, and the prepaid credit left."""
        reply = self._call_with_token("GetSMSStatus", {})
        return SmsStatus(
            sms_status=_required_int(reply, "SmsStatus", "GetSMSStatus"),
            balance=_required_int(reply, "SmsBalance", "GetSMSStatus"),
            message=_text(reply, "StatusMessage"),
        )

    def send_batch(
        self, message: str, recipients: Sequence[PlannedRecipient], options: SendOptions
    ) -> BatchResponse:
        """One SendSMSMessages call. Never repeated automatically unless the token expired."""
        if not recipients:
            raise ValueError("A batch needs at least one recipient.")
        params = {
            "messageContent": message,
            "sender": options.sender,
            "isMarketing": options.marketing,
            "providerId": options.provider_id,
            "acceptReplies": options.accept_replies,
            "scheduleDate": _schedule(options.schedule),
        }
        reply = self._call_with_token(SEND_OPERATION, params, recipients)
        return BatchResponse(
            sms_sent=_required_int(reply, "SmsSent", SEND_OPERATION),
            balance=_required_int(reply, "SmsBalance", SEND_OPERATION),
            results=self._service.last_results,
        )

    # --- token handling ---

    def _call_with_token(
        self,
        operation: str,
        params: dict[str, Any],
        recipients: Sequence[PlannedRecipient] | None = None,
    ) -> Any:
        if self.token is None:
            raise TokenExpired("Log in to VETtrak first.", status=None)

        def call() -> tuple[Any, _Auth]:
            reply = self._service.call(
                operation,
                {"token": self.token, **params},
                secrets=self._secrets(),
                recipients=recipients,
            )
            return reply, _read_auth(_field(reply, "Auth", operation), operation)

        reply, auth = call()
        if auth.status == AUTH_EXPIRED and self._can_log_in_again():
            # The server refused the call, so repeating it once after a new login is safe.
            self._log_in_again()
            reply, auth = call()
        if auth.status != AUTH_OK:
            raise _refusal(auth, operation, self._secrets())
        return reply

    def _can_log_in_again(self) -> bool:
        return self._relogin is not None or self._credentials is not None

    def _log_in_again(self) -> None:
        if self._relogin is not None:
            self.token = self._relogin()
        elif self._credentials is not None:
            self.login(*self._credentials)

    def _secrets(self) -> tuple[str | None, ...]:
        password = self._credentials[1] if self._credentials else None
        return (self.token, password)


def _schedule(schedule: datetime | None) -> datetime | None:
    """None is sent as xsi:nil (send now); a time keeps its UTC offset, to the second."""
    if schedule is None:
        return None
    if schedule.utcoffset() is None:
        raise ValueError("A scheduled time needs a time zone (UTC offset).")
    return schedule.replace(microsecond=0)


def _refusal(auth: _Auth, operation: str, secrets: Sequence[str | None]) -> ServerRefused:
    """The error for an Auth.Status other than 1; the server's message is kept, scrubbed."""
    said = redact(auth.message, secrets)
    _log.warning("%s: VETtrak refused it (status %s): %s", operation, auth.status, said)
    error: type[ServerRefused] = ServerRefused
    summary = f"VETtrak refused the request (status {auth.status})."
    if auth.status == AUTH_EXPIRED:
        error, summary, said = TokenExpired, "Your VETtrak login has expired. Log in again.", ""
    elif auth.status == AUTH_MISSING_REGISTRATION and operation != "ValidateClient":
        error, summary = SmsNotEnabled, "This VETtrak server's registration does not include SMS."
    elif operation == SEND_OPERATION and "credit" in said.casefold():
        # VETtrak's wording is not documented: the word "credit" is the one sure part.
        error = NotEnoughCredit
        summary = "There is not enough SMS credit for this batch; nothing was sent."
    elif operation == SEND_OPERATION and auth.status in AUTH_MAY_HAVE_FAILED_MIDWAY:
        summary = (
            f"VETtrak reported a problem while sending this batch (status {auth.status}), so "
            "some SMS may have gone out: check the SMS history in VETtrak before resending."
        )
        return ServerRefused(
            _with_server_message(summary, said),
            status=auth.status,
            status_message=said,
            may_have_sent=True,
        )
    return error(_with_server_message(summary, said), status=auth.status, status_message=said)


def _with_server_message(summary: str, server_message: str) -> str:
    shown = server_message.strip()
    return f"{summary} VETtrak says: {shown}" if shown else summary


# --- reading zeep's reply objects (attribute access only: no zeep import needed) ---


def _field_or_none(value: Any, name: str) -> Any:
    return getattr(value, name, None)


def _field(value: Any, name: str, operation: str) -> Any:
    found = _field_or_none(value, name)
    if found is None:
        raise _malformed(operation, f"The reply has no {name}.")
    return found


def _required_int(value: Any, name: str, operation: str) -> int:
    found = _field_or_none(value, name)
    if not isinstance(found, int) or isinstance(found, bool):
        raise _malformed(operation, f"The reply's {name} is missing or not a number.")
    return found


def _text(value: Any, name: str) -> str:
    found = _field_or_none(value, name)
    return found if isinstance(found, str) else ""


def _int_or(value: Any, name: str, default: int) -> int:
    found = _field_or_none(value, name)
    return found if isinstance(found, int) and not isinstance(found, bool) else default


def _read_auth(auth: Any, operation: str) -> _Auth:
    return _Auth(
        status=_required_int(auth, "Status", operation),
        message=_text(auth, "StatusMessage"),
        token=_text(auth, "Token"),
        user_id=_int_or(auth, "ID", -1),
        identifier=_text(auth, "Identifier"),
        token_type=_text(auth, "TokenType"),
    )


def _malformed(operation: str, technical: str) -> MalformedResponse:
    if operation == SEND_OPERATION:
        return MalformedResponse(
            "VETtrak's reply to the send could not be read, so it is not known whether these "
            "SMS went out. Check the SMS history in VETtrak before sending them again.",
            may_have_sent=True,
            technical=technical,
        )
    return MalformedResponse("VETtrak's reply could not be read. " + technical, technical=technical)
