#!/usr/bin/env bash
# Run a command with a real, unlocked Secret Service: a private D-Bus session bus with its own
# gnome-keyring, whose login keyring lives in a throwaway folder (never the user's own).
#   usage: .ci/secret-service.sh COMMAND [ARG...]      e.g. .ci/secret-service.sh .venv/bin/pytest
# Needs the Debian packages dbus (dbus-run-session, dbus-send) and gnome-keyring.
# Exits with the command's status; the bus and the keyring daemon end with it.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "secret-service.sh: '$tool' is missing; install the Debian packages dbus and gnome-keyring" >&2
    exit 127
  fi
done

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/vtsms-keyring.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
export VTSMS_CI_KEYRING_HOME="$keyring_home"

status=0
# Inside the private bus: start gnome-keyring, creating and unlocking a login keyring with a
# throwaway password read from stdin, wait until it owns the Secret Service name, then run the
# command. VTSMS_EXPECT_SECRET_SERVICE makes the secret_service tests fail rather than skip if
# the service is missing after all, so a broken set-up cannot pass as "skipped".
# (As root in a container dbus-daemon warns "Failed to set fd limit": harmless.)
# shellcheck disable=SC2016  # the inner script expands its own variables
dbus-run-session -- bash -euo pipefail -c '
  printf %s "vtsms-ci-keyring" |
    XDG_DATA_HOME="$VTSMS_CI_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  for _ in $(seq 50); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep "boolean true" >/dev/null; then
      unset VTSMS_CI_KEYRING_HOME
      export VTSMS_EXPECT_SECRET_SERVICE=1
      exec "$@"
    fi
    sleep 0.1
  done
  echo "secret-service.sh: gnome-keyring did not start a Secret Service within 5 s" >&2
  exit 1
' secret-service "$@" || status=$?
exit "$status"
