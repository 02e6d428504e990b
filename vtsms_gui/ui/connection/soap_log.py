"""Tools > SOAP log: the last requests and replies, pretty-printed with the token and password
masked (the client masks them before they reach the window), for the IT person helping out."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from vtsms_gui.api.soap_log import SoapExchange

DEFAULT_LIMIT = 50


def describe(exchange: SoapExchange) -> str:
    """One exchange as text: what, where, how it went, then the request and the reply."""
    status = f"HTTP {exchange.http_status}" if exchange.http_status is not None else "no reply"
    lines = [
        f"{exchange.operation} · {exchange.url}",
        f"{status} · {exchange.seconds:.2f} s",
    ]
    if exchange.error:
        lines.append(f"Problem: {exchange.error}")
    lines += ["", "── Request ──", exchange.request, "", "── Reply ──"]
    lines.append(exchange.response if exchange.response is not None else "(no reply)")
    return "\n".join(lines)


class SoapLog(QObject):
    """The last `limit` exchanges; `append` may be called from any thread."""

    added = Signal()

    def __init__(self, limit: int = DEFAULT_LIMIT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: deque[SoapExchange] = deque(maxlen=limit)

    def append(self, exchange: SoapExchange) -> None:
        self._items.append(exchange)
        self.added.emit()

    def items(self) -> list[SoapExchange]:
        return list(self._items)

    def clear(self) -> None:
        self._items.clear()
        self.added.emit()


class SoapLogDialog(QDialog):
    def __init__(self, log: SoapLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SOAP log")
        self.setObjectName("soapLogDialog")
        self._log = log
        self.list = QListWidget(self)
        self.list.setAccessibleName("Requests")
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName("Request and reply")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.text)
        splitter.setSizes([220, 620])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy = buttons.addButton("&Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.setToolTip("Copy this exchange (token and password are masked)")
        self.clear = buttons.addButton("C&lear", QDialogButtonBox.ButtonRole.ResetRole)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.copy.clicked.connect(self._copy)
        self.clear.clicked.connect(log.clear)
        self.list.currentRowChanged.connect(self._show)
        log.added.connect(self._refresh)
        self._refresh()
        self.resize(900, 560)

    def _refresh(self) -> None:
        items = self._log.items()
        self.list.clear()
        for exchange in items:
            status = exchange.http_status if exchange.http_status is not None else "—"
            self.list.addItem(f"{exchange.operation}  ({status}, {exchange.seconds:.2f} s)")
        if items:
            self.list.setCurrentRow(len(items) - 1)
        else:
            self.text.setPlainText("Nothing has been sent to VETtrak yet.")

    def _show(self, row: int) -> None:
        items = self._log.items()
        if 0 <= row < len(items):
            self.text.setPlainText(describe(items[row]))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())

    def done(self, result: int) -> None:
        self._log.added.disconnect(self._refresh)
        super().done(result)
