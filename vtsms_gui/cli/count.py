"""`vtsms count`: the SMS analysis of a text, for a person or (with --json) for a script."""

from __future__ import annotations

import argparse
import json
import sys

from vtsms_gui.cli.exit_codes import ExitCode
from vtsms_gui.cli.message_file import MessageFileError, read_message_file
from vtsms_gui.domain.sms_text import TextAnalysis, analyse, describe_char


def run(args: argparse.Namespace) -> int:
    if args.file is not None:
        try:
            text = read_message_file(args.file)
        except MessageFileError as exc:
            print(f"vtsms: {exc}", file=sys.stderr)
            return ExitCode.BAD_INPUT
    else:
        text = args.text
    if args.recipients:
        return _count_for_rows(args, text)
    analysis = analyse(text)
    if args.json:
        print(json.dumps(analysis.to_json(), ensure_ascii=False))
    else:
        print(render(analysis))
    return ExitCode.OK


def render(analysis: TextAnalysis) -> str:
    parts = "1 SMS" if analysis.segments == 1 else f"{analysis.segments} SMS"
    label = "GSM-7" if analysis.encoding.value == "GSM-7" else "Unicode (UCS-2)"
    lines = [
        f"{label} · {analysis.units}/{analysis.capacity} · {parts}",
        f"{analysis.units_left} left before another part is needed.",
    ]
    if analysis.non_gsm:
        lines.append("Characters that force Unicode:")
        lines.extend(f"  {describe_char(o.char)} ×{len(o.positions)}" for o in analysis.non_gsm)
    if analysis.invalid:
        lines.append("Characters that cannot be sent:")
        lines.extend(f"  {describe_char(o.char)} ×{len(o.positions)}" for o in analysis.invalid)
    return "\n".join(lines)


def _count_for_rows(args: argparse.Namespace, text: str) -> int:
    """A message counted for each row of a file, as `vtsms send` would plan it."""
    from vtsms_gui.cli.errors import report_error
    from vtsms_gui.cli.plan_text import plan_summary
    from vtsms_gui.cli.recipient_args import recipients_from_args
    from vtsms_gui.domain.phone import PhoneParser
    from vtsms_gui.domain.recipients import check_recipients
    from vtsms_gui.domain.send_plan import SendOptions, build_plan

    try:
        args.to = None
        checked = check_recipients(recipients_from_args(args), PhoneParser())
        plan = build_plan(text, checked, SendOptions())
    except Exception as exc:  # noqa: BLE001 - every failure becomes one plain line and a code
        return report_error(exc)
    summary = plan.personalisation.summary if plan.personalisation is not None else None
    if args.json:
        parts = [b.segments for b in plan.batches for _ in b.recipients]
        print(
            json.dumps(
                {
                    "recipients": len(plan.recipients),
                    "min_parts": min(parts, default=0),
                    "max_parts": max(parts, default=0),
                    "unicode_rows": summary.unicode_rows if summary else 0,
                    "credits": plan.credits,
                    "excluded": [{"row": e.row + 1, "reason": e.reason} for e in plan.excluded],
                    "blockers": [issue.message for issue in plan.blockers],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(plan_summary(plan))
    return ExitCode.OK if not plan.blockers else ExitCode.BAD_INPUT
