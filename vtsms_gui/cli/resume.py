"""`vtsms resume`: send an earlier send's not-sent recipients (and, if asked, unknown ones)."""

from __future__ import annotations

import argparse
import sys

from vtsms_gui.cli.errors import report_error
from vtsms_gui.cli.exit_codes import ExitCode
from vtsms_gui.cli.journal_access import open_journal
from vtsms_gui.cli.send import ConsoleProgress, exit_code_for_report, print_report
from vtsms_gui.core.history import UNKNOWN_RISK


def run(args: argparse.Namespace) -> int:
    from vtsms_gui.api.service_url import normalise_service_url
    from vtsms_gui.cli.session import connect
    from vtsms_gui.core import sending

    try:
        with open_journal() as journal:
            server = normalise_service_url(args.server, allow_http=args.allow_http)
            # Checked before signing in: a send with nobody left, or made on another VETtrak,
            # needs no password.
            try:
                sending.resumable_plan(
                    journal, args.send_id, server=server, include_unknown=args.include_unknown
                )
            except sending.NothingToResend as nobody:
                print(f"vtsms: {nobody}", file=sys.stderr)
                return ExitCode.OK
            if args.include_unknown and not args.yes and not _confirm_unknown():
                print("vtsms: nothing sent.", file=sys.stderr)
                return ExitCode.BAD_INPUT
            connected = connect(args)
            plan = sending.resumable_plan(
                journal,
                args.send_id,
                server=server,
                include_unknown=args.include_unknown,
                balance=connected.status.balance,
            )
            progress = ConsoleProgress(args, send_id=args.send_id)
            with progress.interruptible():
                resumed = sending.resume(
                    connected.client, journal, args.send_id, plan, progress.watchers()
                )
    except Exception as exc:  # noqa: BLE001 - every failure becomes one plain line and a code
        return report_error(exc)
    texts = {r.row: r.text for r in resumed.plan.recipients if r.text}
    print_report(args, resumed.report, send_id=resumed.send_id, texts=texts)
    return exit_code_for_report(resumed.report)


def _confirm_unknown() -> bool:
    print(UNKNOWN_RISK, file=sys.stderr)
    if not sys.stdin.isatty():
        print("vtsms: not a terminal, so cannot ask: add --yes to resend.", file=sys.stderr)
        return False
    return input("Resend to them anyway? [y/N] ").strip().lower() in {"y", "yes"}
