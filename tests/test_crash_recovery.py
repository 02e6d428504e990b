"""A `vtsms send` killed with SIGKILL in the middle of a multi-batch send: after a restart the
journal says which batches went, which one is unknown and which were never sent, and
`vtsms resume` sends only the never-sent rows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from vtsms_gui.simulator import Fault, SimulatorServer

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

NUMBERS = [f"04915701{n:02d}" for n in range(10, 19)]  # three batches of three


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0) as server:
        yield server


def vtsms(*argv: str) -> list[str]:
    return [sys.executable, "-m", "vtsms_gui", *argv]


def run_vtsms(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        vtsms(*argv), env=env, capture_output=True, text=True, timeout=60, check=False
    )


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VTSMS_")}
    env.update(
        VTSMS_HOME=str(home),
        VTSMS_PASSWORD="demo",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def test_sigkill_mid_send_then_history_and_resume(sim: SimulatorServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = environment(home)
    # Batch 2 is carried out by the simulator, whose reply then hangs: the sender is killed
    # while that batch is in flight.
    sim.inject(Fault.SLOW, after=1, seconds=60)
    to = [arg for number in NUMBERS for arg in ("--to", number)]
    sender = subprocess.Popen(
        vtsms("send", "--server", sim.url, "-u", "demo", "-m", "Hi", "--batch-size", "3",
              "--yes", "--json", *to),
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(lambda: len(sim.sent) == 6)
        time.sleep(0.2)  # the reply to batch 2 is being held back: the sender is waiting
        os.kill(sender.pid, signal.SIGKILL)
        assert sender.wait(timeout=30) == -signal.SIGKILL
    finally:
        if sender.poll() is None:
            sender.kill()
        sender.communicate()

    after_restart = run_vtsms(env, "history", "--json")
    assert after_restart.returncode == 0, after_restart.stderr
    assert "may or may not have received" in after_restart.stderr
    [send] = json.loads(after_restart.stdout)["sends"]
    outcomes = [r["outcome"] for r in send["recipients"]]
    assert outcomes == ["sent"] * 3 + ["unknown"] * 3 + ["not_sent"] * 3

    sim.clear_faults()
    resumed = run_vtsms(
        env, "resume", send["send_id"], "--server", sim.url, "-u", "demo", "--yes", "--json"
    )
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert result["send_id"] == send["send_id"]
    assert [r["mobile"] for r in result["recipients"]] == NUMBERS[6:]
    sent = Counter(s.mobile for s in sim.sent)
    assert sorted(sent) == sorted(NUMBERS) and set(sent.values()) == {1}

    final = json.loads(run_vtsms(env, "history", "--json").stdout)
    outcomes = [r["outcome"] for r in final["sends"][0]["recipients"]]
    assert outcomes == ["sent"] * 3 + ["unknown"] * 3 + ["sent"] * 3
