"""`vtsms history`: past sends from the journal, newest first."""

from __future__ import annotations

import argparse
import json

from vtsms_gui.cli.errors import report_error
from vtsms_gui.cli.exit_codes import ExitCode
from vtsms_gui.cli.journal_access import open_journal
from vtsms_gui.core import history


def run(args: argparse.Namespace) -> int:
    try:
        with open_journal() as journal:
            if args.json:
                sends = history.get_sends(journal, args.last)
                print(json.dumps({"sends": [s.to_json() for s in sends]}, ensure_ascii=False))
                return ExitCode.OK
            summaries = history.list_sends(journal, args.last)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one plain line and a code
        return report_error(exc)
    if not summaries:
        print("No sends yet.")
    for s in summaries:
        counts = s.counts
        outcome = f"sent {counts.sent:,} · failed {counts.failed:,}"
        if counts.unknown:
            outcome += f" · unknown {counts.unknown:,}"
        if counts.not_sent:
            outcome += f" · not sent {counts.not_sent:,}"
        when = s.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        sender = f" from {s.sender}" if s.sender else ""
        print(f"{s.send_id}  {when}  {s.recipients:,} recipients{sender}  {outcome}")
        print(f"          “{s.first_words}”")
    return ExitCode.OK
