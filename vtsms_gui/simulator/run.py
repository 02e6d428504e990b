"""`vtsms simulator`: run the demo VETtrak server in the foreground until Ctrl+C."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TextIO

from vtsms_gui.simulator.server import DEMO_PASSWORD, DEMO_USERNAME, SimulatorServer

EXIT_OK = 0
EXIT_CANNOT_START = 1

_Restore = Callable[[], object]


def run_forever(
    port: int, host: str = "127.0.0.1", *, latency: float = 0.0, out: TextIO | None = None
) -> int:
    """Serve the demo simulator on host:port (0 picks a free port) until Ctrl+C or SIGTERM.

    Prints the URL and the demo login; returns 0 after a clean stop, 1 if it cannot start.
    """
    out = out or sys.stdout
    simulator = SimulatorServer(host=host, port=port, latency=latency)
    try:
        simulator.start()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"Could not start the VETtrak simulator on {host}:{port}: {reason}.", file=sys.stderr)
        print("Choose another port with --port.", file=sys.stderr)
        return EXIT_CANNOT_START
    print(f"VETtrak simulator running at {simulator.url}", file=out)
    print(f"WSDL: {simulator.wsdl_url}", file=out)
    print(f"Log in with username '{DEMO_USERNAME}' and password '{DEMO_PASSWORD}'.", file=out)
    print("No SMS leaves this computer. Press Ctrl+C to stop.", file=out, flush=True)
    stop = threading.Event()
    restore = _stop_on_sigterm(stop)
    try:
        while not stop.wait(0.5):  # a timed wait, so that Ctrl+C is seen promptly on Windows
            pass
    except KeyboardInterrupt:
        pass
    finally:
        restore()
        simulator.stop()
    print("VETtrak simulator stopped.", file=out, flush=True)
    return EXIT_OK


def _stop_on_sigterm(stop: threading.Event) -> _Restore:
    """Treat SIGTERM like Ctrl+C; returns what puts the old handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signal handlers can only be set from the main thread

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handler)
    return lambda: signal.signal(signal.SIGTERM, previous)
