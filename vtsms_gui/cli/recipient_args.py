"""Recipients given on the command line: `--to` values or a `--recipients` file."""

from __future__ import annotations

import argparse

from vtsms_gui.domain.phone import looks_like_phone_number
from vtsms_gui.domain.recipients import Recipient


class RecipientArgumentError(ValueError):
    """A --to value or a recipients file the command cannot use."""


def parse_to(value: str) -> Recipient:
    """`03037` is a client code, `0412 999 002` a number, `03037:0412999002` both."""
    text = value.strip()
    if not text:
        raise RecipientArgumentError("An empty --to value was given.")
    code, colon, number = text.partition(":")
    if colon:
        code, number = code.strip(), number.strip()
        if not code or not number:
            raise RecipientArgumentError(
                f"--to {value!r}: write CODE:NUMBER with both parts, e.g. 03037:0412999002."
            )
        return Recipient(client_code=code, mobile=number)
    if looks_like_phone_number(text):
        return Recipient(client_code=None, mobile=text)
    return Recipient(client_code=text, mobile=None)


def recipients_from_args(args: argparse.Namespace) -> list[Recipient]:
    if args.to:
        return [parse_to(value) for value in args.to]
    return _recipients_from_file(args)


def _recipients_from_file(args: argparse.Namespace) -> list[Recipient]:
    from dataclasses import replace

    from vtsms_gui.domain.column_mapping import detect_mapping, header_names
    from vtsms_gui.domain.recipients import recipients_from_table
    from vtsms_gui.domain.tables import read_table

    table = read_table(args.recipients, sheet=args.sheet)
    mapping = detect_mapping(table)
    if args.code_column or args.mobile_column:
        if not mapping.has_header:
            raise RecipientArgumentError(
                f"{args.recipients} has no header row, so --code-column/--mobile-column "
                "cannot name a column."
            )
        names = [name.strip().casefold() for name in header_names(table, mapping)]

        def column(name: str) -> int:
            try:
                return names.index(name.strip().casefold())
            except ValueError:
                raise RecipientArgumentError(
                    f"{args.recipients} has no column named {name!r}; its columns are: "
                    + ", ".join(header_names(table, mapping))
                ) from None

        if args.code_column:
            mapping = replace(mapping, client_code=column(args.code_column))
        if args.mobile_column:
            mapping = replace(mapping, mobile=column(args.mobile_column))
    if mapping.client_code is None and mapping.mobile is None:
        raise RecipientArgumentError(
            f"Cannot tell which column of {args.recipients} holds client codes or mobile "
            "numbers: name them with --code-column or --mobile-column."
        )
    return recipients_from_table(table, mapping)
