"""The HTTP side: a threaded stdlib server that can close every connection and thread on stop.

http.server is enough for a loopback test peer and adds no dependency. What it lacks, and is
added here, is a prompt stop: open keep-alive connections are shut and their threads joined,
and waits (slow replies, latency) end as soon as the server stops.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from vtsms_gui.simulator.hostile import HUGE_FILLER
from vtsms_gui.simulator.soap_app import Reply, SoapApplication

_log = logging.getLogger(__name__)

IDLE_CONNECTION_SECONDS = 120.0  # IIS's default connection timeout
DRAIN_LIMIT = 64 * 1024 * 1024  # larger refused bodies are not read: the socket is closed
_CHUNK = 64 * 1024


class SimulatorHTTPServer(ThreadingHTTPServer):
    """One thread per connection, all of them tracked so that `close_all` can end them."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], app: SoapApplication) -> None:
        self.app = app
        self.stopping = threading.Event()
        self._tracking = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"vtsms-simulator-connection-{client_address[1]}",
            daemon=True,
        )
        with self._tracking:
            self._connections.add(request)
            self._workers.add(worker)
        worker.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._tracking:
                self._workers.discard(threading.current_thread())

    def shutdown_request(self, request: Any) -> None:
        with self._tracking:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-reply is normal here (timeouts, hostile-body tests).
        _log.debug("Connection from %s ended with an error", client_address, exc_info=True)

    def close_all(self, timeout: float) -> None:
        """Wake every waiting reply, shut every open connection, and join their threads."""
        self.stopping.set()
        with self._tracking:
            connections = list(self._connections)
            workers = list(self._workers)
        for connection in connections:
            _shut(connection)
        for worker in workers:
            worker.join(timeout)


class _Handler(BaseHTTPRequestHandler):
    server: SimulatorHTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive, as IIS does
    timeout = IDLE_CONNECTION_SECONDS

    def version_string(self) -> str:
        return "Microsoft-IIS/10.0"

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._send(self.server.app.get(self.path))

    def do_POST(self) -> None:
        app = self.server.app
        path = self.path.partition("?")[0]
        length = self._content_length()
        if length is None or length > app.max_request_bytes:
            if length is not None and length <= DRAIN_LIMIT:
                self._discard(length)  # so that the client is not cut off mid-upload
            self._send(app.refuse_body(path, length_known=length is not None))
            return
        body = self.rfile.read(length)
        self._send(app.post(self.path, self.headers, body))

    def _discard(self, length: int) -> None:
        while length > 0:
            piece = self.rfile.read(min(length, _CHUNK))
            if not piece:
                return
            length -= len(piece)

    def _content_length(self) -> int | None:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return None
        return length if length >= 0 else None

    def _send(self, reply: Reply) -> None:
        if reply.delay and self.server.stopping.wait(reply.delay):
            self._hang_up()
            return
        if reply.drop:
            self._hang_up()
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body) + reply.filler + len(reply.tail)))
        self.send_header("Cache-Control", "private, max-age=0")
        self.send_header("X-AspNet-Version", "4.0.30319")
        self.send_header("X-Powered-By", "ASP.NET")
        # Echo the close when the client asked for it too: without the header urllib3 would
        # reuse a socket this server is about to shut.
        if reply.close or self.close_connection:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(reply.body)
        self._write_filler(reply.filler)
        self.wfile.write(reply.tail)

    def _write_filler(self, size: int) -> None:
        chunk = HUGE_FILLER * _CHUNK
        while size > 0 and not self.server.stopping.is_set():
            piece = chunk[: min(size, _CHUNK)]
            self.wfile.write(piece)
            size -= len(piece)

    def _hang_up(self) -> None:
        """Shut the socket with no reply: the client sees the connection drop."""
        self.close_connection = True
        _shut(self.connection)


def _shut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the client
        connection.shutdown(socket.SHUT_RDWR)
