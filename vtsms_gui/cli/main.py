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
from vtsms_gui.cli.doctor import add_doctor_parser

EPILOG = """exit codes: 0 all sent; 1 some recipients failed; 2 bad input (nothing sent);
3 login failed (nothing sent); 4 some outcomes unknown (check VETtrak before resending);
5 server unreachable (nothing sent)"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vtsms",
        description="Send SMS to students through VETtrak (VT_API.asmx).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"vtsms {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="log in detail to the support log and to stderr"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_count(commands)
    _add_status(commands)
    _add_send(commands)
    _add_history(commands)
    _add_resume(commands)
    _add_simulator(commands)
    add_doctor_parser(commands)
    return parser


def _add_count(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    count = commands.add_parser(
        "count",
        help="count the characters and SMS parts of a message",
        description="Count a message as the SMS gateway will: encoding, units, parts. "
        "Use `vtsms count -- TEXT` for text that starts with a dash.",
    )
    source = count.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the message text")
    source.add_argument("--file", "-f", metavar="F", help="read the message from a UTF-8 file")
    count.add_argument(
        "--recipients",
        metavar="FILE",
        help="a CSV or Excel file: count a personalised message for each of its rows",
    )
    count.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read")
    count.add_argument("--json", action="store_true", help="print one JSON object")
    count.set_defaults(handler="vtsms_gui.cli.count:run", code_column=None, mobile_column=None)


def _add_connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        required=True,
        metavar="URL",
        help="the VT_API.asmx address, e.g. https://vettrak.example.edu.au/api/VT_API.asmx",
    )
    parser.add_argument("--username", "-u", required=True, metavar="U", help="VETtrak API username")
    parser.add_argument(
        "--soap", choices=("1.1", "1.2"), default="1.1", help="SOAP version (default 1.1)"
    )
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="allow a plain http:// address (the password and messages travel unencrypted)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="read timeout (default 60)"
    )
    parser.add_argument(
        "--proxy",
        metavar="URL",
        help="a proxy to use instead of the environment's and the system's (\"direct\": none)",
    )
    parser.add_argument(
        "--proxy-username",
        metavar="U",
        help="sign in to the proxy as U (password: the keyring, else VTSMS_PROXY_PASSWORD)",
    )
    parser.add_argument(
        "--ca-file", metavar="FILE", help="an organisation CA certificate file (PEM) to trust too"
    )


def _add_status(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = commands.add_parser("status", help="show the SMS service status and balance")
    _add_connection(status)
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(handler="vtsms_gui.cli.status:run")


def _add_send(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    send = commands.add_parser(
        "send",
        help="send one message to many recipients",
        description="Send one SMS to client codes and/or mobile numbers. Without --yes the plan "
        "(recipients, parts, credits, balance, warnings) is shown and you are asked to confirm.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_connection(send)
    message = send.add_mutually_exclusive_group(required=True)
    message.add_argument("--message", "-m", metavar="TEXT", help="the message text")
    message.add_argument("--message-file", metavar="F", help="read the message from a UTF-8 file")
    to = send.add_mutually_exclusive_group(required=True)
    to.add_argument("--recipients", metavar="FILE", help="a CSV or Excel file of recipients")
    to.add_argument(
        "--to",
        action="append",
        metavar="X",
        help="a client code, a mobile number, or CODE:NUMBER (repeatable)",
    )
    send.add_argument("--code-column", metavar="NAME", help="the file's client code column")
    send.add_argument("--mobile-column", metavar="NAME", help="the file's mobile column")
    send.add_argument(
        "--sheet", metavar="NAME", help="the spreadsheet's sheet (default: the first)"
    )
    send.add_argument("--sender", default="", help="sender ID shown on the phone")
    send.add_argument("--marketing", action="store_true", help="a commercial message (Spam Act)")
    send.add_argument("--accept-replies", action="store_true", help="let students reply")
    send.add_argument("--provider-id", default="", metavar="ID", help="SMS provider ID")
    send.add_argument(
        "--schedule",
        metavar="ISO8601",
        help="send later, e.g. 2026-12-01T09:00+11:00 (no offset = local time)",
    )
    send.add_argument(
        "--batch-size", type=int, default=100, metavar="N", help="recipients per request"
    )
    send.add_argument("--yes", "-y", action="store_true", help="send without asking")
    send.add_argument("--json", action="store_true", help="print one JSON object")
    send.set_defaults(handler="vtsms_gui.cli.send:run")


def _add_history(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = commands.add_parser("history", help="list past sends, newest first")
    history.add_argument("--last", type=int, metavar="N", help="only the last N sends")
    history.add_argument("--json", action="store_true", help="print one JSON object")
    history.set_defaults(handler="vtsms_gui.cli.history:run")


def _add_resume(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    resume = commands.add_parser(
        "resume",
        help="send an earlier send's recipients that were not sent",
        description="Send the recipients of SEND_ID that were never sent (and, with "
        "--include-unknown, those whose outcome is unknown) as a new series of batches.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    resume.add_argument("send_id", metavar="SEND_ID", help="as shown by `vtsms history`")
    _add_connection(resume)
    resume.add_argument(
        "--include-unknown",
        action="store_true",
        help="also resend recipients whose outcome is unknown (they may get it twice)",
    )
    resume.add_argument("--yes", "-y", action="store_true", help="send without asking")
    resume.add_argument("--json", action="store_true", help="print one JSON object")
    resume.set_defaults(handler="vtsms_gui.cli.resume:run")


def _add_simulator(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = commands.add_parser(
        "simulator", help="run a local VT_API simulator (no real SMS is sent)"
    )
    sim.add_argument("--port", type=int, default=8040, metavar="N", help="port (default 8040)")
    sim.set_defaults(handler="vtsms_gui.cli.simulator:run")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    module_name, _, function_name = args.handler.partition(":")
    from vtsms_gui.storage.support_log import setup_for_command

    setup_for_command(args.command, debug=args.debug)
    module = importlib.import_module(module_name)
    try:
        result: int = getattr(module, function_name)(args)
    except KeyboardInterrupt:
        print("vtsms: interrupted.", file=sys.stderr)
        return 130
    return result


if __name__ == "__main__":
    raise SystemExit(main())
