"""`vtsms resume`: send an earlier send's not-sent recipients (and, if asked, unknown ones)."""

from __future__ import annotations

import argparse
import sys

from vtsms_gui.cli.errors import report_error
from vtsms_gui.cli.exit_codes import ExitCode
from vtsms_gui.cli.journal_access import open_journal
from vtsms_gui.cli.send import exit_code_for_report, print_report, send_with_journal

UNKNOWN_RISK = (
    "Recipients whose outcome is unknown may already have received this SMS: resending may "
    "text them twice and is charged again. Check the SMS history in VETtrak first."
)


def run(args: argparse.Namespace) -> int:
    from vtsms_gui.api.service_url import normalise_service_url
    from vtsms_gui.cli.session import connect
    from vtsms_gui.domain.send_plan import plan_resend

    try:
        with open_journal() as journal:
            record = journal.get_send(args.send_id)
            pending = journal.pending_recipients(record.send_id, args.include_unknown)
            if not pending:
                print(f"vtsms: send {record.send_id} has nobody left to send to.", file=sys.stderr)
                return ExitCode.OK
            server = normalise_service_url(args.server, allow_http=args.allow_http)
            if record.server is not None and record.server != server:
                raise ValueError(
                    f"Send {record.send_id} was made on {record.server}, not {server}: "
                    "resume it against the same server."
                )
            if args.include_unknown and not args.yes and not _confirm_unknown():
                print("vtsms: nothing sent.", file=sys.stderr)
                return ExitCode.BAD_INPUT
            session = connect(args)
            plan = plan_resend(
                record.message, pending, record.options, balance=session.status.balance
            )
            if not plan.can_send:
                raise ValueError(" ".join(issue.message for issue in plan.blockers))
            journal.add_batches(record.send_id, plan.batches)
            report = send_with_journal(args, session, plan, journal, record.send_id)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one plain line and a code
        return report_error(exc)
    print_report(args, report, send_id=record.send_id)
    return exit_code_for_report(report)


def _confirm_unknown() -> bool:
    print(UNKNOWN_RISK, file=sys.stderr)
    if not sys.stdin.isatty():
        print("vtsms: not a terminal, so cannot ask: add --yes to resend.", file=sys.stderr)
        return False
    return input("Resend to them anyway? [y/N] ").strip().lower() in {"y", "yes"}
