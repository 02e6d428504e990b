"""The message side of the window: editor and counter, send options, the cost line, and the
Send button with its progress bar and Cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.domain.sms_text import TextAnalysis
from vtsms_gui.ui.common import icons, wording
from vtsms_gui.ui.common.theme import Tone, on_theme_change, tone_colour
from vtsms_gui.ui.compose.message_panel import MessagePanel
from vtsms_gui.ui.compose.options_panel import OptionsPanel

if TYPE_CHECKING:
    from vtsms_gui.api.send_runner import SendProgress
    from vtsms_gui.domain.personalise import PersonalisationSummary
    from vtsms_gui.domain.send_plan import SendOptions


def cost_text(segments: int, recipients: int, balance: int | None) -> str:
    """ "2 SMS × 209 recipients = 418 credits · balance 5,000"."""
    credits = segments * recipients
    text = (
        f"{wording.count(segments, 'SMS', 'SMS')} × {wording.count(recipients, 'recipient')} "
        f"= {wording.count(credits, 'credit')}"
    )
    return text + _balance(balance)


MIN_COMPOSE_WIDTH = 420
"""Narrower than this, the message and options scroll sideways (a 1366x768 screen at 150 %)."""


def _parts(summary: PersonalisationSummary) -> str:
    low, high = summary.min_parts, summary.max_parts
    return f"{low} SMS" if low == high else f"{low}–{high} SMS"


def _balance(balance: int | None) -> str:
    return f" · balance {balance:,}" if balance is not None else " · balance unknown"


def personalised_cost_text(summary: PersonalisationSummary, balance: int | None) -> str:
    """ "1–2 SMS × 3 recipients = 4 credits · balance 5,000": the exact sum over the rows."""
    text = (
        f"{_parts(summary)} × {wording.count(summary.rows, 'recipient')} "
        f"= {wording.count(summary.credits, 'credit')}"
    )
    return text + _balance(balance)


BLOCKED_COST = "Cost: cannot be counted until the message is fixed"
BLOCKED_COUNTER = "Not counted: fix the message"


def personalised_counter(summary: PersonalisationSummary) -> tuple[str, str, str]:
    """What the counter under a personalised message says, shown and spoken, and its tooltip:
    the range over each recipient's own text, not the template's length."""
    if not summary.rows:
        shown = "No recipient to send to"
        return shown, f"Personalised message: {shown.lower()}.", shown + "."
    shown = f"{_parts(summary)} per recipient"
    low, high = summary.min_parts, summary.max_parts
    said = f"{low} SMS" if low == high else f"{low} to {high} SMS"
    spoken = (
        f"Personalised message: {said} per recipient, counted on each recipient's own text; "
        f"{wording.count(summary.credits, 'credit')} in all."
    )
    tip = (
        "Each recipient's own text is counted, with their values in place of the "
        f"placeholders: {summary.counter_text()}."
    )
    return shown, spoken, tip


class ComposePanel(QWidget):
    send_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        on_theme_change(self.refresh_colours)  # light/dark or style switched: recolour
        self.message = MessagePanel(self)
        self.options = OptionsPanel(self)
        self.templates_button = QToolButton(self)
        self.templates_button.setText("Templates")
        self.templates_button.setIcon(icons.themed_icon("template"))
        self.templates_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.templates_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.templates_button.setAccessibleName("Templates")

        self.cost = QLabel(self)
        self.cost.setObjectName("costLine")
        self.cost.setAccessibleName("Cost")
        self.cost.setWordWrap(True)
        self.cost.setTextFormat(Qt.TextFormat.RichText)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("sendProgress")
        self.progress.setAccessibleName("Send progress")
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(icons.themed_icon("cancel"), "Cancel", self)
        self.cancel_button.setToolTip("Stop after the batch being sent now")
        self.send_button = QPushButton(icons.themed_icon("send"), "&Send…", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip("Check the summary, then send (Ctrl+Enter)")
        # Enter presses it once it has the focus. Not setDefault: Fusion draws a default
        # button with the very outline it uses for focus, so the focus on Send did not show.
        self.send_button.setAutoDefault(True)
        self.send_button.setMinimumWidth(110)

        message_box = QGroupBox("Message", self)
        message_layout = QVBoxLayout(message_box)
        message_layout.addWidget(self.message, 1)
        options_box = QGroupBox("Options", self)
        options_layout = QVBoxLayout(options_box)
        options_layout.addWidget(self.options)

        self.message.add_tool(self.templates_button)

        send_row = QHBoxLayout()
        send_row.addWidget(self.progress, 1)
        send_row.addWidget(self.cancel_button)
        send_row.addStretch(0)
        send_row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The message and options in a scroll area: on a small or scaled screen the message
        # shrinks to a few lines first, then they scroll, and the cost and Send stay in view.
        editor = self.message.editor
        editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * 4)
        # It takes the height left over, and asks for no more than its minimum: its size hint
        # is then four lines (Qt's for a scroll area sized to its contents), not 192 pixels.
        # Not the Ignored policy: Qt leaves an Ignored widget out of a layout's height for a
        # width, so a wrapped line under it (the tools, the characters' note) was drawn over it.
        editor.setSizeAdjustPolicy(QPlainTextEdit.SizeAdjustPolicy.AdjustToContentsOnFirstShow)
        policy = editor.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Expanding)
        editor.setSizePolicy(policy)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(message_box, 1)
        body_layout.addWidget(options_box)
        scroll = QScrollArea(self)
        scroll.setObjectName("composeScroll")
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Not a Tab stop of its own (it would show no focus): Tab goes to the fields inside,
        # and the scroll area brings each one into view as it gets the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # As wide as the message and options need where there is room; sideways too only on a
        # tiny screen. Again whenever they change: tools are added after this (Insert field,
        # Test to me) and Replace shows with a Unicode message.
        self._scroll = scroll
        self._fit_scroll_width()
        body.installEventFilter(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.cost)
        layout.addLayout(send_row)

        self.send_button.clicked.connect(self.send_requested)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.message.analysis_changed.connect(self._message_changed)
        self._recipients = 0
        self._balance: int | None = None
        self._personalised: PersonalisationSummary | None = None
        self._blocked = False
        self.set_sending(False)
        self._show_cost()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._scroll.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit_scroll_width()
        return False

    def _fit_scroll_width(self) -> None:
        body = self._scroll.widget()
        if body is None:
            return
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        self._scroll.setMinimumWidth(min(body.minimumSizeHint().width() + bar, MIN_COMPOSE_WIDTH))

    # --- cost ---

    def set_recipients(self, sendable: int) -> None:
        self._recipients = sendable
        self._show_cost()

    def set_personalised(
        self, summary: PersonalisationSummary | None, *, blocked: bool = False
    ) -> None:
        """A personalised message: the counter gives the range over the rows and the cost is
        the exact sum of each row's credits. `blocked`: a placeholder or brace the message must
        fix first, so nothing can be counted. None and not blocked: count the message as typed."""
        self._personalised = summary
        self._blocked = blocked
        if blocked:
            self.message.count_per_recipient(
                BLOCKED_COUNTER,
                "Personalised message: not counted until the problem with its placeholders "
                "is fixed.",
                "The SMS count and the cost wait until the problem shown under the message "
                "is fixed.",
            )
        elif summary is not None:
            self.message.count_per_recipient(*personalised_counter(summary))
        else:
            self.message.count_per_recipient(None)
        self._show_cost()

    def set_balance(self, balance: int | None) -> None:
        self._balance = balance
        self._show_cost()

    def _message_changed(self, analysis: TextAnalysis) -> None:
        self.options.set_message(self.message.text())
        self._show_cost()

    def _show_cost(self) -> None:
        if self._blocked:
            self.cost.setText(BLOCKED_COST + _balance(self._balance))
            return
        segments = self.message.analysis.segments
        text = cost_text(segments, self._recipients, self._balance)
        credits = segments * self._recipients
        if self._personalised is not None:
            text = personalised_cost_text(self._personalised, self._balance)
            credits = self._personalised.credits
        if self._balance is not None and credits > self._balance:
            colour = tone_colour(Tone.BAD).name()
            self.cost.setText(
                f'<span style="color:{colour}"><b>⚠ {text}</b>: more than the balance. '
                "VETtrak will refuse the batches it cannot pay for.</span>"
            )
        else:
            self.cost.setText(text)

    # --- what the controllers ask of the panel (they never reach into its widgets) ---

    def message_text(self) -> str:
        """The message as typed (a template when it has placeholders)."""
        return self.message.text()

    def send_options(self) -> SendOptions:
        return self.options.options()

    def sender_id(self) -> str:
        return self.options.sender_edit.text()

    def set_sender_id(self, sender: str) -> None:
        self.options.sender_edit.setText(sender)

    def set_preparing(self, preparing: bool) -> None:
        """Held still while a send's plan is built: the message, the options and Send."""
        self.message.set_locked(preparing)
        self.options.set_locked(preparing)
        self.send_button.setEnabled(not preparing)

    def stop_sending(self) -> None:
        """As if Cancel were clicked ("Stopping…", then `cancel_requested`), once."""
        if self.cancel_button.isEnabled():
            self._cancel_clicked()

    # --- sending ---

    def set_sending(self, sending: bool) -> None:
        self.message.set_locked(sending)
        self.options.set_locked(sending)
        self.templates_button.setEnabled(not sending)
        self.send_button.setEnabled(not sending)
        self.progress.setVisible(sending)
        self.cancel_button.setVisible(sending)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        if sending:
            self.progress.setRange(0, 0)  # busy until the first batch answers

    def show_progress(self, progress: SendProgress) -> None:
        self.progress.setRange(0, progress.recipients_total)
        self.progress.setValue(progress.recipients_done)
        total = wording.count(progress.recipients_total, "recipient")
        self.progress.setFormat(
            f"Batch {progress.batches_done} of {progress.batches_total} · "
            f"{progress.recipients_done:,} of {total}"
        )

    def _cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping…")
        self.cancel_requested.emit()

    def refresh_colours(self) -> None:
        self.message.refresh_colours()
        self.options.refresh_colours()
        self.templates_button.setIcon(icons.themed_icon("template"))
        self.cancel_button.setIcon(icons.themed_icon("cancel"))
        self.send_button.setIcon(icons.themed_icon("send"))
        self._show_cost()
