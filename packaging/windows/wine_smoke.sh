#!/usr/bin/env bash
# After packaging/windows/wine_build.sh: install dist/vtsms-gui-X.Y.Z-setup.exe under Wine as a
# user would (silently, per-user), start the INSTALLED app and command line, sign in to the
# simulator, keep the token in Wine's Credential Manager, send to two recipients, uninstall, and
# check what must go went and what must stay stayed. Exits non-zero naming the failed step.
#
#   bash packaging/windows/wine_smoke.sh
#
# A fresh Wine prefix (build/wine/smoke-prefix, removed first) stands for a new Windows user.
# What it cannot prove: Qt's native `windows` platform plugin aborts under Wine 8 (exit 3, after a
# failed WinRT lookup of Windows.UI.ViewManagement.UISettings), so the installed vtsms-gui.exe is
# started with `-platform offscreen`: everything else of the frozen app runs (Python, Qt, the
# window being built and painted), but not the native window itself.
set -euo pipefail

# Inno Setup's setup.exe and uninstaller make their (hidden) wizard windows even when silent, and
# Wine needs an X display for any window: without one they stop at "Error reading
# FPreparingMemo.Lines.Strings". Xvfb stands in for the screen; Qt itself stays offscreen (below).
if [ -z "${DISPLAY:-}" ]; then
  command -v xvfb-run >/dev/null || { echo "wine_smoke: FAILED: no X display and no xvfb-run (apt-get install xvfb xauth)" >&2; exit 1; }
  exec xvfb-run -a bash "$0" "$@"
fi

repo=$(realpath "$(dirname "$0")/../..")
work="$repo/build/wine"
pydir="$work/python"            # the build's Windows Python: reads the Credential Manager back
export WINEPREFIX="$work/smoke-prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
host_python=${PYTHON:-python3}
runs=3
started=$(date +%s)
app_id="{3C542303-DD29-4347-81FB-36758E190A97}"   # AppId in vtsms-gui.iss
uninstall_key="HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${app_id}_is1"

say() { printf 'wine_smoke: %s\n' "$*"; }
current_step="start"
step() { current_step=$1; say "step: $1"; }
fail() { say "FAILED in step: $current_step: $*" >&2; exit 1; }
# Wine 8 gives a Windows console program an invalid handle when its stdout or stderr is a
# regular file (Python then dies in init_sys_streams): pipes always work.
win() { wine "$@" </dev/null 2> >(cat >&2) | cat; }
win_text() { win "$@" | tr -d '\r'; }

sim_pid=""
cleanup() {
  rc=$?
  [ -z "$sim_pid" ] || kill "$sim_pid" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  [ $rc -eq 0 ] || say "FAILED in step: $current_step (exit $rc)" >&2
}
trap cleanup EXIT

step "finding the setup.exe"
version=$("$host_python" "$repo/packaging/build.py" --version)
setup="$repo/dist/vtsms-gui-$version-setup.exe"
[ -f "$setup" ] || fail "$setup is missing: run packaging/windows/wine_build.sh first"
command -v wine >/dev/null || fail "wine is not installed: run packaging/windows/wine_build.sh first"

step "creating a fresh Wine prefix (a new Windows user) in $WINEPREFIX"
rm -rf "$WINEPREFIX"
wineboot -i >/dev/null 2>&1
# Debian's Wine 8 makes a Windows 7 prefix; the installer (MinVersion=10.0) and Qt 6 need 10.
winecfg -v win10 >/dev/null 2>&1
wineserver -w
localappdata=$(winepath -u "$(win_text cmd /c echo %LOCALAPPDATA%)")
appdata=$(winepath -u "$(win_text cmd /c echo %APPDATA%)")
localappdata=${localappdata%/}
appdata=${appdata%/}
install_dir="$localappdata/Programs/vtsms-gui"
shortcut="$appdata/Microsoft/Windows/Start Menu/Programs/vtsms-gui.lnk"

step "installing silently for the current user (/VERYSILENT /CURRENTUSER /SUPPRESSMSGBOXES)"
install_start=$(date +%s)
win "$setup" /VERYSILENT /CURRENTUSER /SUPPRESSMSGBOXES
wineserver -w
install_seconds=$(( $(date +%s) - install_start ))
for exe in vtsms-gui.exe vtsms.exe unins000.exe; do
  [ -f "$install_dir/$exe" ] || fail "$install_dir/$exe is not installed"
done

step "checking the Start menu shortcut and the uninstaller entry (Settings > Apps)"
[ -f "$shortcut" ] || fail "no Start menu shortcut at $shortcut"
entry=$(win_text reg query "$uninstall_key") || fail "no uninstaller entry $uninstall_key"
for value in DisplayName DisplayVersion UninstallString InstallLocation; do
  grep -q "$value" <<<"$entry" || fail "the uninstaller entry has no $value"
done
grep -q "DisplayVersion.*$version" <<<"$entry" || fail "the uninstaller entry is not version $version"
grep -qi 'unins000.exe' <<<"$entry" || fail "the uninstaller entry does not run unins000.exe"

step "starting the installed vtsms-gui.exe --smoke-test -platform offscreen, $runs times"
# -platform offscreen: the native `windows` plugin aborts under Wine 8 (see the top). It is an
# argument, not QT_QPA_PLATFORM: the variable set here did not reach Qt under Wine.
timings=""
for _ in $(seq "$runs"); do
  t0=$(date +%s%N)
  set +e
  timeout 180 wine "$install_dir/vtsms-gui.exe" --smoke-test -platform offscreen </dev/null 2>&1 | cat >/dev/null
  code=${PIPESTATUS[0]}
  set -e
  [ "$code" -eq 0 ] || fail "vtsms-gui.exe --smoke-test exited with $code"
  timings="$timings $(( ($(date +%s%N) - t0) / 1000000 ))"
