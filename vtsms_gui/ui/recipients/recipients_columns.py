"""The recipients grid's columns: their headers, which ones the user edits, and editing a cell."""

from __future__ import annotations

import dataclasses
import enum

from vtsms_gui.domain.recipients import Recipient

__all__ = ["EDITABLE", "FIELD", "HEADERS", "Column", "with_cell"]


class Column(enum.IntEnum):
    STATE = 0
    CLIENT_CODE = 1
    MOBILE = 2
    NAME = 3
    RESULT = 4


HEADERS = {
    Column.STATE: "Check",
    Column.CLIENT_CODE: "Client code",
    Column.MOBILE: "Mobile",
    Column.NAME: "Name",
    Column.RESULT: "Result",
}
EDITABLE = (Column.CLIENT_CODE, Column.MOBILE, Column.NAME)
FIELD = {Column.CLIENT_CODE: "client_code", Column.MOBILE: "mobile", Column.NAME: "name"}


def with_cell(recipient: Recipient, column: Column, text: str) -> Recipient:
    if column == Column.CLIENT_CODE:
        return dataclasses.replace(recipient, client_code=text or None)
    if column == Column.MOBILE:
        return dataclasses.replace(recipient, mobile=text or None)
    return dataclasses.replace(recipient, name=text)
