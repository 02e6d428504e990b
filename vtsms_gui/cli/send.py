"""`vtsms send`: plan, confirm, send in batches, report each recipient's outcome."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from vtsms_gui.cli.errors import exit_code_for, report_error
from vtsms_gui.cli.exit_codes import ExitCode
from vtsms_gui.cli.journal_access import open_journal
from vtsms_gui.cli.message_file import read_message_file
from vtsms_gui.cli.plan_text import plan_summary, results_text
from vtsms_gui.domain.outcomes import outcome_reason
from vtsms_gui.domain.recipients import CheckedRecipient, Recipient, RowState
from vtsms_gui.domain.send_plan import SendOptions, SendPlan, build_plan

MAX_ROWS_SHOWN = 20

if TYPE_CHECKING:
    from vtsms_gui.api.send_runner import SendProgress, SendReport
    from vtsms_gui.cli.session import Connected
    from vtsms_gui.core.sending import SendWatchers


def run(args: argparse.Namespace) -> int:
    try:
        message = _message(args)
        options = SendOptions(
            sender=args.sender,
            marketing=args.marketing,
            accept_replies=args.accept_replies,
            provider_id=args.provider_id,
            schedule=parse_schedule(args.schedule) if args.schedule else None,
            batch_size=args.batch_size,
        )
        from vtsms_gui.cli.recipient_args import recipients_from_args
        from vtsms_gui.domain.phone import PhoneParser
        from vtsms_gui.domain.recipients import check_recipients

        recipients = recipients_from_args(args)
        checked = check_recipients(
            recipients,
            PhoneParser(),
            require_client_code=args.accept_replies,
            known_code_length=_known_code_length(args, recipients),
        )
        if not _rows_acceptable(args, checked):
            return ExitCode.BAD_INPUT
        # Blockers that do not need the server are reported before asking for a password.
        offline = build_plan(message, checked, options)
        if not offline.can_send:
            print(plan_summary(offline), file=sys.stderr)
            return ExitCode.BAD_INPUT

        from vtsms_gui.cli.session import connect

        connected = connect(args)
        plan = build_plan(message, checked, options, balance=connected.status.balance)
        if not _confirmed(args, plan):
            print("vtsms: nothing sent.", file=sys.stderr)
            return ExitCode.BAD_INPUT
        return _send(args, connected, plan)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one plain line and a code
        return report_error(exc)


def _known_code_length(args: argparse.Namespace, recipients: Sequence[Recipient]) -> int | None:
    """This VETtrak's client code length, as the journal's past sends to it show (or None), so
    that a code Excel shortened is caught even in a list of one. The journal is read only when
    some code could be one Excel shortened (digits only)."""
    from vtsms_gui.api.service_url import normalise_service_url
    from vtsms_gui.core.history import server_code_length

    if not any((r.client_code or "").strip().isdigit() for r in recipients):
        return None
    server = normalise_service_url(args.server, allow_http=args.allow_http)
    with open_journal() as journal:
        return server_code_length(journal, server)


def _rows_acceptable(args: argparse.Namespace, checked: Sequence[CheckedRecipient]) -> bool:
    """Each --to was typed on purpose: one that is not sendable as typed (a mistyped number
    beside a code would silently go to the stored mobile) stops the send. Rows of a file are
    reported and left out, as in the window."""
    flagged = [(row, item) for row, item in enumerate(checked) if item.state is not RowState.OK]
    if args.to:
        for row, item in flagged:
            print(f"vtsms: --to {args.to[row]}: {item.reason}", file=sys.stderr)
        return not flagged
    for row, item in flagged[:MAX_ROWS_SHOWN]:
        print(f"vtsms: row {row + 1}: {item.reason}", file=sys.stderr)
    if len(flagged) > MAX_ROWS_SHOWN:
        print(f"vtsms: … and {len(flagged) - MAX_ROWS_SHOWN:,} more rows", file=sys.stderr)
    return True


def _message(args: argparse.Namespace) -> str:
    if args.message is not None:
        return str(args.message)
    return read_message_file(args.message_file)


def parse_schedule(value: str) -> datetime:
    """ISO 8601 with an offset or Z; a time without an offset is local time."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"--schedule {value!r} is not a date and time such as 2026-12-01T09:00+11:00."
        ) from None
    if when.utcoffset() is None:
        when = when.astimezone()  # the local offset on that date (daylight saving included)
    return when


