"""The History window (File › History…, Ctrl+H): past sends, newest first; below, the one selected
with every row and its outcome; use its message again, export it, or resend its failures.

Everything it reads comes from the journal through `JournalAccess` (a worker thread); the
window itself only shows answers.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.core import history
from vtsms_gui.domain.outcomes import RecipientOutcome
from vtsms_gui.ui.common import icons, wording
from vtsms_gui.ui.common.label_roles import RAW_ROLE
from vtsms_gui.ui.common.theme import Tone, on_theme_change, tone_colour
from vtsms_gui.ui.common.workers import run_task
from vtsms_gui.ui.history import history_prompts
from vtsms_gui.ui.history.history_models import (
    RowColumn,
    SendColumn,
    SendRowsModel,
    SendsModel,
    when_text,
    who_text,
)
from vtsms_gui.ui.history.journal_access import JournalAccess, journal_problem

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import Journal, SendRecord, SendSummary

HISTORY_LIMIT = 1000
"""Sends listed, newest first: years of a busy office, and still quick to read."""
SEND_WIDTHS = {
    SendColumn.SEND: 78,
    SendColumn.WHEN: 168,
    SendColumn.WHO: 190,
    SendColumn.SENDER: 96,
    SendColumn.SENT: 66,
    SendColumn.FAILED: 66,
    SendColumn.UNKNOWN: 78,
    SendColumn.NOT_SENT: 72,
    SendColumn.CREDITS: 64,
}
ROW_WIDTHS = {
    RowColumn.ROW: 52,
    RowColumn.CLIENT_CODE: 92,
    RowColumn.MOBILE: 116,
    RowColumn.RESULT: 250,
    RowColumn.RESENT_IN: 84,
}


@dataclass(frozen=True)
class ResendRequest:
    """Rows of a past send to load into the grid for a new send, with its message and options."""

    record: SendRecord
    rows: tuple[RecipientOutcome, ...]
    demo: bool  # which journal the send is in


def _table(parent: QWidget, name: str, accessible: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table (the arrow keys move inside it)
    vertical = view.verticalHeader()
    vertical.hide()
    # Fixed heights: Qt never measures thousands of rows.
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 8)
    horizontal = view.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setHighlightSections(False)
    return view


def _sorted(model: SendsModel | SendRowsModel, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(RAW_ROLE)
    return proxy


class HistoryDialog(QDialog):
    """Not modal: it stays open beside the main window while the user works there."""

    use_message = Signal(str)
    resend_requested = Signal(object)  # ResendRequest

    def __init__(
        self, journal: JournalAccess, *, demo: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        on_theme_change(self.refresh_colours)  # light/dark or style switched: recolour
        self.setObjectName("historyDialog")
        self.setWindowTitle("Send history (demo: practice sends)" if demo else "Send history")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.journal = journal
        self.demo = demo
        self.record: SendRecord | None = None
        self._wanted: str | None = None  # the send to select once the list arrives
        self._loading: str | None = None  # the send whose rows are on their way
        self._reads = 0  # journal reads not answered yet

        intro = QLabel(
            "Practice sends made in the demo, newest first (kept apart from real sends)."
            if demo
            else "Sends made from this computer, newest first. Select one to see every recipient.",
            self,
        )
        intro.setWordWrap(True)
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setToolTip("Read the history again (F5)")
        self.refresh_button.setShortcut("F5")
        self.problem = QLabel(self)
        self.problem.setObjectName("historyProblem")
        self.problem.setAccessibleName("History problem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()

        self.sends_model = SendsModel(demo=demo, parent=self)
        self.sends_proxy = _sorted(self.sends_model, self)
        self.sends_view = _table(self, "historySends", "Past sends")
        self.sends_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sends_view.setModel(self.sends_proxy)
        self.sends_view.sortByColumn(SendColumn.WHEN, Qt.SortOrder.DescendingOrder)
        for column, width in SEND_WIDTHS.items():
            self.sends_view.setColumnWidth(column, width)
        self.sends_view.horizontalHeader().setSectionResizeMode(
            SendColumn.MESSAGE, QHeaderView.ResizeMode.Stretch
        )

        self.heading = QLabel(self)
        self.heading.setObjectName("historyHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_view = QPlainTextEdit(self)
        self.message_view.setObjectName("historyMessage")
        self.message_view.setAccessibleName("Message of the selected send")
        self.message_view.setReadOnly(True)
        self.message_view.setTabChangesFocus(True)
        lines = self.message_view.fontMetrics().lineSpacing()
        self.message_view.setFixedHeight(lines * 3 + 14)
        self.facts = QLabel(self)
        self.facts.setObjectName("historyFacts")
        self.facts.setWordWrap(True)
        self.counts = QLabel(self)
        self.counts.setObjectName("historyCounts")
        self.counts.setAccessibleName("Outcomes of the selected send")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setWordWrap(True)
        self.rows_model = SendRowsModel(self)
        self.rows_proxy = _sorted(self.rows_model, self)
        self.rows_view = _table(self, "historyRows", "Recipients of the selected send")
        self.rows_view.setModel(self.rows_proxy)
        self.rows_view.sortByColumn(RowColumn.ROW, Qt.SortOrder.AscendingOrder)
        for row_column, width in ROW_WIDTHS.items():
            self.rows_view.setColumnWidth(row_column, width)
        self.rows_view.horizontalHeader().setStretchLastSection(True)

        self.use_button = QPushButton("&Use this message", self)
        self.use_button.setToolTip("Put this message in the editor (Ctrl+Z there undoes it)")
        self.export_button = QPushButton(icons.themed_icon("export"), "&Export CSV…", self)
        self.export_button.setToolTip("Save every row of this send and its outcome for Excel")
        self.resend_button = QPushButton(icons.themed_icon("send"), "Resend to &failed…", self)
        self.resend_button.setObjectName("resendFailed")
        self.resend_unknown_button = QPushButton("Resend to u&nknown…", self)
        self.resend_unknown_button.setObjectName("resendUnknown")
        self.resend_unknown_button.setIcon(icons.icon("outcome-unknown"))

        self.status = QLabel(self)
        self.status.setObjectName("historyStatus")
        self.status.setAccessibleName("History status")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        intro_row = QHBoxLayout()
        intro_row.addWidget(intro, 1)
        intro_row.addWidget(self.refresh_button)
        top_layout.addLayout(intro_row)
        top_layout.addWidget(self.problem)
        top_layout.addWidget(self.sends_view, 1)

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.message_view)
        detail_layout.addWidget(self.facts)
        detail_layout.addWidget(self.counts)
        detail_layout.addWidget(self.rows_view, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.use_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        actions.addWidget(self.resend_button)
        actions.addWidget(self.resend_unknown_button)
        detail_layout.addLayout(actions)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("historySplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        self.refresh_button.clicked.connect(self.refresh)
        self.sends_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.use_button.clicked.connect(self._use_message)
        self.export_button.clicked.connect(self.export)
        self.resend_button.clicked.connect(self.resend_failed)
        self.resend_unknown_button.clicked.connect(self.resend_unknown)
        self._show_record(None)
        self.resize(1160, 720)

    # --- reading the journal ---

    def refresh(self, *, select: str | None = None) -> None:
        """Read the list again (on the worker), then select `select`, the send shown now, or
        the newest one."""
        self._wanted = select or (self.record.send_id if self.record else None)
        self.status.setText("Reading the history…")
        self._read(lambda journal: history.list_sends(journal, HISTORY_LIMIT), self._sends_arrived)

    @property
    def idle(self) -> bool:
        """No read of the journal is on its way."""
        return self._reads == 0

    def _read(self, work: Callable[[Journal], Any], arrived: Callable[[Any], None]) -> None:
        self._reads += 1
        self.journal.run(self.demo, work, arrived, self._failed, self._read_done)

    def _read_done(self) -> None:
        self._reads -= 1

    def _sends_arrived(self, sends: list[SendSummary]) -> None:
        self.problem.hide()
        self.sends_model.set_sends(sends)
        if not sends:
            self.status.setText("No sends yet: each send appears here as soon as it starts.")
        else:
            shown = wording.count(len(sends), "send")
            more = " (the latest; older ones are kept too)" if len(sends) == HISTORY_LIMIT else ""
            self.status.setText(f"{shown}{more}")
        row = self.sends_model.row_of(self._wanted) if self._wanted else None
        if row is not None:
            index = self.sends_proxy.mapFromSource(self.sends_model.index(row, 0))
        elif sends:
            index = self.sends_proxy.index(0, 0)  # the top line: the newest, unless re-sorted
        else:
            self._show_record(None)
            return
        # The reset cleared the selection, so this selects anew and reads the send again.
        self.sends_view.selectRow(index.row())
        self.sends_view.scrollTo(index)

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.sends_view.selectionModel().selectedRows()
        if rows:
            source = self.sends_proxy.mapToSource(rows[0])
            self.load(self.sends_model.send(source.row()).send_id)

    def load(self, send_id: str) -> None:
        """Show `send_id` with every row (read on the worker)."""
        self._loading = send_id
        self.heading.setText(f"<b>Send {html.escape(send_id)}</b> · reading…")
        self._read(lambda journal: history.get_send(journal, send_id), self._send_arrived)

    def _send_arrived(self, record: SendRecord) -> None:
        if record.send_id != self._loading:
            return  # the user moved on meanwhile: a newer answer is coming
        self.problem.hide()
        self._show_record(record)

    def _failed(self, error: BaseException) -> None:
        problem = journal_problem(error)
        if problem is None:
            problem = (
                "Something went wrong inside vtsms-gui while reading the history "
                f"({type(error).__name__})."
            )
            sys.excepthook(type(error), error, error.__traceback__)
        self._show_problem(problem)
        self.status.setText("The history could not be read.")

    def _show_problem(self, text: str) -> None:
        colour = tone_colour(Tone.BAD).name()
        self.problem.setText(f'<span style="color:{colour}">⚠ {html.escape(text)}</span>')
        self.problem.show()

    # --- the send shown ---

    def _show_record(self, record: SendRecord | None) -> None:
        self.record = record
        self.rows_model.set_record(record)
        self.rows_view.setColumnHidden(RowColumn.RESENT_IN, not self.rows_model.any_resent)
        for button in (self.use_button, self.export_button):
            button.setEnabled(record is not None)
        if record is None:
            self.heading.setText("<b>Select a send</b> to see every recipient and its outcome.")
            self.message_view.clear()
            self.facts.clear()
            self.counts.clear()
            self._show_resend(None)
            return
        who = who_text(record.username, record.server, demo=self.demo)
        when = when_text(record.created_at)
        self.heading.setText(
            f"<b>Send {html.escape(record.send_id)}</b> · {html.escape(when)} · {html.escape(who)}"
        )
        self.message_view.setPlainText(record.message)
        self.facts.setText(_facts(record))
        self.counts.setText(_counts(record))
        self._show_resend(record)

    def _show_resend(self, record: SendRecord | None) -> None:
        choices = history.resend_choices(record) if record else None
        failed, unknown = (choices.safe, choices.unknown) if choices else ((), ())
        self.resend_button.setText(f"Resend to &failed / not sent ({len(failed):,})…")
        self.resend_unknown_button.setText(f"Resend to u&nknown ({len(unknown):,})…")
        busy = record is not None and record.in_progress
        self.resend_button.setEnabled(bool(failed) and not busy)
        self.resend_unknown_button.setEnabled(bool(unknown) and not busy)
        if busy:
            tip = "This send is being sent right now: wait until it has finished."
            self.resend_button.setToolTip(tip)
            self.resend_unknown_button.setToolTip(tip)
            return
        self.resend_button.setToolTip(
            "Load the recipients that failed or were not sent into the list, with this "
            "message and its options, for a new send you check before pressing Send"
            if failed
            else "Nobody in this send failed or is waiting to be sent (or they were resent)."
        )
        self.resend_unknown_button.setToolTip(
            "Recipients who may or may not have received it: check VETtrak's SMS history first"
            if unknown
            else "No recipient of this send has an unknown outcome (or they were resent)."
        )

    def refresh_colours(self) -> None:
        """Light/dark switched: recolour the outcomes and icons."""
        self.sends_model.refresh_colours()
        self.rows_model.refresh_colours()
        self.export_button.setIcon(icons.themed_icon("export"))
        self.resend_button.setIcon(icons.themed_icon("send"))
        if self.record is not None:
            self.counts.setText(_counts(self.record))

    # --- actions ---

    def _use_message(self) -> None:
        if self.record is not None:
            self.use_message.emit(self.record.message)
            self.status.setText(f"The message of send {self.record.send_id} is in the editor.")

    def resend_failed(self) -> None:
        record = self.record
        if record is None:
            return
        rows = history.resend_choices(record).safe
        if rows and not record.in_progress:
            self.resend_requested.emit(ResendRequest(record, rows, self.demo))

    def resend_unknown(self) -> None:
        record = self.record
        if record is None:
            return
        rows = history.resend_choices(record).unknown
        if not rows or record.in_progress:
            return
        if history_prompts.confirm_resend_unknown(self, len(rows), record.send_id):
            self.resend_requested.emit(ResendRequest(record, rows, self.demo))

    def export(self) -> None:
        record = self.record
        if record is None:
            return
        stamp = record.created_at.astimezone().strftime("%Y-%m-%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export send", f"sms-{record.send_id}-{stamp}.csv", "CSV files (*.csv)"
        )
        if not path:
            return
        # Imported here: the grid's CSV code loads with the first export, not with the window.
        from vtsms_gui.ui.send.results_export import export_send

        target = Path(path)
        self.status.setText(f"Exporting to {target.name}…")
        run_task(
            self.journal.pool,
            lambda: export_send(record, target),
            lambda count: self.status.setText(
                f"Exported {wording.count(count, 'row')} to {target.name}."
            ),
            self._export_failed,
        )

    def _export_failed(self, error: BaseException) -> None:
        if not isinstance(error, OSError):
            sys.excepthook(type(error), error, error.__traceback__)
            return
        self.status.setText("The export failed.")
        self._show_problem(
            f"The file could not be written: {wording.sentence(error.strerror or str(error))}"
        )


def _facts(record: SendRecord) -> str:
    options = record.options
    parts = [
        f"From {options.sender}" if options.sender else "From the SMS gateway's default number",
        f"{wording.count(record.segments, 'SMS part')} each",
        wording.count(len(record.recipients), "recipient"),
        f"about {wording.count(record.credits, 'credit')}",
    ]
    if record.excluded:
        parts.append(f"{wording.count(len(record.excluded), 'row')} left out")
    if options.marketing:
        parts.append("marketing")
    if options.accept_replies:
        parts.append("replies accepted")
    if options.schedule is not None:
        parts.append(f"scheduled for {when_text(options.schedule)}")
    attempts = max((b.attempt for b in record.batches), default=1)
    if attempts > 1:
        parts.append(f"resumed ({attempts} attempts)")
    return " · ".join(parts)


def _counts(record: SendRecord) -> str:
    counts = record.counts
    shown = [
        ("Sent", counts.sent, None),
        ("Failed", counts.failed, Tone.BAD),
        ("Unknown", counts.unknown, Tone.UNKNOWN),
        ("Not sent", counts.not_sent, Tone.MUTED),
    ]
    pieces = []
    for word, count, tone in shown:
        text = f"{word} {count:,}"
        if count and tone is not None:
            text = f'<span style="color:{tone_colour(tone).name()}">{text}</span>'
        pieces.append(text)
    line = f"<b>{' · '.join(pieces)}</b>"
    if record.resent_in:
        sends = sorted(set(record.resent_in.values()))
        line += (
            f" · {wording.count(len(record.resent_in), 'row')} resent in "
            f"{', '.join(html.escape(s) for s in sends)}"
        )
    if record.in_progress:
        line += " · <i>being sent right now</i>"
    elif counts.unknown:
        line += "<br>Check the SMS history in VETtrak before resending the rows marked unknown."
    return line
