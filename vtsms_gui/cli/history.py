"""`vtsms history`: past sends from the journal, newest first."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, cast

from vtsms_gui.cli.errors import report_error
from vtsms_gui.cli.exit_codes import ExitCode
from vtsms_gui.cli.journal_access import open_journal
from vtsms_gui.core import history
from vtsms_gui.domain.outcomes import outcome_reason

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import SendRecord


def run(args: argparse.Namespace) -> int:
    try:
        with open_journal() as journal:
            if args.json:
                sends = history.get_sends(journal, args.last)
                payload = {"sends": [_send_json(s) for s in sends]}
                print(json.dumps(payload, ensure_ascii=False))
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


def _send_json(record: SendRecord) -> dict[str, object]:
    """The journal's record of a send, each recipient with `reason` too: what happened and what
    to do, in words (`detail` stays VETtrak's own)."""
    data = record.to_json()
    recipients = cast("list[dict[str, object]]", data["recipients"])
    data["recipients"] = [
        {**item, "reason": outcome_reason(outcome)}
        for item, outcome in zip(recipients, record.recipients, strict=True)
    ]
    return data
