"""The simulated VETtrak behind the SOAP layer: users, tokens, clients, SMS credit, sent SMS.

Thread-safe: every public method holds one lock, so a balance check and its charge are one
step even when many HTTP requests arrive at once. Where the real service's behaviour is not
documented, the comment says "Choice:"; a client must not rely on those beyond VETTRAK_API.md.
"""

from __future__ import annotations

import datetime as dt
import hmac
import random
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import phonenumbers

from vtsms_gui.simulator.api_values import (
    AUTH_ERROR,
    AUTH_EXPIRED,
    AUTH_MISSING_REGISTRATION,
    AUTH_OK,
    LOGIN_FAILED,
    LOGIN_OK,
    MAX_CREDENTIAL_LENGTH,
    NO_MESSAGE,
    NOT_ENOUGH_CREDIT,
    REPLIES_NEED_CODES,
    RESULT_CODE_NOT_FOUND,
    RESULT_NO_MOBILE,
    RESULT_QUEUED,
    SMS_ACTIVE,
    SMS_NOT_REGISTERED,
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    Auth,
    Recipient,
    RecipientResult,
    SendReply,
    SendRequest,
    SmsStatusReply,
    failed_auth,
)
from vtsms_gui.simulator.models import EchoFormat, SentSMS, SimClient
from vtsms_gui.simulator.tokens import random_token


@dataclass(frozen=True)
class _User:
    username: str
    password: str = field(repr=False)
    id: int
    identifier: str
    token_type: str


@dataclass
class _Session:
    user: _User
    last_used: float
    expired: bool = False


@dataclass(frozen=True)
class _Planned:
    """One recipient's fate before anything is charged."""

    result: RecipientResult
    send_to: str | None
    client_code: str | None


