"""Logging in from the command line: the service URL, the token and the password.

The password comes from the keyring, else the VTSMS_PASSWORD environment variable, else a
prompt; a stored token is reused while the server accepts it. Neither is ever printed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vtsms_gui.api.errors import TokenExpired
from vtsms_gui.api.service_url import normalise_service_url
from vtsms_gui.cli.errors import NoPassword

if TYPE_CHECKING:
    from vtsms_gui.api.client import SmsStatus, VettrakClient
    from vtsms_gui.storage.credentials import CredentialStore

_NOTES_SHOWN: set[str] = set()

PASSWORD_VARIABLE = "VTSMS_PASSWORD"  # noqa: S105 - the variable's name, not a password


@dataclass
class Session:
    client: VettrakClient
    server: str
    username: str
    status: SmsStatus


def connect(args: argparse.Namespace) -> Session:
    """Log in (reusing a stored token when the server still accepts it) and read the balance.

    Raises ServiceUrlError, NoPassword or a VettrakError; the caller maps them to exit codes.
    """
    from vtsms_gui.api.client import VettrakClient
    from vtsms_gui.api.config import ClientConfig
    from vtsms_gui.storage.credentials import CredentialStore

    server = normalise_service_url(args.server, allow_http=args.allow_http)
    store = CredentialStore()
    username: str = args.username
    config = ClientConfig(service_url=server, soap_version=args.soap, read_timeout=args.timeout)
    client = VettrakClient(config, relogin=lambda: _login(client, store, server, username))

    stored = store.get_token(server, username)
    if stored:
        client.token = stored
        try:
            return Session(client, server, username, client.get_sms_status())
        except TokenExpired:
            store.delete_token(server, username)
    _login(client, store, server, username)
    return Session(client, server, username, client.get_sms_status())


def _login(client: VettrakClient, store: CredentialStore, server: str, username: str) -> str:
    password = store.get_password(server, username)
    if not password:
        password = os.environ.get(PASSWORD_VARIABLE) or _prompt(username)
        # Kept in memory for this process only: a relogin after a token expiry needs it.
        store.set_password(server, username, password, remember=False)
    result = client.login(username, password)
    store.set_token(server, username, result.token)
    if store.last_problem and store.last_problem not in _NOTES_SHOWN:
        _NOTES_SHOWN.add(store.last_problem)  # a re-login mid-send would repeat it
        print(f"vtsms: note: {store.last_problem}", file=sys.stderr)
    return result.token


def _prompt(username: str) -> str:
    if not sys.stdin.isatty():
        raise NoPassword(
            f"No password for {username}: set {PASSWORD_VARIABLE} or store it by logging in "
            'from the window with "Remember my password".'
        )
    return getpass.getpass(f"VETtrak password for {username}: ")
