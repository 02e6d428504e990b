"""The VETtrak simulator for wine_smoke.sh, on the Linux side: serves on 127.0.0.1 (a free port),
writes its URL to argv[1], and on SIGTERM writes what it received to argv[2] as JSON (the SMS
accepted and the count of each SOAP operation; no token, no password), then exits.

    python packaging/windows/smoke_simulator.py URL_FILE REPORT_FILE
"""

from __future__ import annotations

import collections
import json
import signal
import sys
import threading
from pathlib import Path

from vtsms_gui.simulator import SimulatorServer


def main() -> int:
    url_file, report_file = Path(sys.argv[1]), Path(sys.argv[2])
    simulator = SimulatorServer(host="127.0.0.1", port=0).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    url_file.write_text(simulator.url, encoding="utf-8")
    while not stop.wait(0.2):
        pass
    operations = collections.Counter(record.operation for record in simulator.requests)
    sent = [{"mobile": sms.mobile, "message": sms.message} for sms in simulator.sent]
    report = {"sent": sent, "operations": dict(operations)}
    report_file.write_text(json.dumps(report, indent=1), encoding="utf-8")
    simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
