"""SimulatorServer: a local VT_API.asmx on 127.0.0.1, run in a background thread.

    with SimulatorServer(port=0) as sim:
        sim.url   # 'http://127.0.0.1:PORT/VT_API.asmx'

Defaults are the demo: user demo/demo, 5,000 SMS credits, the sample client table.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType

from vtsms_gui.simulator.faults import Fault, FaultQueue
from vtsms_gui.simulator.http_server import SimulatorHTTPServer
from vtsms_gui.simulator.models import EchoFormat, RequestRecord, SentSMS, SimClient
from vtsms_gui.simulator.sample_clients import demo_clients
from vtsms_gui.simulator.service import SimulatedVetTrak
from vtsms_gui.simulator.soap_app import SoapApplication

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # noqa: S105 - the published demo login, not a secret
DEMO_BALANCE = 5000
SERVICE_PATH = "/VT_API.asmx"
MAX_REQUEST_BYTES = 4 * 1024 * 1024  # ASP.NET's default maxRequestLength (4,096 KB)
_STOP_TIMEOUT = 5.0
_POLL_SECONDS = 0.05  # how often serve_forever looks for a stop request


class SimulatorServer:
    """A VT_API server for tests and the demo. Every method is safe to call from any thread."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        balance: int = DEMO_BALANCE,
        token_idle_minutes: float = 60,
        clock: Callable[[], float] = time.monotonic,
        sms_enabled: bool = True,
        clients: Iterable[SimClient] | None = None,
        users: Mapping[str, str] | None = None,
        latency: float = 0.0,
        shuffle_results: bool = False,
        echo_format: EchoFormat = "as_sent",
        random_seed: int | None = None,
        token_factory: Callable[[], str] | None = None,
        max_request_bytes: int = MAX_REQUEST_BYTES,
    ) -> None:
        """`clients` defaults to the demo table and `users` to {"demo": "demo"}.

        `clock` (seconds, like time.monotonic) times token expiry, so tests can move time
        on; `latency` delays every SOAP reply; `shuffle_results` (seeded by `random_seed`)
        returns TSMSResults out of request order; `echo_format` reformats echoed numbers;
        `token_factory` replaces the random token generator.
        """
        self._host = host
        self._port = port
        self._faults = FaultQueue()
        self._service = SimulatedVetTrak(
            balance=balance,
            token_idle_minutes=token_idle_minutes,
            clock=clock,
            sms_enabled=sms_enabled,
            clients=demo_clients() if clients is None else clients,
            users={DEMO_USERNAME: DEMO_PASSWORD} if users is None else users,
            shuffle_results=shuffle_results,
            echo_format=echo_format,
            random_seed=random_seed,
            token_factory=token_factory,
        )
        self._app = SoapApplication(
            self._service, self._faults, latency=latency, max_request_bytes=max_request_bytes
        )
        self._lifecycle = threading.Lock()
        self._http: SimulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- running ---

    def start(self) -> SimulatorServer:
        """Bind the port and serve in a background thread. Raises OSError if the port is taken."""
        with self._lifecycle:
            if self._http is not None:
                raise RuntimeError("The simulator is already running.")
            http = SimulatorHTTPServer((self._host, self._port), self._app)
            shown = f"[{self._host}]" if ":" in self._host else self._host
            self._app.origin = f"http://{shown}:{http.server_port}"
            self._thread = threading.Thread(
                target=http.serve_forever,
                kwargs={"poll_interval": _POLL_SECONDS},
                name="vtsms-simulator",
                daemon=True,
            )
            self._http = http
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end every connection and its thread, and free the port. Idempotent."""
        with self._lifecycle:
            http, thread = self._http, self._thread
            self._http = self._thread = None
        if http is None or thread is None:
            return
        http.stopping.set()
        http.shutdown()
        http.server_close()
        http.close_all(_STOP_TIMEOUT)
        thread.join(_STOP_TIMEOUT)

    @property
    def running(self) -> bool:
        return self._http is not None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The service URL, e.g. 'http://127.0.0.1:PORT/VT_API.asmx' (once started)."""
        if not self._app.origin:
            raise RuntimeError("The simulator has not been started yet.")
        return self._app.origin + SERVICE_PATH

    @property
    def wsdl_url(self) -> str:
        return self.url + "?WSDL"

    # --- the simulated VETtrak ---

    def add_user(self, username: str, password: str) -> None:
        self._service.add_user(username, password)

    @property
    def balance(self) -> int:
        return self._service.balance

    def set_balance(self, balance: int) -> None:
        self._service.set_balance(balance)

    def set_sms_enabled(self, enabled: bool) -> None:
        """False: the registration lacks the SMS module (Auth.Status -5 on SMS calls)."""
        self._service.set_sms_enabled(enabled)

    @property
    def clients(self) -> list[SimClient]:
        return self._service.clients

    @property
    def sent(self) -> list[SentSMS]:
        """Every SMS accepted so far, in the order they were queued."""
        return self._service.sent

    @property
    def requests(self) -> list[RequestRecord]:
        """Every HTTP request answered (or dropped) so far, oldest first."""
        return self._app.requests

    def expire_all_tokens(self) -> None:
        self._service.expire_all_tokens()

    # --- faults ---

    def inject(
        self,
        fault: Fault,
        *,
        operation: str = "SendSMSMessages",
        times: int = 1,
        seconds: float = 0,
        size_mb: int = 0,
        after: int = 0,
    ) -> None:
        """Make the next `times` calls of `operation` ("WSDL" for the WSDL download) fail so,
        once `after` calls have passed untouched (e.g. after=1: the second batch fails).

        `seconds` is the delay of Fault.SLOW; `size_mb` the size of Fault.HUGE_BODY.
        Faults queue up per operation and are used in the order given.
        """
        self._faults.add(
            fault,
            operation=operation,
            times=times,
            seconds=seconds,
            size_mb=size_mb,
            after=after,
        )

    def clear_faults(self) -> None:
        self._faults.clear()
