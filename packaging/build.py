"""Build the app for this operating system: PyInstaller, then the installer people download
(.deb on Linux, .dmg on macOS, Inno Setup setup.exe on Windows). Prints the installer's path.

    python packaging/build.py            (after `pip install . pyinstaller`; Windows: Inno Setup 6)
    python packaging/build.py --version  (the version, for CI file names)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import bundle_contents as bc

DIST = bc.ROOT / "dist"
WORK = bc.ROOT / "build" / "pyinstaller"
SPEC = bc.PACKAGING / "vtsms-gui.spec"


def freeze_command(python: str = sys.executable) -> list[str]:
    return [
        python,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        f"--distpath={DIST}",
        f"--workpath={WORK}",
        str(SPEC),
    ]


def find_iscc() -> str:
    """Inno Setup's compiler: on PATH, or where its installer puts it."""
    found = shutil.which("iscc")
    if found:
        return found
    default = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    candidate = default / "Inno Setup 6" / "ISCC.exe"
    if candidate.is_file():
        return str(candidate)
    raise FileNotFoundError("Inno Setup 6 is not installed (https://jrsoftware.org/isinfo.php)")


def installer_command(platform: str, version: str, iscc: str = "iscc") -> list[str]:
    """The command that turns the PyInstaller output into the installer for `platform`."""
    if platform == "win32":
        numeric = ".".join(map(str, bc.numeric_version(version)))
        return [
            iscc,
            "/Qp",
            f"/DAppVersion={version}",
            f"/DAppVersionNumeric={numeric}",
            f"/DAppFolder={DIST / bc.APP_NAME}",
            f"/DOutputDir={DIST}",
            str(bc.PACKAGING / "windows" / "vtsms-gui.iss"),
        ]
    if platform == "darwin":
        script = bc.PACKAGING / "macos" / "make_dmg.sh"
        return ["bash", str(script), str(DIST / f"{bc.APP_NAME}.app"), version, str(DIST)]
    script = bc.PACKAGING / "linux" / "build_deb.sh"
    return ["bash", str(script), str(DIST / bc.APP_NAME), version, str(DIST)]


def newest_installer(platform: str) -> Path:
    pattern = {"win32": "*-setup.exe", "darwin": "*.dmg"}.get(platform, "*.deb")
    return max(DIST.glob(pattern), key=lambda path: path.stat().st_mtime)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build vtsms-gui and its installer.")
    parser.add_argument("--version", action="store_true", help="print the version and stop")
    parser.add_argument("--freeze-only", action="store_true", help="run PyInstaller only")
    args = parser.parse_args(argv)
    version = bc.project_version()
    if args.version:
        print(version)
        return 0
    subprocess.run(freeze_command(), check=True)  # noqa: S603 - our own fixed command
    if args.freeze_only:
        print(DIST / bc.APP_NAME)
        return 0
    iscc = find_iscc() if sys.platform == "win32" else "iscc"
    command = installer_command(sys.platform, version, iscc)
    subprocess.run(command, check=True)  # noqa: S603 - our own fixed command
    print(newest_installer(sys.platform))
    return 0


if __name__ == "__main__":
    sys.exit(main())
