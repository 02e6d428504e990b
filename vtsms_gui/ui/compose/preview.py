"""Personalised messages in the window: the "Insert field" button, placeholders highlighted, the
preview of the selected row's text, the counter's range across rows, the exact credits on the
cost line, and the rows a value leaves out flagged in the grid.

The recount runs a short while after the last keystroke (a debounce), and for long lists in a
worker thread, so typing stays quick with 10,000 rows loaded; a result that arrives after the
message or the list changed again is dropped. The plan built at send time is computed afresh
and does not depend on it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from vtsms_gui.domain.personalise import (
    Personalisation,
    PersonalisedRow,
    describe_unicode,
    fields_for,
    personalise,
    readable_char,
)
from vtsms_gui.domain.placeholders import FieldSet, Template, parse_template
from vtsms_gui.domain.recipients import CheckedRecipient
from vtsms_gui.domain.sms_text import PieceAnalyser
from vtsms_gui.ui.common.theme import Tone, tone_colour
from vtsms_gui.ui.common.workers import run_task
from vtsms_gui.ui.compose.compose_panel import ComposePanel
from vtsms_gui.ui.compose.field_menu import FieldMenu
from vtsms_gui.ui.compose.placeholder_highlighter import PlaceholderHighlighter
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel
from vtsms_gui.ui.recipients.recipients_panel import RecipientsPanel

DEBOUNCE_MS = 150
WORKER_ABOVE = 2000
"""Lists longer than this are recounted in a worker thread."""
MAX_UNICODE_ROWS_LISTED = 5


class PreviewPanel(QWidget):
    """Under the editor: what the personalised message says, and the selected row's text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = QLabel(self)
        self.problem.setObjectName("placeholderProblem")
        self.problem.setAccessibleName("Problem with the placeholders")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.range = QLabel(self)
        self.range.setObjectName("personalisedCounter")
        self.range.setAccessibleName("Notes on the recipients' texts")
        self.range.setWordWrap(True)
        self.preview = QLabel(self)
        self.preview.setObjectName("messagePreview")
        self.preview.setAccessibleName("Preview of the selected recipient's message")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.preview.setMargin(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem)
        layout.addWidget(self.range)
        layout.addWidget(self.preview)
        self.problem.hide()

    def fit(self) -> None:
        """Give each wrapped label the height its text needs at the current width (a wrapped
        QLabel in nested layouts is otherwise squeezed to one line and clipped)."""
        width = max(self.width(), 200)
        self.range.setVisible(bool(self.range.text()))
        self.preview.setVisible(bool(self.preview.text()))  # no empty frame
        for label in (self.problem, self.range, self.preview):
            label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


def _row_name(checked: CheckedRecipient) -> str:
    recipient = checked.recipient
    return recipient.name or recipient.client_code or recipient.mobile or ""


