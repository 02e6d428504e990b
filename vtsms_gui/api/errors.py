"""Every way a VETtrak call can fail, as one exception class each, with a plain-English message
and whether any SMS may have gone out. No zeep or requests here: the window imports this early.
"""

from __future__ import annotations


class VettrakError(Exception):
    """Base class. `str(exc)` is the message for the user; `technical` is for a support report.

    `may_have_sent` is True only when a SendSMSMessages request may have reached the server
    and its outcome is not known: such a batch must never be resent automatically.
    Messages and `technical` never contain the token or password (the client scrubs them).
    """

    may_have_sent_by_default = False

    def __init__(
        self, message: str, *, may_have_sent: bool | None = None, technical: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.may_have_sent = (
            self.may_have_sent_by_default if may_have_sent is None else may_have_sent
        )
        self.technical = technical

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, may_have_sent={self.may_have_sent})"


class CannotConnect(VettrakError):
    """The server could not be reached (unknown name, refused, no network): nothing was sent."""


class ProxyAuthRequired(CannotConnect):
    """The network's proxy asked for a sign-in (HTTP 407) or refused the one given: nothing
    reached VETtrak. A CannotConnect, so callers that only know that class still stop safely."""


class ProxyProblem(CannotConnect):
    """The proxy could not be reached, or it refused to connect to the VETtrak server."""


class TlsProblem(VettrakError):
    """The server's certificate could not be trusted: nothing was sent."""


class ServerErrorPage(VettrakError):
    """The server answered with an HTTP error page instead of a SOAP reply.

    A 5xx page after a SendSMSMessages request means the outcome is unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int,
        title: str = "",
        may_have_sent: bool | None = None,
        technical: str = "",
    ) -> None:
        super().__init__(message, may_have_sent=may_have_sent, technical=technical)
        self.http_status = http_status
        self.title = title


class SoapFault(VettrakError):
    """The server answered with a SOAP fault: it failed to process the request.

    A fault blaming the request (soap:Client / Sender) means it was rejected before anything
    ran; one from inside the server (soap:Server / Receiver) after a SendSMSMessages request
    may have come after some SMS were queued, so that batch's outcome is unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        fault_message: str = "",
        technical: str = "",
        may_have_sent: bool = False,
    ) -> None:
        super().__init__(message, may_have_sent=may_have_sent, technical=technical)
        self.fault_message = fault_message


class ServerRefused(VettrakError):
    """VETtrak answered but refused the request (Auth.Status not 1).

    Nothing was sent, except that an "unknown" (0) or "database error" (-3) answer to a send
    may come from a failure half-way through it: its outcome is then unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        status_message: str = "",
        may_have_sent: bool = False,
    ) -> None:
        super().__init__(message, may_have_sent=may_have_sent)
        self.status = status
        self.status_message = status_message


class LoginRefused(ServerRefused):
    """ValidateClient said -1: wrong username or password (or the account cannot use the API)."""


class TokenExpired(ServerRefused):
    """The login token expired (-2) and logging in again did not help or was not possible."""


class SmsNotEnabled(ServerRefused):
    """The VETtrak registration lacks the SMS extension (-5)."""


class NotEnoughCredit(ServerRefused):
    """The prepaid SMS credit does not cover the batch."""


class MalformedResponse(VettrakError):
    """The reply could not be read: not XML, cut off, too large, or with a forbidden DTD/entity.

    After a SendSMSMessages request the outcome is unknown.
    """


class OutcomeUnknown(VettrakError):
    """No answer: a timeout or a connection lost after the request was sent.

    After a SendSMSMessages request the SMS may have gone out; it is never retried
    automatically.
    """
