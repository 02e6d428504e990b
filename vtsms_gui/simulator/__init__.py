"""A local VT_API server that behaves like VETtrak: the demo backend and the tests' peer.

Start one with `SimulatorServer` (a context manager; defaults are the demo data) or from the
command line with `run_forever`; order failures from it with `inject(Fault...)`.
"""

from vtsms_gui.simulator.faults import Fault
from vtsms_gui.simulator.models import EchoFormat, RequestRecord, SentSMS, SimClient
from vtsms_gui.simulator.run import run_forever
from vtsms_gui.simulator.sample_clients import PRACTICE_MESSAGE, demo_clients, practice_students
from vtsms_gui.simulator.server import DEMO_PASSWORD, DEMO_USERNAME, SimulatorServer

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "PRACTICE_MESSAGE",
    "EchoFormat",
    "Fault",
    "RequestRecord",
    "SentSMS",
    "SimClient",
    "SimulatorServer",
    "demo_clients",
    "practice_students",
    "run_forever",
]
