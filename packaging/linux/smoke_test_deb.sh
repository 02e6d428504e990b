#!/usr/bin/env bash
# On Debian or Ubuntu (as root, or with sudo): build the .deb, install it, start the INSTALLED app
# from /opt/vtsms-gui with --smoke-test under Xvfb, check it exits 0, print the .deb size, the
# installed size and the start-up time, then purge the package and check /opt/vtsms-gui is gone.
#
#   packaging/linux/smoke_test_deb.sh
#
# Environment: PYTHON (default python3) builds the venv in build/venv-packaging (kept between
# runs). An installed vtsms-gui package is replaced and removed: run it on a build machine.
set -euo pipefail

repo=$(realpath "$(dirname "$0")/../..")
python=${PYTHON:-python3}
venv="$repo/build/venv-packaging"
app=/opt/vtsms-gui
runs=3
started=$(date +%s)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

say() { printf 'smoke_test_deb: %s\n' "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }

[ -f /etc/debian_version ] || fail "this needs Debian or Ubuntu (apt-get and dpkg)"

say "installing the build and test tools (python3-venv, binutils, dpkg-dev, xvfb, ...)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || echo "smoke: apt-get update reported a failed index; going on" >&2
# binutils: PyInstaller reads libraries with objdump; dpkg-dev: dpkg-deb and dpkg-architecture;
# file and desktop-file-utils: the checks below.
$sudo apt-get install -y -qq --no-install-recommends \
  python3 python3-venv binutils dpkg-dev xvfb xauth file desktop-file-utils >/dev/null

# PyInstaller bundles libpython, which Debian's own python3 keeps in a separate package.
if [ "$(realpath "$(command -v "$python")")" = "$(realpath /usr/bin/python3 2>/dev/null)" ]; then
  $sudo apt-get install -y -qq --no-install-recommends \
    "libpython$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" >/dev/null
fi

say "building in $venv"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check "$repo" "pyinstaller>=6.10"
deb=$("$venv/bin/python" "$repo/packaging/build.py" | tail -n 1)
[ -f "$deb" ] || fail "the build printed no .deb path (got '$deb')"
built=$(date +%s)

installed_by_us=""
cleanup() {
  if [ -n "$installed_by_us" ] && dpkg -s vtsms-gui >/dev/null 2>&1; then
    $sudo apt-get purge -y -qq vtsms-gui >/dev/null || true
  fi
  rm -rf "$scratch_home"
}
scratch_home=$(mktemp -d "${TMPDIR:-/tmp}/vtsms-smoke-home.XXXXXX")
trap cleanup EXIT

say "installing $deb"
installed_by_us=1
$sudo apt-get install -y -qq "$deb" >/dev/null
[ -x "$app/vtsms-gui" ] || fail "$app/vtsms-gui is not installed"
for path in /usr/bin/vtsms-gui /usr/bin/vtsms /usr/share/applications/vtsms-gui.desktop \
  /usr/share/icons/hicolor/256x256/apps/vtsms-gui.png /usr/share/icons/hicolor/scalable/apps/vtsms-gui.svg; do
  [ -e "$path" ] || fail "$path is missing after installing"
done
# Errors fail; hints (such as "more than one main category") are only printed.
desktop-file-validate /usr/share/applications/vtsms-gui.desktop \
  || fail "the menu entry is not a valid .desktop file"

# Every library the bundle links must resolve on this system (bundled, or from Depends).
missing=$(find "$app" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
  | xargs -0 file --no-pad -F ' :' | awk -F ' :' '/ ELF /{print $1}' \
  | while read -r elf; do
      LD_LIBRARY_PATH="$app/_internal:$app/_internal/PySide6/Qt/lib" ldd "$elf" 2>/dev/null \
        | awk -v f="${elf#"$app"/}" '/not found/{print f ": " $1}'
    done)
[ -z "$missing" ] || fail "libraries not found (add their packages to Depends):
$missing"

# Each run is timed inside one Xvfb, so the display's own start-up is not counted. The app
# writes settings and its journal under HOME: a scratch one, removed on exit, keeps this clean.
say "starting $app/vtsms-gui --smoke-test under Xvfb, $runs times"
# An app stuck on an error dialog would never exit: `timeout` turns that into a failure (124).
# shellcheck disable=SC2016 # $1 and $2 are the inner shell's arguments
time_runs='for _ in $(seq "$1"); do
  start=$(date +%s%N)
  timeout 60 "$2/vtsms-gui" --smoke-test || exit $?
  echo $(( ($(date +%s%N) - start) / 1000000 ))
done'
timings=$(env HOME="$scratch_home" XDG_CONFIG_HOME="$scratch_home/.config" \
  XDG_DATA_HOME="$scratch_home/.local/share" XDG_STATE_HOME="$scratch_home/.local/state" \
  XDG_CACHE_HOME="$scratch_home/.cache" QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1280x800x24" bash -c "$time_runs" _ "$runs" "$app") \
  || fail "the installed app's --smoke-test exited with $?"
best_ms=$(printf '%s\n' "$timings" | sort -n | head -n 1)
"$app/vtsms" --version >/dev/null || fail "the installed vtsms command does not start"
# A client set-up loads truststore (the OS trust store): with it bundled, a closed port is
# "unreachable" (5); a missing module would be an unexpected error (2).
set +e
env HOME="$scratch_home" VTSMS_HOME="$scratch_home/vtsms" VTSMS_PASSWORD=x \
  "$app/vtsms" status --server https://127.0.0.1:9/VT_API.asmx -u x </dev/null 2>/dev/null
tls_code=$?
set -e
[ "$tls_code" -eq 5 ] || fail "the installed vtsms cannot set up TLS (exit $tls_code, not 5)"

deb_bytes=$(stat -c %s "$deb")
installed_kib=$(du -sk "$app" | cut -f1)

say "purging the package"
$sudo apt-get purge -y -qq vtsms-gui >/dev/null
installed_by_us=""
[ ! -e "$app" ] || fail "$app is still there after apt-get purge"
[ ! -e /usr/bin/vtsms-gui ] || fail "/usr/bin/vtsms-gui is still there after apt-get purge"

finished=$(date +%s)
say ".deb: $deb"
say ".deb size: $deb_bytes bytes ($(( deb_bytes / 1048576 )) MiB)"
say "installed size: $installed_kib KiB ($(( installed_kib / 1024 )) MiB) in $app"
say "start-up time (--smoke-test wall time, best of $runs): $best_ms ms (runs: ${timings//$'\n'/ })"
say "build took $(( built - started )) s; the whole smoke test $(( finished - started )) s"
say "PASSED"
