"""Table models of the history: past sends (one line each, newest first) and one send's rows
with their outcome, shown with the grid's own words, icons and colours."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from vtsms_gui.domain.outcomes import Outcome
from vtsms_gui.ui.common import icons
from vtsms_gui.ui.common.label_roles import RAW_ROLE, label_data
from vtsms_gui.ui.common.theme import Tone, tone_colour
from vtsms_gui.ui.recipients.row_labels import RowLabel, excluded_label, outcome_label

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import SendRecord, SendSummary

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def when_text(moment: datetime) -> str:
    """In the computer's time zone, as the options panel shows times: "Tue 4 Mar 2025 2:05 PM"."""
    local = moment.astimezone()
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    return f"{local:%a} {local.day} {local:%b %Y} {hour}:{local:%M} {noon}"


def who_text(username: str | None, server: str | None, *, demo: bool = False) -> str:
    """ "sms.office@vettrak.college.edu.au"; "demo (practice)" in the demo's journal."""
    if demo:
        return f"{username or 'demo'} (practice)"
    host = (urlsplit(server).hostname or server) if server else None
    if username and host:
        return f"{username}@{host}"
    return username or host or "not recorded"


class SendColumn(enum.IntEnum):
    SEND = 0
    WHEN = 1
    WHO = 2
    SENDER = 3
    MESSAGE = 4
    SENT = 5
    FAILED = 6
    UNKNOWN = 7
    NOT_SENT = 8
    CREDITS = 9


SEND_HEADERS = {
    SendColumn.SEND: "Send",
    SendColumn.WHEN: "When",
    SendColumn.WHO: "Who",
    SendColumn.SENDER: "Sender",
    SendColumn.MESSAGE: "Message",
    SendColumn.SENT: "Sent",
    SendColumn.FAILED: "Failed",
    SendColumn.UNKNOWN: "Unknown",
    SendColumn.NOT_SENT: "Not sent",
    SendColumn.CREDITS: "Credits",
}
# A count column's outcome, with the icon and tone the grid gives that outcome.
_COUNTS = {
    SendColumn.SENT: (Outcome.SENT, "outcome-sent", Tone.GOOD),
    SendColumn.FAILED: (Outcome.FAILED, "outcome-failed", Tone.BAD),
    SendColumn.UNKNOWN: (Outcome.UNKNOWN, "outcome-unknown", Tone.UNKNOWN),
    SendColumn.NOT_SENT: (Outcome.NOT_SENT, "outcome-not-sent", Tone.MUTED),
}
_COUNT_TIPS = {
    Outcome.SENT: "queued by VETtrak for sending",
    Outcome.FAILED: "refused by VETtrak (no mobile, client code not found…)",
    Outcome.UNKNOWN: "may or may not have been sent: check VETtrak's SMS history before resending",
    Outcome.NOT_SENT: "never handed to VETtrak (the send stopped before their batch)",
}


class SendsModel(QAbstractTableModel):
    """One line per past send, in the order given (the journal's: newest first)."""

    def __init__(self, *, demo: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._demo = demo
        self._sends: list[SendSummary] = []

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._sends)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(SendColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(SendColumn):
            return None
        column = SendColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return SEND_HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in _COUNTS:
            outcome = _COUNTS[column][0]
            return f"Recipients {_COUNT_TIPS[outcome]}"
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column in _COUNTS or column == SendColumn.CREDITS
        ):
            return _RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sends):
            return None
        send = self._sends[index.row()]
        column = SendColumn(index.column())
        if column in _COUNTS:
            return self._count_data(send, column, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(send, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(send, column)
        if role == RAW_ROLE:
            if column == SendColumn.WHEN:
                # UTC text sorts by time; the id orders sends made in the same second.
                return f"{send.created_at.astimezone(UTC).isoformat()} {send.send_id}"
            if column == SendColumn.CREDITS:
                return send.credits
            if column == SendColumn.SEND:
                return send.send_id
            return self._text(send, column).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SendColumn.CREDITS:
            return _RIGHT
        return None

    def set_sends(self, sends: Sequence[SendSummary]) -> None:
        self.beginResetModel()
        self._sends = list(sends)
        self.endResetModel()

    def send(self, row: int) -> SendSummary:
        return self._sends[row]

    def row_of(self, send_id: str) -> int | None:
        return next((i for i, s in enumerate(self._sends) if s.send_id == send_id), None)

    def refresh_colours(self) -> None:
        if self._sends:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._sends) - 1, len(SendColumn) - 1)
            )

    def _text(self, send: SendSummary, column: SendColumn) -> str:
        if column == SendColumn.SEND:
            return send.send_id
        if column == SendColumn.WHEN:
            return when_text(send.created_at)
        if column == SendColumn.WHO:
            return who_text(send.username, send.server, demo=self._demo)
        if column == SendColumn.SENDER:
            return send.sender or "(default number)"
        if column == SendColumn.MESSAGE:
            # The template as typed (placeholders kept); a test to the user's own number says so.
            return f"Test to me · {send.first_words}" if send.test else send.first_words
        return f"{send.credits:,}"

    def _tooltip(self, send: SendSummary, column: SendColumn) -> str | None:
        if column == SendColumn.MESSAGE:
            return send.message
        if column == SendColumn.WHEN:
            return send.created_at.astimezone().isoformat(" ", "seconds")
        if column == SendColumn.WHO:
            return send.server or "The server was not recorded by this version of vtsms-gui"
        if column == SendColumn.SEND and send.attempts > 1:
            return f"Resumed: sent in {send.attempts} attempts"
        if column == SendColumn.CREDITS:
            return "The estimate shown before sending: SMS parts × recipients"
        return None

    def _count_data(self, send: SendSummary, column: SendColumn, role: int) -> Any:
        outcome, icon_name, tone = _COUNTS[column]
        count: int = getattr(send.counts, outcome.value)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{count:,}"
        if role == RAW_ROLE:
            return count
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if count == 0:
            return None  # zeros stay plain: the eye goes to what needs a look
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.icon(icon_name)
        if role == Qt.ItemDataRole.ForegroundRole and outcome is not Outcome.SENT:
            return tone_colour(tone)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{count:,} {_COUNT_TIPS[outcome]}"
        return None


