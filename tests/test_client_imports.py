"""The window can appear before zeep loads: the api modules it imports early stay light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHT_MODULES = [
    "vtsms_gui.api",
    "vtsms_gui.api.service_url",
    "vtsms_gui.api.errors",
    "vtsms_gui.api.result_matching",
    "vtsms_gui.api.soap_log",
    "vtsms_gui.api.client",
    "vtsms_gui.api.send_runner",
]
HEAVY = ["zeep", "requests", "urllib3"]


def loaded_after(code: str) -> dict[str, bool]:
    script = (
        f"import json, sys\n{code}\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_api_loads_neither_zeep_nor_requests() -> None:
    imports = "\n".join(f"import {name}" for name in LIGHT_MODULES)
    assert loaded_after(imports) == dict.fromkeys(HEAVY, False)


def test_constructing_a_client_loads_zeep() -> None:
    code = (
        "from vtsms_gui.api.client import ClientConfig, VettrakClient\n"
        "VettrakClient(ClientConfig('http://127.0.0.1:9/VT_API.asmx')).close()"
    )
    assert loaded_after(code) == dict.fromkeys(HEAVY, True)
