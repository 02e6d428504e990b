"""The connection check behind "Test connection" and `vtsms doctor`: one step at a time, from
the server's name to a sign-in, each saying what it found and, when it fails, what to tell IT.

Steps, in order: name lookup, TCP connect, TLS certificate, HTTP, the service description
(WSDL), sign-in. The check takes the app's own way to the server: the same proxy (then the name
lookup and TCP steps are of the proxy, and the tunnel through it is part of the TCP step), the
same trust store and organisation CA file, the same client for the WSDL and the sign-in.
After a failed step the remaining ones are skipped. No Qt: the window runs `check_connection`
in a worker thread and shows each step as `on_step` reports it.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import socket
import ssl
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from vtsms_gui.api.certificates import (
    CertificateInfo,
    describe_certificate,
    parse_certificate,
    tls_advice,
)
from vtsms_gui.api.config import ClientConfig
from vtsms_gui.api.connection_report import (
    HTTP,
    NAME_LOOKUP,
    NEEDED_OPERATIONS,
    SIGN_IN,
    STEP_NAMES,
    TCP_CONNECT,
    TLS,
    WSDL,
    CheckStep,
    ConnectionReport,
    StepFailed,
    StepStatus,
)
from vtsms_gui.api.errors import LoginRefused, VettrakError
from vtsms_gui.api.proxy import ProxyRoute, resolve_proxy
from vtsms_gui.api.service_url import wsdl_url

_log = logging.getLogger(__name__)
_MAX_PAGE_BYTES = 256 * 1024
_MAX_PROXY_REPLY_BYTES = 16 * 1024
_PROXY_SIGN_IN_TELL_IT = (
    "Your network's proxy asks for a sign-in (HTTP 407). Tell IT that the VETtrak app needs "
    "a proxy username and password it can use (Basic sign-in), or that the VETtrak server "
    "should be let through the proxy without one."
)


def check_connection(
    config: ClientConfig,
    *,
    username: str | None = None,
    password: str | None = None,
    on_step: Callable[[CheckStep], None] | None = None,
) -> ConnectionReport:
    """Run every step against `config`'s server; `on_step` is called as each one finishes.

    Sign-in runs only with both a username and a password. Never raises for a network
    problem: that is a failed step. Secrets (password, proxy password) never appear in it.
    """
    return _Check(config, username, password, on_step).run()


class _Check:
    def __init__(
        self,
        config: ClientConfig,
        username: str | None,
        password: str | None,
        on_step: Callable[[CheckStep], None] | None,
    ) -> None:
        self.config = config
        self.username = username
        self.password = password
        self.on_step = on_step
        parts = urlsplit(config.service_url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.route: ProxyRoute = resolve_proxy(
            config.service_url,
            config.proxy,
            username=config.proxy_username,
            password=config.proxy_password,
        )
        self.secrets = (*config.secrets, *self.route.secrets, password)
        from vtsms_gui.api.soap_log import remember_secrets

        remember_secrets(*self.secrets)  # no log record of the check can carry them
        self.addresses: list[str] = []
        self.steps: list[CheckStep] = []

    @property
    def via_proxy(self) -> bool:
        return self.route.proxy_url is not None

    @property
    def target(self) -> str:
        return f"{self.host}:{self.port}"

    def run(self) -> ConnectionReport:
        plan: list[tuple[str, Callable[[], str] | None, str]] = [
            (NAME_LOOKUP, self.name_lookup, ""),
            (TCP_CONNECT, self.tcp_connect, ""),
            (TLS, self.tls if self.https else None, "a plain http:// address has no certificate"),
            (HTTP, self.http, ""),
            (WSDL, self.wsdl, ""),
            (
                SIGN_IN,
                self.sign_in if self.username and self.password else None,
                "no password was given" if self.username else "no username was given",
            ),
        ]
        failed: str | None = None
        for name, action, why_skipped in plan:
            if failed is not None:
                self._finish(CheckStep(name, StepStatus.SKIPPED, f"not tried: {failed} failed"))
            elif action is None:
                self._finish(CheckStep(name, StepStatus.SKIPPED, f"skipped: {why_skipped}"))
            else:
                step = self._run(name, action)
                if step.status is StepStatus.FAILED:
                    failed = name
        report = ConnectionReport(self.config.service_url, self.route.display, tuple(self.steps))
        outcome = "all steps passed" if report.ok else f"{failed} failed"
        _log.info("Connection check of %s (%s): %s", self.target, report.proxy, outcome)
        return report

    def _run(self, name: str, action: Callable[[], str]) -> CheckStep:
        started = time.monotonic()
        try:
            details = action()
        except (StepFailed, VettrakError) as failure:
            # A VettrakError a step did not expect (an unreadable CA file met by the HTTP step
            # of an http:// address, say) is that step's failure too, never a crash.
            tell_it = failure.tell_it if isinstance(failure, StepFailed) else str(failure)
            details = self._clean(str(failure))
            step = CheckStep(
                name, StepStatus.FAILED, details, self._clean(tell_it), time.monotonic() - started
            )
        else:
            step = CheckStep(
                name, StepStatus.OK, self._clean(details), "", time.monotonic() - started
            )
        self._finish(step)
        return step

    def _finish(self, step: CheckStep) -> None:
        self.steps.append(step)
        # The support log keeps what the check found (already cleaned of secrets).
        if step.status is StepStatus.FAILED:
            said = f"{step.details} Tell IT: {step.tell_it}"
            _log.warning(
                "Connection check: %s failed after %.2f s: %s", step.name, step.seconds, said
            )
        else:
            _log.info("Connection check: %s %s: %s", step.name, step.status.value, step.details)
        if self.on_step is not None:
            self.on_step(step)

    def _clean(self, text: str) -> str:
        from vtsms_gui.api.soap_log import redact

        return redact(text, self.secrets)

    # --- the steps ---

    def _connect_point(self) -> tuple[str, int]:
        if self.via_proxy:
            return self.route.host or "", self.route.port or 80
        return self.host, self.port

    def _proxy_words(self) -> str:
        return f"the proxy {self.route.display}"

    def name_lookup(self) -> str:
        host, port = self._connect_point()
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            if self.via_proxy:
                raise StepFailed(
                    f"The proxy's name '{host}' could not be looked up ({exc}).",
                    f"The proxy '{host}' (from {self.route.source}) could not be found by "
                    "name. Ask IT which proxy this computer should use.",
                ) from None
            raise StepFailed(
                f"'{host}' could not be looked up ({exc}).",
                f"The name '{host}' could not be found (DNS). Check the address for typing "
                f"mistakes; if it is right, ask IT whether this computer can look up '{host}'.",
            ) from None
        self.addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        found = f"{host} is {', '.join(self.addresses[:4])}"
        if self.via_proxy:
            return (
                f"Through {self._proxy_words()}: this is the proxy's name; {found}. The proxy "
                f"looks up {self.host} itself."
            )
        return found

    def tcp_connect(self) -> str:
        host, port = self._connect_point()
        started = time.monotonic()
        sock = self._tcp(host, port)
        elapsed = (time.monotonic() - started) * 1000
        try:
            peer = sock.getpeername()[0]
            if not self.via_proxy:
                return f"Connected to {host} port {port} ({peer}) in {elapsed:.0f} ms."
            if not self.https:
                return (
                    f"Connected to {self._proxy_words()} ({peer}) in {elapsed:.0f} ms; it "
                    f"forwards http:// requests to {self.target}."
                )
            self._tunnel(sock)
            return (
                f"Connected to {self._proxy_words()} ({peer}) in {elapsed:.0f} ms, and it "
                f"opened a tunnel (CONNECT) to {self.target}."
            )
        finally:
            sock.close()

    def _tcp(self, host: str, port: int) -> socket.socket:
        what = f"the proxy {host} port {port}" if self.via_proxy else f"{host} port {port}"
        try:
            return socket.create_connection((host, port), timeout=self.config.connect_timeout)
        except ConnectionRefusedError:
            raise StepFailed(
                f"{what} refused the connection.",
                f"Nothing answers on {what} (connection refused): the server may be down or "
                "the port number may be wrong."
                + (" Ask IT whether the proxy setting is right." if self.via_proxy else ""),
            ) from None
        except TimeoutError:
            raise StepFailed(
                f"No answer from {what} within {self.config.connect_timeout:g} seconds.",
                f"{what[:1].upper()}{what[1:]} did not answer within "
                f"{self.config.connect_timeout:g} seconds: a firewall may be blocking it, or "
                "this computer may need a proxy to reach it.",
            ) from None
        except OSError as exc:
            raise StepFailed(
                f"Could not connect to {what}: {exc}.",
                f"This computer could not connect to {what} ({exc.strerror or exc}). Ask IT "
                "whether the network lets this computer reach it.",
            ) from None

    def _tunnel(self, sock: socket.socket) -> None:
        """CONNECT through the proxy on `sock`, as requests does (Basic credentials)."""
        target = f"[{self.host}]:{self.port}" if ":" in self.host else self.target
        lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}"]
        if self.route.username:
            pair = f"{self.route.username}:{self.route.password or ''}".encode()
            lines.append(f"Proxy-Authorization: Basic {base64.b64encode(pair).decode('ascii')}")
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            reply = b""
            while b"\r\n\r\n" not in reply and len(reply) < _MAX_PROXY_REPLY_BYTES:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except OSError as exc:
            raise StepFailed(
                f"The proxy broke off while opening a tunnel to {self.target}: {exc}.",
                "The proxy closed the connection instead of connecting to the VETtrak server. "
                "Ask IT whether this proxy lets this computer reach it.",
            ) from None
        status_line = reply.split(b"\r\n", 1)[0].decode("latin-1", "replace")
        parts = status_line.split(" ", 2)
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        if status == 200:
            return
        if status == 407:
            raise StepFailed(
                f"The proxy answered {status_line!r}: it wants a sign-in"
                + (" and did not accept the one given." if self.route.username else "."),
                _PROXY_SIGN_IN_TELL_IT,
            )
        raise StepFailed(
            f"The proxy answered {status_line or 'nothing'!r} to CONNECT {self.target}.",
            f"The proxy {self.route.host} refused to connect to {self.target} "
            f"({status_line or 'no answer'}). Ask IT to let this computer reach "
            f"{self.host} port {self.port} through the proxy.",
        )

    def _open(self) -> socket.socket:
        """A connection to the server: direct, or a tunnel through the proxy."""
        host, port = self._connect_point()
        sock = self._tcp(host, port)
        if self.via_proxy:
            try:
                self._tunnel(sock)
            except BaseException:
                sock.close()
                raise
        sock.settimeout(self.config.connect_timeout + self.config.read_timeout)
        return sock

    def tls(self) -> str:
        from vtsms_gui.api.errors import TlsProblem
        from vtsms_gui.api.tls import trust_context

        der, version = self._peer_certificate()
        try:
            info: CertificateInfo | None = parse_certificate(der)
        except ValueError:
            info = None
        try:
            context = trust_context(self.config.ca_file)
        except TlsProblem as exc:
            raise StepFailed(str(exc), str(exc)) from None
        problem = self._verify(context)
        described = describe_certificate(info, version)
        if problem is None:
            how = "this computer trusts it"
            if self.config.ca_file and self._verify(trust_context(None)) is not None:
                how = f"trusted through the organisation's CA file ({self.config.ca_file})"
            return f"{described}; {how}."
        raise StepFailed(f"{described}. Refused: {problem}.", tls_advice(self.host, info, problem))

    def _peer_certificate(self) -> tuple[bytes, str]:
        # Only to read the certificate and name its issuer; nothing is sent over it. The real
        # check is _verify, with the app's own context.
        look = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        look.check_hostname = False
        look.verify_mode = ssl.CERT_NONE
        sock = self._open()
        try:
            with look.wrap_socket(sock, server_hostname=self.host) as tls:
                der = tls.getpeercert(binary_form=True)
                version = tls.version() or ""
        except (ssl.SSLError, OSError) as exc:
            raise StepFailed(
                f"No TLS handshake with {self.target}: {exc}.",
                f"{self.target} does not speak https (TLS) as expected ({exc}). Check the "
                "address and port; if they are right, a firewall or proxy may be interfering.",
            ) from None
        finally:
            sock.close()
        if not der:
            raise StepFailed(
                f"{self.target} sent no certificate.",
                f"The server {self.target} sent no certificate.",
            )
        return der, version

    def _verify(self, context: ssl.SSLContext) -> str | None:
        """None when `context` accepts the server (name included), else the reason."""
        sock = self._open()
        try:
            with context.wrap_socket(sock, server_hostname=self.host):
                return None
        except ssl.SSLCertVerificationError as exc:
            return str(exc.verify_message or exc)
        except (ssl.SSLError, OSError) as exc:
            return str(exc)
        finally:
            sock.close()

    def http(self) -> str:
        import requests

        from vtsms_gui.api.tls import secure_session

        try:
            with (
                secure_session(self.config.ca_file) as session,
                session.get(
                    self.config.service_url,
                    timeout=(self.config.connect_timeout, self.config.read_timeout),
                    allow_redirects=False,
                    stream=True,
                    proxies=self.route.for_requests(),
                ) as response,
            ):
                body = response.raw.read(_MAX_PAGE_BYTES, decode_content=True) or b""
                status, reason = response.status_code, response.reason or ""
                kind = response.headers.get("Content-Type", "no Content-Type")
                location = response.headers.get("Location", "")
        except requests.RequestException as exc:
            from vtsms_gui.api.error_translation import translate

            error = translate(exc, "HTTP", self.secrets)
            raise StepFailed(f"{error} [{error.technical}]", str(error)) from None
        title = _title(body)
        said = f"HTTP {status} {reason}".strip() + f" ({kind})" + (f", '{title}'" if title else "")
        if status == 200:
            return f"The web server answered: {said}."
        if status == 407:
            raise StepFailed(f"The proxy answered: {said}.", _PROXY_SIGN_IN_TELL_IT)
        if 300 <= status < 400:
            raise StepFailed(
                f"The web server answered {said}, sending the request to {location or '?'}.",
                f"The address sends requests elsewhere ({location or 'no new address given'}). "
                "Use the address of VT_API.asmx itself (VETtrak's API does not follow redirects).",
            )
        if status == 404:
            raise StepFailed(
                f"The web server answered {said}.",
                f"The web server {self.host} has no {urlsplit(self.config.service_url).path}: "
                "check the address of VT_API.asmx with the VETtrak administrator.",
            )
        if status in (401, 403):
            raise StepFailed(
                f"The web server answered {said}.",
                f"The web server {self.host} refuses access to VT_API.asmx (HTTP {status}). "
                "Ask the VETtrak administrator to allow this computer to use the VETtrak API.",
            )
        raise StepFailed(
            f"The web server answered {said}.",
            f"The web server {self.host} reports an error (HTTP {status}). Ask the VETtrak "
            "administrator to check the VETtrak API service.",
        )

    def wsdl(self) -> str:
        from vtsms_gui.api.soap_service import SoapService
        from vtsms_gui.api.wsdl_check import wsdl_shape

        live_config = dataclasses.replace(self.config, use_live_wsdl=True, cache_dir=None)
        try:
            service = SoapService(live_config)
        except VettrakError as exc:
            raise StepFailed(
                f"{wsdl_url(self.config.service_url)}: {exc}",
                "The address answers, but not with VETtrak's service description (VT_API): "
                f"{exc} Check that the address is the VETtrak API's VT_API.asmx.",
            ) from None
        try:
            shape = wsdl_shape(service.zeep_client, self.config.soap_version)
        finally:
            service.close()
        missing = [name for name in NEEDED_OPERATIONS if name not in shape]
        if missing:
            raise StepFailed(
                f"The service description has no {', '.join(missing)}.",
                f"This is not the VETtrak API this app needs: its service description has no "
                f"{', '.join(missing)}. Check the address with the VETtrak administrator.",
            )
        return f"VT_API offers {', '.join(NEEDED_OPERATIONS)} over SOAP {self.config.soap_version}."

    def sign_in(self) -> str:
        from vtsms_gui.api.client import VettrakClient

        username, password = self.username or "", self.password or ""
        try:
            with VettrakClient(self.config) as client:
                result = client.login(username, password)
        except LoginRefused as exc:
            raise StepFailed(
                str(exc),
                f"VETtrak did not accept the username '{username}' and its password. Check "
                "them; if they are right, ask the VETtrak administrator whether this account "
                'may use the VETtrak API (the "VETtrak API default role").',
            ) from None
        except VettrakError as exc:
            raise StepFailed(str(exc), str(exc)) from None
        return f"VETtrak accepted the sign-in of '{username}' (user ID {result.user_id})."


def _title(body: bytes) -> str:
    from lxml import html as lxml_html

    if not body.strip():
        return ""
    try:
        title = lxml_html.fromstring(body).findtext(".//title")
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return ""
    return " ".join((title or "").split())[:120]


__all__ = [
    "HTTP",
    "NAME_LOOKUP",
    "SIGN_IN",
    "STEP_NAMES",
    "TCP_CONNECT",
    "TLS",
    "WSDL",
    "CheckStep",
    "ConnectionReport",
    "StepStatus",
    "check_connection",
]