class RowColumn(enum.IntEnum):
    ROW = 0
    CLIENT_CODE = 1
    MOBILE = 2
    RESULT = 3
    RESENT_IN = 4
    DETAIL = 5
    TEXT = 6


ROW_HEADERS = {
    RowColumn.ROW: "Row",
    RowColumn.CLIENT_CODE: "Client code",
    RowColumn.MOBILE: "Mobile",
    RowColumn.RESULT: "Result",
    RowColumn.RESENT_IN: "Resent in",
    RowColumn.DETAIL: "Detail",
    RowColumn.TEXT: "Text sent",
}


@dataclass(frozen=True, slots=True)
class _Line:
    row: int  # in the list it was sent from
    client_code: str
    mobile: str
    label: RowLabel
    resent_in: str
    text: str = ""  # the row's own text (personalised messages); "" for rows left out


class SendRowsModel(QAbstractTableModel):
    """Every row of one send, in the order of the list it was sent from: its latest outcome
    (the grid's word, icon and colour), or why it was left out."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[_Line] = []

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(RowColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(RowColumn):
            return ROW_HEADERS[RowColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = RowColumn(index.column())
        if column == RowColumn.RESULT:
            return label_data(line.label, role, line.label.rank)
        if role == RAW_ROLE:
            return line.row if column == RowColumn.ROW else self._text(line, column).casefold()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == RowColumn.TEXT:
            return line.text
        if role == Qt.ItemDataRole.ToolTipRole and column == RowColumn.DETAIL:
            return line.label.detail
        if role == Qt.ItemDataRole.ToolTipRole and column == RowColumn.RESENT_IN and line.resent_in:
            return f"Sent again as part of send {line.resent_in}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RowColumn.ROW:
            return _RIGHT
        return None

    def set_record(self, record: SendRecord | None) -> None:
        self.beginResetModel()
        self._lines = [] if record is None else _lines(record)
        self.endResetModel()

    @property
    def any_resent(self) -> bool:
        return any(line.resent_in for line in self._lines)

    def result_text(self, row: int) -> str:
        return self._lines[row].label.text

    def refresh_colours(self) -> None:
        if self._lines:
            self.dataChanged.emit(
                self.index(0, RowColumn.RESULT), self.index(len(self._lines) - 1, RowColumn.RESULT)
            )

    @staticmethod
    def _text(line: _Line, column: RowColumn) -> str:
        if column == RowColumn.ROW:
            return str(line.row + 1)
        if column == RowColumn.CLIENT_CODE:
            return line.client_code
        if column == RowColumn.MOBILE:
            return line.mobile
        if column == RowColumn.RESENT_IN:
            return line.resent_in
        if column == RowColumn.DETAIL:
            return line.label.detail
        if column == RowColumn.TEXT:
            return line.text
        return line.label.text


def _lines(record: SendRecord) -> list[_Line]:
    lines = [
        _Line(
            o.row,
            o.client_code or "",
            o.mobile or "",
            outcome_label(o),
            record.resent_in.get(o.row, ""),
            record.text_of(o.row),
        )
        for o in record.recipients
    ]
    lines.extend(_Line(e.row, "", "", excluded_label(e.reason), "") for e in record.excluded)
    lines.sort(key=lambda line: line.row)
    return lines
