"""Office-network stand-ins on 127.0.0.1 for the tests: a private CA and a server certificate
it issued, a TLS front (TLS in front of the plain-HTTP simulator), and a CONNECT proxy that
tunnels, asks for Basic credentials, or always answers 407. Threaded, bounded, self-stopping.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import select
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

_IDLE_SECONDS = 5.0
_MAX_HEADER_BYTES = 16 * 1024


@dataclass(frozen=True)
class Pki:
    ca_file: Path
    cert_file: Path
    key_file: Path
    ca_name: str


def make_pki(folder: Path, ca_name: str = "Example Internal CA") -> Pki:
    """A CA and a certificate for 127.0.0.1 / localhost that it signed (PEM files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, ca_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example RTO"),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vettrak.test")]))
        .issuer_name(ca_subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key", ca_name)
    pki.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    pki.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pki.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pki


def relay(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until one side closes or both stay idle for a while."""
    sockets = [a, b]
    while True:
        readable, _, _ = select.select(sockets, [], [], _IDLE_SECONDS)
        if not readable:
            return
        for source in readable:
            try:
                data = source.recv(65536)
            except (OSError, ssl.SSLError):
                return
            if not data:
                return
            (b if source is a else a).sendall(data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 16


class _Background:
    """Runs a socketserver in a thread; a context manager that stops it."""

    def __init__(self, handler: type[socketserver.BaseRequestHandler]) -> None:
        self.server = _Server(("127.0.0.1", 0), handler)
        self.server.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def __enter__(self) -> Any:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


class _TlsFrontHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        front: TlsFront = self.server.owner  # type: ignore[attr-defined]
        self.request.settimeout(_IDLE_SECONDS)
        try:
            tls = front.context.wrap_socket(self.request, server_side=True)
        except (ssl.SSLError, OSError):
            front.refused_handshakes += 1
            return
        with tls, socket.create_connection(("127.0.0.1", front.backend_port), 5) as backend:
            relay(tls, backend)


class TlsFront(_Background):
    """https://127.0.0.1:PORT/... terminating TLS with `pki`'s certificate, relaying to the
    plain-HTTP server on `backend_port`."""

    def __init__(self, pki: Pki, backend_port: int) -> None:
        super().__init__(_TlsFrontHandler)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(pki.cert_file, pki.key_file)
        self.backend_port = backend_port
        self.refused_handshakes = 0

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/VT_API.asmx"


class _ProxyHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        proxy: ConnectProxy = self.server.owner  # type: ignore[attr-defined]
        self.request.settimeout(_IDLE_SECONDS)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < _MAX_HEADER_BYTES:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, target = [*lines[0].split(" "), "", ""][:2]
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        proxy.requests.append(f"{method} {target}")
        if proxy.always_407 or (
            proxy.credentials is not None
            and headers.get("proxy-authorization") != _basic(*proxy.credentials)
        ):
            self.request.sendall(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="office"\r\nContent-Length: 0\r\n'
                b"Connection: close\r\n\r\n"
            )
            return
        if method != "CONNECT":
            self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), 5)
        except OSError:
            self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        proxy.tunnels += 1
        with upstream:
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            relay(self.request, upstream)


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


class ConnectProxy(_Background):
    """An HTTP CONNECT proxy on 127.0.0.1: tunnels; with `credentials` it wants them (Basic);
    with `always_407` it refuses every request with 407."""

    def __init__(
        self, *, credentials: tuple[str, str] | None = None, always_407: bool = False
    ) -> None:
        super().__init__(_ProxyHandler)
        self.credentials = credentials
        self.always_407 = always_407
        self.requests: list[str] = []
        self.tunnels = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
