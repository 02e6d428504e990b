#!/usr/bin/env bash
# Pack dist/vtsms-gui.app into a compressed disk image that opens on the app and an Applications
# shortcut to drag it onto. macOS only (hdiutil). packaging/build.py calls it after PyInstaller:
#
#   packaging/macos/make_dmg.sh APP VERSION OUT_FOLDER
#
# OPTIONAL signing and notarisation, each done only when its variables are set (without them the
# .dmg works, but Gatekeeper makes users right-click > Open the first time):
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Your Org (TEAMID)", in the keychain. The
#                         spec already signed the app with it; here it signs the .dmg.
#   MACOS_NOTARY_PROFILE  a profile saved with `xcrun notarytool store-credentials`, or instead
#   APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD (an app-specific password).
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 APP VERSION OUT_FOLDER" >&2
  exit 2
fi
app=${1%/}
version=$2
out_folder=$3
name=vtsms-gui

command -v hdiutil >/dev/null || { echo "make_dmg: hdiutil is missing: run this on macOS" >&2; exit 1; }
[ -x "$app/Contents/MacOS/$name" ] || { echo "make_dmg: $app is not the built app: run PyInstaller first" >&2; exit 1; }

# --- Optional: check the signature the spec applied --------------------------------------------
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --verify --strict --deep --verbose=2 "$app"
fi

staging=$(mktemp -d "${TMPDIR:-/tmp}/vtsms-dmg.XXXXXX")
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symlinks, permissions and extended attributes (signatures) intact.
ditto "$app" "$staging/$name.app"
ln -s /Applications "$staging/Applications"

mkdir -p "$out_folder"
dmg="$out_folder/$name-$version-macos-$(uname -m).dmg"
hdiutil create -volname "$name $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg" >/dev/null

# --- Optional: sign the disk image --------------------------------------------------------------
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
fi

# --- Optional: notarise and staple (needs a signed app and .dmg) ---------------------------------
notary_auth=()
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  notary_auth=(--keychain-profile "$MACOS_NOTARY_PROFILE")
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  notary_auth=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
fi
if [ ${#notary_auth[@]} -gt 0 ]; then
  [ -n "${MACOS_SIGN_IDENTITY:-}" ] || { echo "make_dmg: notarising needs MACOS_SIGN_IDENTITY" >&2; exit 1; }
  xcrun notarytool submit "$dmg" "${notary_auth[@]}" --wait
  xcrun stapler staple "$dmg"
fi

echo "$dmg"
