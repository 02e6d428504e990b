"""`vtsms-gui` passes Qt's own arguments (`-platform offscreen`) on to Qt: under Wine the argument,
not the QT_QPA_PLATFORM environment variable, is what selects the platform plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_app(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vtsms_gui.ui.app", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={
            **os.environ,
            # A plugin that does not exist: only the -platform argument can make Qt start.
            "QT_QPA_PLATFORM": "no-such-platform",
            "VTSMS_HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "xdg"),
        },
    )


def test_the_platform_argument_reaches_qt(tmp_path: Path) -> None:
    done = run_app(["--smoke-test", "-platform", "offscreen"], tmp_path)
    assert done.returncode == 0, done.stderr


def test_an_argument_neither_the_app_nor_qt_knows_is_refused(tmp_path: Path) -> None:
    done = run_app(["--smoek-test", "-platform", "offscreen"], tmp_path)
    assert done.returncode == 2
    assert "unrecognized arguments: --smoek-test" in done.stderr