done
best_ms=$(tr ' ' '\n' <<<"$timings" | sed '/^$/d' | sort -n | head -n 1)

step "starting the installed vtsms.exe --version"
cli_version=$(win_text "$install_dir/vtsms.exe" --version) || fail "vtsms.exe --version failed"
grep -q "$version" <<<"$cli_version" || fail "vtsms.exe --version printed '$cli_version', not $version"

step "starting the simulator on 127.0.0.1 (Linux side)"
url_file="$work/smoke-sim-url"
report="$work/smoke-sim-report.json"
rm -f "$url_file" "$report"
(cd "$repo" && exec "$host_python" packaging/windows/smoke_simulator.py "$url_file" "$report") &
sim_pid=$!
for _ in $(seq 100); do [ -s "$url_file" ] && break; sleep 0.1; done
[ -s "$url_file" ] || fail "the simulator did not start"
server=$(cat "$url_file")
# The simulator's published demo login (vtsms_gui.simulator.DEMO_USERNAME/DEMO_PASSWORD).
cli=("$install_dir/vtsms.exe")
common=(--server "$server" --username demo --allow-http)

step "signing in with the installed vtsms.exe (the token goes to Wine's Credential Manager)"
VTSMS_PASSWORD=demo win "${cli[@]}" status "${common[@]}" >/dev/null \
  || fail "vtsms.exe status could not sign in"

step "reading the token back through keyring's Windows backend"
# Only whether it is there and which backend holds it is printed: never the token.
found=$(win_text "$pydir/python.exe" -c "
import sys, keyring
from keyring.backends.Windows import WinVaultKeyring
backend = keyring.get_keyring()
key = sys.argv[1].rstrip('/') + '|demo|token'
print(type(backend).__module__ + '.' + type(backend).__name__, isinstance(backend, WinVaultKeyring), keyring.get_password('vtsms-gui', key) is not None)
" "$server") || fail "the Windows Python could not read the Credential Manager"
say "keyring backend and token found: $found"
[ "$found" = "keyring.backends.Windows.WinVaultKeyring True True" ] \
  || fail "the token is not in Wine's Credential Manager through WinVaultKeyring ($found)"
# And the installed app itself signs in with it: no password given this time.
win "${cli[@]}" status "${common[@]}" >/dev/null \
  || fail "vtsms.exe status without a password did not reuse the stored token"

step "sending to two recipients with the installed vtsms.exe"
message="vtsms-gui Wine smoke test"
win "${cli[@]}" send "${common[@]}" --to 0412345678 --to 0412345679 -m "$message" --yes --json \
  >/dev/null || fail "vtsms.exe send did not send to both recipients"
kill "$sim_pid"
wait "$sim_pid" || true
sim_pid=""
"$host_python" - "$report" "$message" <<'PY' || fail "the simulator did not receive both SMS"
import json, sys
report = json.load(open(sys.argv[1]))
got = sorted(s["mobile"] for s in report["sent"] if s["message"] == sys.argv[2])
print("wine_smoke: simulator received:", got, "logins:", report["operations"].get("ValidateClient"))
assert len(got) == 2, got
# One sign-in: the second status and the send reused the token from the Credential Manager.
assert report["operations"].get("ValidateClient") == 1, report["operations"]
PY
user_data="$localappdata/vtsms-gui"
[ -d "$user_data" ] || fail "no user data folder $user_data after sending (history)"
installed_kib=$(du -sk "$install_dir" | cut -f1)

step "uninstalling (unins000.exe /VERYSILENT)"
win "$install_dir/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES
# The uninstaller runs from a copy in %TEMP% and returns at once: wait for it to finish.
for _ in $(seq 120); do [ -e "$install_dir" ] || break; sleep 0.5; done
wineserver -w
[ ! -e "$install_dir" ] || fail "$install_dir is still there after uninstalling"
[ ! -e "$shortcut" ] || fail "the Start menu shortcut is still there after uninstalling"
if win_text reg query "$uninstall_key" >/dev/null 2>&1; then fail "the uninstaller entry is still there"; fi
[ -n "$(find "$user_data" -type f | head -n 1)" ] || fail "the user's history in $user_data was removed"
win_text reg query 'HKCU\Software\vtsms\vtsms-gui' >/dev/null 2>&1 \
  || fail "the user's window settings (HKCU\\Software\\vtsms\\vtsms-gui) were removed"

setup_bytes=$(stat -c %s "$setup")
finished=$(date +%s)
current_step="done"
say "setup.exe: $setup"
[ ! -f "$work/setup-compiler.txt" ] || say "setup.exe compiled by: $(cat "$work/setup-compiler.txt")"
say "setup.exe size: $setup_bytes bytes ($(( setup_bytes / 1048576 )) MiB; goal <= 60 MiB)"
say "installed size: $installed_kib KiB ($(( installed_kib / 1024 )) MiB) in $install_dir"
say "install took $install_seconds s"
say "start to --smoke-test exit under Wine (-platform offscreen), best of $runs: $best_ms ms (runs:$timings)"
say "user data kept after uninstalling: $user_data and HKCU\\Software\\vtsms\\vtsms-gui"
say "the whole smoke test $(( finished - started )) s"
say "PASSED"
