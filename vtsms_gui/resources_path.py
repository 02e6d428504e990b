"""Where the app's resources (icons) are: one helper for a source checkout, an installed
wheel and a PyInstaller bundle. No Qt here, so packaging and tests can use it too."""

from __future__ import annotations

import os
import sys
from pathlib import Path

RESOURCES_ENV = "VTSMS_RESOURCES"


def resources_dir() -> Path:
    """The `resources/` folder, looked for in this order: `$VTSMS_RESOURCES`, the PyInstaller
    bundle (`resources/` at its root), the installed wheel (`vtsms_gui/resources/`), and the
    source checkout (`resources/` beside `vtsms_gui/`)."""
    candidates: list[Path] = []
    if override := os.environ.get(RESOURCES_ENV):
        candidates.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    package = Path(__file__).resolve().parent
    candidates += [package / "resources", package.parent / "resources"]
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    return candidates[-1]