def _confirmed(args: argparse.Namespace, plan: SendPlan) -> bool:
    out = sys.stderr if args.json else sys.stdout
    if not plan.can_send:
        print(plan_summary(plan), file=sys.stderr)
        return False
    if args.yes:
        for warning in plan.warnings:
            print(f"vtsms: warning: {warning.message}", file=sys.stderr)
        return True
    print(plan_summary(plan), file=out)
    if not sys.stdin.isatty():
        print("vtsms: not a terminal, so cannot ask: add --yes to send.", file=sys.stderr)
        return False
    answer = input(f"Send to {len(plan.recipients):,} recipients? [y/N] ")
    return answer.strip().lower() in {"y", "yes"}


def _send(args: argparse.Namespace, connected: Connected, plan: SendPlan) -> int:
    from vtsms_gui.core.sending import SendPlace, send

    progress = ConsoleProgress(args)

    def created(send_id: str) -> None:
        progress.send_id = send_id
        if not args.json:
            n = len(plan.recipients)
            print(f"Send {send_id}: {n:,} recipient{'' if n == 1 else 's'}", file=sys.stderr)

    with open_journal() as journal, progress.interruptible():
        _, report = send(
            connected.client,
            plan,
            journal,
            SendPlace(connected.server, connected.username),
            progress.watchers(),
            created=created,
        )
    texts = {r.row: r.text for r in plan.recipients if r.text}
    print_report(args, report, progress.send_id, texts=texts, send_id_in_json=False)
    return exit_code_for_report(report)


class ConsoleProgress:
    """What `vtsms send` and `vtsms resume` print while the core sends: each batch, and on
    Ctrl+C what the journal knows."""

    def __init__(self, args: argparse.Namespace, send_id: str | None = None) -> None:
        self._json = bool(args.json)
        self.send_id = send_id

    def watchers(self) -> SendWatchers:
        from vtsms_gui.core.sending import SendWatchers

        return SendWatchers(progress=self._batch_done)

    def _batch_done(self, step: SendProgress) -> None:
        if not self._json:
            print(
                f"Batch {step.batches_done}/{step.batches_total}: "
                f"{step.recipients_done:,}/{step.recipients_total:,} recipients",
                file=sys.stderr,
            )

    @contextlib.contextmanager
    def interruptible(self) -> Iterator[None]:
        try:
            yield
        except KeyboardInterrupt:
            # The batch in flight may have reached VETtrak: the journal marks it unknown.
            print(
                f"vtsms: interrupted. Batches already answered are recorded; the batch being "
                f"sent may or may not have gone out. See `vtsms history` for send "
                f"{self.send_id}.",
                file=sys.stderr,
            )
            raise


def print_report(
    args: argparse.Namespace,
    report: SendReport,
    send_id: str | None = None,
    *,
    texts: Mapping[int, str] | None = None,
    send_id_in_json: bool = True,
) -> None:
    """The results; `texts` (row -> the exact text sent) go with each recipient's JSON, as
    does `reason` (what happened and what to do, in words; `detail` stays VETtrak's own)."""
    if args.json:
        known = texts or {}
        recipients = []
        for o in report.outcomes:
            item = o.to_json()
            if o.row in known:
                item["text"] = known[o.row]
            item["reason"] = outcome_reason(o)
            recipients.append(item)
        payload: dict[str, object] = {
            "sms_sent": report.sms_sent,
            "balance": report.balance,
            "recipients": recipients,
        }
        if send_id is not None and send_id_in_json:
            payload["send_id"] = send_id
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(results_text(report.outcomes, report.balance, send_id))
    if report.stopped_by is not None:
        print(f"vtsms: {report.stopped_by}", file=sys.stderr)
    if report.journal_error is not None:
        print(
            f"vtsms: the send stopped because it could not be recorded: {report.journal_error}",
            file=sys.stderr,
        )


def exit_code_for_report(report: SendReport) -> int:
    counts = report.counts
    if counts.unknown:
        return ExitCode.SOME_UNKNOWN
    stopped_by = report.stopped_by or report.journal_error
    if stopped_by is not None and counts.sent == 0 and counts.failed == 0:
        return exit_code_for(stopped_by)
    if counts.failed or counts.not_sent:
        return ExitCode.SOME_FAILED
    return ExitCode.OK
