"""`vtsms doctor`: check the way to a VETtrak server step by step and say what failed.

Exit code 0 when every step passed (or was skipped), 1 when one failed, 2 for bad input.
The password for the sign-in step comes from where `vtsms status` takes it: the keyring, else
VTSMS_PASSWORD, else a prompt on a terminal; with none of them the sign-in step is skipped.
With --proxy and --proxy-username, the proxy's password comes from the keyring (where the
window's settings keep it), else VTSMS_PROXY_PASSWORD, as for the other commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vtsms_gui.api.connection_check import CheckStep

_MARKS = {"ok": "ok  ", "failed": "FAIL", "skipped": "skip"}


def add_doctor_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check the connection to a VETtrak server step by step",
        description="Name lookup, TCP connect, TLS certificate, HTTP, the service description "
        "and (with --username) a sign-in, through the same proxy and trust store as the app. "
        "Exit code 0: all passed; 1: a step failed; 2: bad input.",
    )
    doctor.add_argument("--server", required=True, metavar="URL", help="the VT_API.asmx address")
    doctor.add_argument("--username", "-u", metavar="U", help="also try signing in as U")
    doctor.add_argument(
        "--soap", choices=("1.1", "1.2"), default="1.1", help="SOAP version (default 1.1)"
    )
    doctor.add_argument("--allow-http", action="store_true", help="allow a plain http:// address")
    doctor.add_argument(
        "--proxy",
        metavar="URL",
        help="a proxy to use instead of the environment's and the system's (\"direct\": none)",
    )
    doctor.add_argument(
        "--proxy-username",
        metavar="U",
        help="sign in to the proxy as U (password: the keyring, else VTSMS_PROXY_PASSWORD)",
    )
    doctor.add_argument(
        "--ca-file", metavar="FILE", help="an organisation CA certificate file (PEM) to trust too"
    )
    doctor.add_argument(
        "--timeout", type=float, default=15.0, metavar="SECONDS", help="per step (default 15)"
    )
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    doctor.set_defaults(handler="vtsms_gui.cli.doctor:run")


def run(args: argparse.Namespace) -> int:
    from vtsms_gui.api.config import ClientConfig
    from vtsms_gui.api.connection_check import check_connection
    from vtsms_gui.api.service_url import ServiceUrlError, normalise_service_url
    from vtsms_gui.cli.exit_codes import ExitCode

    try:
        server = normalise_service_url(args.server, allow_http=args.allow_http)
        if args.proxy_username and not args.proxy:
            raise ValueError("--proxy-username needs --proxy (the proxy it signs in to).")
        proxy_password = _proxy_password(args.proxy, args.proxy_username)
        config = ClientConfig(
            server,
            soap_version=args.soap,
            connect_timeout=args.timeout,
            read_timeout=args.timeout,
            ca_file=args.ca_file,
            proxy=args.proxy,
            proxy_username=args.proxy_username if proxy_password else None,
            proxy_password=proxy_password,
        )
    except (ServiceUrlError, ValueError) as exc:
        print(f"vtsms: {exc}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    password = _password(server, args.username) if args.username else None
    if not args.json:
        print(f"Checking {server}")
    report = check_connection(
        config,
        username=args.username,
        password=password,
        on_step=None if args.json else _print_step,
    )
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(f"Proxy: {report.proxy}")
        failed = report.failed_step
        print("All steps passed." if failed is None else f"Tell IT: {failed.tell_it}")
    return ExitCode.OK if report.ok else 1


def _print_step(step: CheckStep) -> None:
    print(f"[{_MARKS[step.status.value]}] {step.name}: {step.details}", flush=True)


def _proxy_password(proxy: str | None, username: str | None) -> str | None:
    """The proxy's password: the keyring, else VTSMS_PROXY_PASSWORD (memory only), else None."""
    import os

    from vtsms_gui.api.proxy import DIRECT, normalise_proxy_url
    from vtsms_gui.cli.session import PROXY_PASSWORD_VARIABLE
    from vtsms_gui.storage.credentials import CredentialStore

    if not proxy or not username:
        return None
    proxy_url = normalise_proxy_url(proxy)  # a ProxySettingError is a ValueError: bad input
    if proxy_url == DIRECT:
        return None
    stored = CredentialStore().get_proxy_password(proxy_url, username)
    return stored or os.environ.get(PROXY_PASSWORD_VARIABLE) or None


def _password(server: str, username: str) -> str | None:
    """Keyring, else VTSMS_PASSWORD, else a prompt on a terminal, else None (no sign-in)."""
    import getpass
    import os

    from vtsms_gui.cli.session import PASSWORD_VARIABLE
    from vtsms_gui.storage.credentials import CredentialStore

    stored = CredentialStore().get_password(server, username)
    if stored:
        return stored
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if sys.stdin.isatty():
        return getpass.getpass(f"VETtrak password for {username} (Enter to skip the sign-in): ")
    return None
