"""Signing in from the command line, over the core's one Session: where the password comes
from (the keyring, else the VTSMS_PASSWORD environment variable, else a prompt) and the notes
the keyring leaves. Neither the password nor the token is ever printed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vtsms_gui.api.service_url import normalise_service_url
from vtsms_gui.cli.errors import NoPassword
from vtsms_gui.core.session import Session, SessionInfo

if TYPE_CHECKING:
    from vtsms_gui.api.client import SmsStatus, VettrakClient

PASSWORD_VARIABLE = "VTSMS_PASSWORD"  # noqa: S105 - the variable's name, not a password
PROXY_PASSWORD_VARIABLE = "VTSMS_PROXY_PASSWORD"  # noqa: S105 - a variable's name


@dataclass
class Connected:
    """A signed-in command: the core session and what it signed in to."""

    session: Session
    info: SessionInfo

    @property
    def client(self) -> VettrakClient:
        client = self.session.client
        assert client is not None, "a connected session has a client"
        return client

    @property
    def server(self) -> str:
        return self.info.server

    @property
    def username(self) -> str:
        return self.info.username

    @property
    def status(self) -> SmsStatus:
        return self.info.status


def connect(args: argparse.Namespace) -> Connected:
    """Sign in (reusing a stored token while the server accepts it) and read the balance.

    Raises ServiceUrlError, NoPassword or a VettrakError; the caller maps them to exit codes.
    """
    server = normalise_service_url(args.server, allow_http=args.allow_http)
    session = Session(
        ask_password=_password,
        on_note=_NoteOnce(),
        read_timeout=args.timeout,
        ca_file=args.ca_file,
        proxy=args.proxy,
        proxy_username=args.proxy_username,
    )
    proxy_password = os.environ.get(PROXY_PASSWORD_VARIABLE)
    if args.proxy and args.proxy_username and proxy_password:
        # Kept in memory for this command; the window's settings keep one in the keyring.
        from vtsms_gui.api.proxy import normalise_proxy_url

        session.keep_proxy_password_for_now(
            normalise_proxy_url(args.proxy), args.proxy_username, proxy_password
        )
    return Connected(session, session.connect(server, args.username, args.soap))


def _password(server: str, username: str) -> str:
    return os.environ.get(PASSWORD_VARIABLE) or _prompt(username)


class _NoteOnce:
    """Prints each keyring note once: a re-login mid-send would repeat it."""

    def __init__(self) -> None:
        self._shown: set[str] = set()

    def __call__(self, note: str) -> None:
        if note not in self._shown:
            self._shown.add(note)
            print(f"vtsms: note: {note}", file=sys.stderr)


def _prompt(username: str) -> str:
    if not sys.stdin.isatty():
        raise NoPassword(
            f"No password for {username}: set {PASSWORD_VARIABLE} or store it by logging in "
            'from the window with "Remember my password".'
        )
    return getpass.getpass(f"VETtrak password for {username}: ")
