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