class SimulatedVetTrak:
    """The state and rules of one VETtrak server, with no HTTP or XML in sight."""

    def __init__(
        self,
        *,
        balance: int,
        token_idle_minutes: float,
        clock: Callable[[], float],
        sms_enabled: bool,
        clients: Iterable[SimClient],
        users: Mapping[str, str],
        shuffle_results: bool,
        echo_format: EchoFormat,
        random_seed: int | None,
        token_factory: Callable[[], str] | None,
    ) -> None:
        self._lock = threading.Lock()
        self._balance = balance
        self._idle_seconds = token_idle_minutes * 60.0
        self._clock = clock
        self._sms_enabled = sms_enabled
        self._clients = {client.code: client for client in clients}
        self._users: dict[str, _User] = {}
        self._sessions: dict[str, _Session] = {}
        self._sent: list[SentSMS] = []
        self._shuffle = shuffle_results
        self._echo_format: EchoFormat = echo_format
        # Only the order of results is random here; tokens always come from `secrets`.
        self._random = random.Random(random_seed)  # noqa: S311
        self._new_token = token_factory or random_token
        self._request_ids = 0
        for username, password in users.items():
            self._add_user(username, password)

    # --- settings and inspection (for tests and the demo window) ---

    def add_user(self, username: str, password: str) -> None:
        with self._lock:
            self._add_user(username, password)

    def _add_user(self, username: str, password: str) -> None:
        number = len(self._users) + 1
        # Choice: usernames match case-insensitively, passwords exactly.
        # TokenType "03": a client who is a staff member, as the API user must be.
        self._users[username.casefold()] = _User(
            username,
            password,
            1000 + number,
            identifier=f"9{number:04d}",
            token_type="03",  # noqa: S106
        )

    @property
    def balance(self) -> int:
        with self._lock:
            return self._balance

    def set_balance(self, balance: int) -> None:
        with self._lock:
            self._balance = balance

    def set_sms_enabled(self, enabled: bool) -> None:
        with self._lock:
            self._sms_enabled = enabled

    @property
    def sent(self) -> list[SentSMS]:
        with self._lock:
            return list(self._sent)

    @property
    def clients(self) -> list[SimClient]:
        with self._lock:
            return list(self._clients.values())

    def expire_all_tokens(self) -> None:
        with self._lock:
            for session in self._sessions.values():
                session.expired = True

    # --- the operations ---

    def validate(self, username: str | None, password: str | None) -> Auth:
        """ValidateClient / ValidateUser: a new token for a known user, else Status -1."""
        username, password = username or "", password or ""
        with self._lock:
            user = self._users.get(username.casefold())
            too_long = max(len(username), len(password)) > MAX_CREDENTIAL_LENGTH
            if user is None or too_long or not _same(password, user.password):
                return failed_auth(AUTH_ERROR, LOGIN_FAILED)
            token = self._new_token()
            self._sessions[token] = _Session(user, self._clock())
            return _auth_for(user, token, AUTH_OK, LOGIN_OK)

    def sms_status(self, token: str | None, *, expire_first: bool = False) -> SmsStatusReply:
        with self._lock:
            auth = self._authorise(token, expire_first=expire_first)
            if auth.status != AUTH_OK:
                return SmsStatusReply(auth, 0, auth.status_message, 0)
            if not self._sms_enabled:
                refused = _with_status(auth, AUTH_MISSING_REGISTRATION, SMS_NOT_REGISTERED)
                return SmsStatusReply(refused, 0, SMS_NOT_REGISTERED, 0)
            return SmsStatusReply(auth, 1, SMS_ACTIVE, self._balance)

    def send(
        self, request: SendRequest, parts: Callable[[str], int], *, expire_first: bool = False
    ) -> SendReply:
        """SendSMSMessages. `parts` counts the SMS parts of a message (GSM-7 / UCS-2 rules).

        The whole call fails, sending nothing, for a bad token, a missing SMS module, an
        empty message, acceptReplies with a recipient lacking a client code, or too little
        credit. Otherwise every recipient with Status 1 is queued and charged `parts` credits.
        """
        with self._lock:
            auth = self._authorise(request.token, expire_first=expire_first)
            if auth.status == AUTH_OK:
                auth = self._refusal(auth, request)
            if auth.status != AUTH_OK:
                return SendReply(auth, 0, self._balance, None)
            message = request.message or ""
            per_sms = parts(message)
            planned = [
                plan
                for plan in (self._plan(r, request.is_marketing) for r in request.recipients)
                if plan is not None
            ]
            to_send = [plan for plan in planned if plan.result.status == RESULT_QUEUED]
            needed = per_sms * len(to_send)
            if needed > self._balance:
                message_text = NOT_ENOUGH_CREDIT.format(needed=needed, balance=self._balance)
                return SendReply(
                    _with_status(auth, AUTH_ERROR, message_text), 0, self._balance, None
                )
            self._balance -= needed
            self._record(request, message, per_sms, to_send)
            results = [plan.result for plan in planned]
            if self._shuffle:
                self._random.shuffle(results)
            return SendReply(auth, len(to_send), self._balance, tuple(results))

    # --- inner workings (called with the lock held) ---

    def _authorise(self, token: str | None, *, expire_first: bool) -> Auth:
        session = self._sessions.get(token or "")
        if session is None:
            # Choice: a token never issued is an error (-1), not an expiry (-2).
            return failed_auth(AUTH_ERROR, TOKEN_INVALID)
        now = self._clock()
        if expire_first or now - session.last_used >= self._idle_seconds:
            session.expired = True
        if session.expired:
            return failed_auth(AUTH_EXPIRED, TOKEN_EXPIRED)
        session.last_used = now
        assert token is not None
        return _auth_for(session.user, token, AUTH_OK, "")

    def _refusal(self, auth: Auth, request: SendRequest) -> Auth:
        """The reason the whole send is refused after a good token, as an Auth (or `auth`)."""
        if not self._sms_enabled:
            return _with_status(auth, AUTH_MISSING_REGISTRATION, SMS_NOT_REGISTERED)
        if not request.message:
            return _with_status(auth, AUTH_ERROR, NO_MESSAGE)
        if request.accept_replies:
            # Choice: the gateway can route a reply only to a client's history, so one
            # recipient without a client code fails the whole call, before any charge.
            uncoded = sum(1 for r in request.recipients if not _clean(r.client_code))
            if uncoded:
                return _with_status(auth, AUTH_ERROR, REPLIES_NEED_CODES.format(count=uncoded))
        return auth

    def _plan(self, recipient: Recipient, is_marketing: bool) -> _Planned | None:
        """What happens to one recipient; None when it is left out of the results."""
        code, mobile = _clean(recipient.client_code), _clean(recipient.mobile)
        if code is None:
            if mobile is None:
                return self._planned(recipient, RESULT_NO_MOBILE)
            # A number alone is sent as given, valid or not (and charged), with no history.
            return self._planned(recipient, RESULT_QUEUED, send_to=mobile)
        client = self._clients.get(code)
        if client is None:
            return self._planned(recipient, RESULT_CODE_NOT_FOUND)
        if is_marketing and client.marketing_opt_out:
            return None
        send_to = mobile or _clean(client.mobile)
        if send_to is None:
            return self._planned(recipient, RESULT_NO_MOBILE)
        return self._planned(recipient, RESULT_QUEUED, send_to=send_to, client_code=code)

    def _planned(
        self,
        recipient: Recipient,
        status: int,
        *,
        send_to: str | None = None,
        client_code: str | None = None,
    ) -> _Planned:
        echoed = _echo(send_to, self._echo_format) if send_to else recipient.mobile
        return _Planned(
            RecipientResult(recipient.client_code, echoed, status), send_to, client_code
        )

    def _record(
        self, request: SendRequest, message: str, parts: int, to_send: list[_Planned]
    ) -> None:
        self._request_ids += 1
        now = dt.datetime.now(dt.UTC)
        for plan in to_send:
            assert plan.send_to is not None
            self._sent.append(
                SentSMS(
                    client_code=plan.client_code,
                    mobile=plan.send_to,
                    message=message,
                    sender=request.sender,
                    parts=parts,
                    is_marketing=request.is_marketing,
                    accept_replies=request.accept_replies,
                    schedule=request.schedule,
                    request_id=self._request_ids,
                    sent_at=now,
                )
            )


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _auth_for(user: _User, token: str, status: int, message: str) -> Auth:
    return Auth(user.id, token, status, message, user.identifier, user.token_type)


def _with_status(auth: Auth, status: int, message: str) -> Auth:
    return Auth(auth.id, auth.token, status, message, auth.identifier, auth.token_type)


_FORMATS = {
    "national": phonenumbers.PhoneNumberFormat.NATIONAL,
    "international": phonenumbers.PhoneNumberFormat.E164,
    "e164": phonenumbers.PhoneNumberFormat.E164,
}


def _echo(number: str, echo_format: EchoFormat) -> str:
    """The number as the server writes it back: as sent, or reformatted (spaces dropped)."""
    if echo_format == "as_sent":
        return number
    try:
        parsed = phonenumbers.parse(number, "AU")
    except phonenumbers.NumberParseException:
        return number
    shaped = phonenumbers.format_number(parsed, _FORMATS[echo_format]).replace(" ", "")
    return shaped.lstrip("+") if echo_format == "international" else shaped
