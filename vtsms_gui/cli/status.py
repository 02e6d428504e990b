"""`vtsms status`: is the SMS service on, and how much credit is left."""

from __future__ import annotations

import argparse
import json

from vtsms_gui.cli.errors import report_error
from vtsms_gui.cli.exit_codes import ExitCode


def run(args: argparse.Namespace) -> int:
    from vtsms_gui.cli.session import connect

    try:
        session = connect(args)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one plain line and a code
        return report_error(exc)
    status = session.status
    if args.json:
        print(
            json.dumps(
                {
                    "server": session.server,
                    "sms_status": status.sms_status,
                    "message": status.message,
                    "balance": status.balance,
                }
            )
        )
    else:
        print(f"Server: {session.server}")
        print(f"SMS service: {status.message or 'status ' + str(status.sms_status)}")
        print(f"SMS balance: {status.balance:,} credits")
    return ExitCode.OK
