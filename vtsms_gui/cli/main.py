"""Entry point of the `vtsms` command: parses the arguments and hands over to one subcommand.

Subcommands import what they need when they run, so `vtsms count` (called by scripts on
every keystroke) never loads Qt, zeep or the spreadsheet readers.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from vtsms_gui import __version__
from vtsms_gui.cli.exit_codes import ExitCode


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vtsms",
        description="Send SMS to students through VETtrak (VT_API.asmx).",
    )
    parser.add_argument("--version", action="version", version=f"vtsms {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    count = commands.add_parser(
        "count",
        help="count the characters and SMS parts of a message",
        description="Count a message as the SMS gateway will: encoding, units, parts. "
        "Use `vtsms count -- TEXT` for text that starts with a dash.",
    )
    source = count.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the message text")
    source.add_argument("--file", "-f", metavar="F", help="read the message from a UTF-8 file")
    count.add_argument("--json", action="store_true", help="print one JSON object")
    count.set_defaults(handler="vtsms_gui.cli.count:run")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    module_name, _, function_name = args.handler.partition(":")
    module = importlib.import_module(module_name)
    try:
        result: int = getattr(module, function_name)(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return ExitCode.BAD_INPUT
    return result


if __name__ == "__main__":
    raise SystemExit(main())
