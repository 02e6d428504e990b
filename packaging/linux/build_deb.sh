#!/usr/bin/env bash
# Build vtsms-gui_<version>_<arch>.deb from the PyInstaller folder (dist/vtsms-gui): the app in
# /opt/vtsms-gui, `vtsms-gui` and `vtsms` in /usr/bin, a .desktop entry and hicolor icons in
# /usr/share so it appears in the applications menu.
#
#   packaging/linux/build_deb.sh APP_FOLDER VERSION OUT_FOLDER
#
# packaging/build.py calls it after PyInstaller; it prints the path of the .deb it wrote.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 APP_FOLDER VERSION OUT_FOLDER" >&2
  exit 2
fi
app_folder=$(realpath "$1")
version=$2
out_folder=$(realpath -m "$3")
here=$(dirname "$(realpath "$0")")
repo=$(realpath "$here/../..")
icons="$repo/resources/icons/app"
name=vtsms-gui

for tool in dpkg-deb dpkg-architecture objdump; do
  command -v "$tool" >/dev/null || { echo "build_deb: $tool is missing (apt-get install dpkg-dev binutils)" >&2; exit 1; }
done
[ -x "$app_folder/$name" ] || { echo "build_deb: no $app_folder/$name: run PyInstaller first" >&2; exit 1; }

# Python's 1.2.0rc1 / 1.2.0.dev3 must sort before 1.2.0 for dpkg too: "~" sorts first.
deb_version=$(printf '%s' "$version" | sed -E 's/\.?(a|b|rc|dev)([0-9]*)$/~\1\2/')
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
staging=$(mktemp -d "${TMPDIR:-/tmp}/vtsms-deb.XXXXXX")
trap 'rm -rf "$staging"' EXIT
root="$staging/root"

install -d "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/DEBIAN" \
  "$root/usr/share/doc/$name" "$root/usr/share/icons/hicolor/scalable/apps"
cp -a "$app_folder" "$root/opt/$name"
ln -s "/opt/$name/vtsms-gui" "$root/usr/bin/vtsms-gui"
[ -x "$root/opt/$name/vtsms" ] && ln -s "/opt/$name/vtsms" "$root/usr/bin/vtsms"
install -m 644 "$here/$name.desktop" "$root/usr/share/applications/$name.desktop"
install -m 644 "$icons/$name.svg" "$root/usr/share/icons/hicolor/scalable/apps/$name.svg"
for png in "$icons/$name"-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/$name.png"
done
install -m 644 "$here/copyright" "$root/usr/share/doc/$name/copyright"
# dpkg installs files with the modes they have here: readable by all, writable by root only.
chmod -R u+rwX,go+rX,go-w "$root"

installed_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
# The newest glibc symbol version any bundled binary asks for (it depends on the build machine:
# build on the oldest distribution the package must run on).
# objdump fails on the data files among them: only its output for libraries counts.
glibc=$( (find "$root/opt" -type f -print0 | xargs -0 objdump -T 2>/dev/null || true) \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV | tail -n 1)
[ -n "$glibc" ] || { echo "build_deb: found no glibc symbol versions (is binutils installed?)" >&2; exit 1; }
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kib/" \
  -e "s/@GLIBC@/$glibc/" "$here/control.in" > "$root/DEBIAN/control"
install -m 755 "$here/postinst" "$here/postrm" "$root/DEBIAN/"

mkdir -p "$out_folder"
deb="$out_folder/${name}_${deb_version}_${arch}.deb"
# xz, not Ubuntu's default zstd: older Debian dpkg cannot open zstd packages.
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null

if command -v lintian >/dev/null; then
  # Informational: a PyInstaller bundle carries its own libraries, which lintian always flags.
  lintian --no-tag-display-limit "$deb" >&2 || true
fi
echo "$deb"