class Personaliser(QObject):
    """Keeps the preview, counter range, cost line and grid flags in step with the message."""

    def __init__(
        self, compose: ComposePanel, model: RecipientsModel, recipients: RecipientsPanel
    ) -> None:
        super().__init__(compose)
        self._compose = compose
        self._model = model
        self._recipients = recipients
        self._analyser = PieceAnalyser()
        self._checked: list[CheckedRecipient] | None = None
        self._sendable: list[bool] = []
        self._fields: FieldSet | None = None
        self.personalisation: Personalisation | None = None
        self.template: Template = parse_template("")
        self._generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one recount at a time; the analyser is not shared
        message = compose.message
        self.panel = PreviewPanel(message)
        layout = message.layout()
        assert layout is not None
        layout.addWidget(self.panel)
        self.panel.hide()
        self.highlighter = PlaceholderHighlighter(message.editor)
        self.field_menu = FieldMenu(self.fields, message.insert_text, message)
        message.add_tool(self.field_menu)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.recount)

        message.editor.textChanged.connect(self._timer.start)
        model.checked_changed.connect(self._list_changed)
        model.rows_changed.connect(self._list_changed)
        selection = recipients.view.selectionModel()
        selection.currentRowChanged.connect(self._selection_changed)
        selection.selectionChanged.connect(self._selection_changed)
        self._list_changed()

    # --- the list ---

    def fields(self) -> FieldSet:
        """The fields a message may use: the list's columns and always Client code and Mobile."""
        if self._fields is None:
            self._fields = fields_for(self._model.recipients)
        return self._fields

    def _list_changed(self) -> None:
        self._checked = None
        self._fields = None
        self.highlighter.set_fields(self.fields())
        self._timer.start()

    def _checked_rows(self) -> list[CheckedRecipient] | None:
        if self._checked is None and self._model.is_checked:
            self._checked = self._model.checked()
            self._sendable = [c.sendable for c in self._checked]
        return self._checked

    # --- the recount ---

    def flush(self) -> None:
        """Recount now, on this thread (tests, benchmarks, and before a screenshot)."""
        if self._timer.isActive():
            self._timer.stop()
        self._pool.waitForDone()
        self.recount(in_worker=False)

    def recount(self, *, in_worker: bool = True) -> None:
        self._generation += 1
        message = self._compose.message
        self.template = template = parse_template(message.text())
        checked = self._checked_rows()
        if not template.is_personalised and template.ok:
            self.personalisation = None
            self.panel.hide()
            self._compose.set_personalised(None)
            self._model.set_value_problems({})
            return
        self.panel.show()
        fields = self.fields()
        problem = template.error_message() or template.unknown_fields_message(fields)
        for name in template.ambiguous_fields(fields):
            problem = problem or fields.ambiguous_message(name)
        self._show_problem(problem)
        if problem:
            # The message is at fault, not the rows: flag none, count nothing, preview nothing.
            self.personalisation = None
            self.panel.range.setText("")
            self.panel.preview.setText("")
            self._compose.set_personalised(None, blocked=True)
            self._model.set_value_problems({})
            self.panel.fit()
            return
        if checked is None:
            self.panel.range.setText("Checking the list…")
            self.panel.fit()
            return
        max_parts = self._compose.send_options().max_parts
        sendable, analyser, generation = self._sendable, self._analyser, self._generation

        def count() -> Personalisation:
            return personalise(
                template,
                checked,
                max_parts=max_parts,
                fields=fields,
                analyser=analyser,
                sendable=sendable,
            )

        if not in_worker or len(checked) <= WORKER_ABOVE:
            self._counted(generation, count())
            return
        self.panel.range.setText("Counting…")
        self.panel.fit()
        run_task(self._pool, count, lambda p: self._counted(generation, p))

    def _counted(self, generation: int, p: Personalisation) -> None:
        if generation != self._generation:
            return  # the message or the list changed meanwhile: a newer count is on its way
        self.personalisation = p
        self.panel.range.setText(self._range_text(p))
        # With no rows loaded there is nothing per recipient to count: the counter counts the
        # message as typed.
        self._compose.set_personalised(p.summary if p.texts else None)
        left_out = p.left_out
        self._model.set_value_problems(
            {r.row: r.problem for r in left_out}, {r.row: r.advice for r in left_out}
        )
        self._show_preview()

    def _show_problem(self, problem: str) -> None:
        self.panel.problem.setVisible(bool(problem))
        if problem:
            colour = tone_colour(Tone.BAD).name()
            self.panel.problem.setText(
                f'<span style="color:{colour}"><b>Cannot send:</b> {html.escape(problem)}</span>'
            )

    def _range_text(self, p: Personalisation) -> str:
        """What the counter's range (under the message) leaves unsaid: the rows that need
        Unicode, and those left out and why."""
        notes = []
        unicode_rows = [r for _, r in sorted(p.noted.items()) if r.sent and r.unicode_chars]
        if unicode_rows:
            shown = [
                f"row {r.row + 1} ({', '.join(readable_char(c) for c in r.unicode_chars)})"
                for r in unicode_rows[:MAX_UNICODE_ROWS_LISTED]
            ]
            more = len(unicode_rows) - MAX_UNICODE_ROWS_LISTED
            who = "recipient needs" if len(unicode_rows) == 1 else "recipients need"
            notes.append(
                f"{len(unicode_rows):,} {who} Unicode because of their values: "
                + ", ".join(shown)
                + (f" and {more} more" if more > 0 else "")
                + "; names are sent as they are."
            )
        if left_out := p.left_out:
            notes.append(_left_out_text(left_out))
        return " ".join(notes)

    # --- the preview ---

    def current_row(self) -> int:
        """The list row the preview shows: the grid's current row, else the first."""
        view = self._recipients.view
        index = view.currentIndex()
        if index.isValid():
            source = self._recipients.proxy.mapToSource(index)
            at = self._model.list_row(source.row())
            if at is not None:
                return at
        return 0

    def _selection_changed(self, *_: object) -> None:
        self._show_preview()

    def _show_preview(self) -> None:
        self.panel.preview.setText(self._preview_text())
        self.panel.fit()

    def _preview_text(self) -> str:
        p = self.personalisation
        checked = self._checked
        if p is None or checked is None or not p.texts:
            return "<i>No recipient to preview yet.</i>" if p else ""
        at = self.current_row()
        if at >= len(p.texts):
            at = 0
        row: PersonalisedRow = p.row(at)
        name = _row_name(checked[at])
        head = f"<b>Row {at + 1}{' · ' + html.escape(name) if name else ''}</b>"
        notes = [f"{row.segments} SMS"]
        if row.problem:
            notes.append("not sent: " + html.escape(row.problem))
        elif not row.sent:
            notes.append("not sent: " + html.escape(checked[at].reason or "a problem row"))
        if note := describe_unicode(row):
            notes.append(html.escape(note))
        body = html.escape(row.text).replace("\n", "<br>")
        return f"{head} ({'; '.join(notes)}):<br>{body}"


def _left_out_text(left_out: tuple[PersonalisedRow, ...]) -> str:
    """ "2 recipients are left out: 1 because of an empty value, 1 because a value has a
    character that cannot be sent." (each reason said only when it applies)."""
    empty = sum(1 for r in left_out if r.empty)
    reasons = [
        f"{count:,} because {why}" if len(left_out) != count else f"because {why}"
        for count, why in (
            (empty, "of an empty value"),
            (len(left_out) - empty, "a value has a character that cannot be sent"),
        )
        if count
    ]
    who = "recipient is" if len(left_out) == 1 else "recipients are"
    joiner = " " if len(reasons) == 1 else ": "
    return f"{len(left_out):,} {who} left out{joiner}{', '.join(reasons)}."
