#!/usr/bin/env bash
# CI, Windows part (root or sudo, Debian 12): build the Windows setup.exe under Wine, then install
# it, start it, send through it and uninstall it (packaging/windows/wine_build.sh, wine_smoke.sh).
# Everything downloaded lives under build/ in the repository: nothing is cached elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "ci-windows: installing Wine, NSIS and Python"
# A mirror mid-sync fails single indexes; the packages needed are in the others.
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends \
  wine wine64 nsis unzip python3 python3-venv xvfb xauth >/dev/null

# A Linux Python with the project installed: it reads pyproject, downloads the Windows wheels
# and runs the simulator the installed Windows app talks to. The same venv as the .deb check.
venv=build/venv-packaging
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check .
export PYTHON="$PWD/$venv/bin/python"

# The installer: Inno Setup's ISCC from vtsms-gui.iss, as the real Windows build makes it. ISCC is
# 32-bit and needs Debian's wine32:i386; where a mirror mid-sync keeps that from installing,
# wine_build.sh falls back to makensis on a .nsi generated from the same .iss, and both scripts
# print which compiler made the setup.exe that was tested.
export INSTALLER=auto
echo "ci-windows: building the Windows app and setup.exe under Wine (installer: ISCC, else NSIS)"
bash packaging/windows/wine_build.sh
echo "ci-windows: installing, starting, sending through and uninstalling it under Wine"
bash packaging/windows/wine_smoke.sh
