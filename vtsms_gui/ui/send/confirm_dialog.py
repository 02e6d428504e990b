"""The last look before sending: who, who is left out and why, parts, credits, balance after,
when, marketing, sender and any warnings."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.domain.send_plan import SendPlan
from vtsms_gui.ui.common import wording
from vtsms_gui.ui.common.theme import Tone, tone_colour
from vtsms_gui.ui.compose.message_panel import counter_text
from vtsms_gui.ui.compose.options_panel import zone_label

MAX_EXCLUDED_SHOWN = 200


def schedule_text(plan: SendPlan) -> str:
    schedule = plan.options.schedule
    if schedule is None:
        return "Now"
    offset = schedule.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    shown = schedule.strftime("%a %d %b %Y, %I:%M %p").replace(" 0", " ")
    return f"{shown} ({zone_label(schedule.tzname() or '', seconds)})"


def sender_text(plan: SendPlan) -> str:
    if plan.options.accept_replies:
        return "Not used: replies come from the SMS gateway's number"
    return plan.options.sender or "The SMS gateway's default number"


class ConfirmSendDialog(QDialog):
    def __init__(self, plan: SendPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send these SMS?")
        self.setObjectName("confirmSendDialog")
        self.plan = plan

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        count = len(plan.recipients)
        self.rows: dict[str, QLabel] = {}
        parts = plan.analysis.segments
        balance_after = plan.balance_after
        self._add(form, "Recipients", wording.count(count, "recipient"))
        self._add(
            form, "Left out", wording.count(len(plan.excluded), "row") if plan.excluded else "None"
        )
        if plan.resend_of is not None:
            self._add(
                form,
                "Resending",
                f"{wording.count(len(plan.resend_of.rows), 'row')} of send "
                f"{html.escape(plan.resend_of.send_id)}",
            )
        # Each recipient's own text (a personalised message, or a resend of one): the parts
        # differ from row to row, so the range and the exact sum, not one row's count × all.
        each = [b.segments for b in plan.batches]
        varied = plan.personalisation is not None or len({b.text for b in plan.batches}) > 1
        if varied:
            parts = max(each, default=parts)
            if plan.personalisation is not None:
                shown = plan.personalisation.summary.counter_text()
            else:
                low, high = min(each, default=parts), parts
                shown = f"{low}-{high} SMS per recipient" if low != high else f"{low} SMS each"
            self._add(form, "Message", f"Personalised: {html.escape(shown)}")
            self._add(
                form,
                "Credits",
                f"{wording.count(plan.credits, 'credit')} (the sum over every recipient's own "
                "text)",
            )
        else:
            self._add(form, "Message", f"{counter_text(plan.analysis)} each")
            self._add(
                form,
                "Credits",
                f"about {wording.count(plan.credits, 'credit')} "
                f"({wording.count(parts, 'SMS part')} × {wording.count(count, 'recipient')})",
            )
        if plan.balance is not None and balance_after is not None:
            after = f"{balance_after:,}"
            if balance_after < 0:
                colour = tone_colour(Tone.BAD).name()
                after = f'<span style="color:{colour}"><b>{after}</b>: not enough credit</span>'
            self._add(form, "Balance after", f"{after} (now {plan.balance:,})")
        self._add(form, "When", schedule_text(plan))
        self._add(
            form,
            "Marketing",
            "Yes: opted-out students are left out" if plan.options.marketing else "No",
        )
        self._add(form, "Replies", "Accepted" if plan.options.accept_replies else "Not accepted")
        self._add(form, "Sender", html.escape(sender_text(plan)))
        if plan.options.provider_id:
            self._add(form, "Provider ID", html.escape(plan.options.provider_id))

        heading = QLabel("<b>Please check before sending.</b> SMS cannot be called back.", self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(4)
        layout.addLayout(form)
        if plan.excluded:
            excluded = QPlainTextEdit(self)
            excluded.setObjectName("excludedRows")
            excluded.setAccessibleName("Rows left out and why")
            excluded.setReadOnly(True)
            lines = [f"Row {e.row + 1}: {e.reason}" for e in plan.excluded[:MAX_EXCLUDED_SHOWN]]
            if len(plan.excluded) > MAX_EXCLUDED_SHOWN:
                lines.append(f"… and {len(plan.excluded) - MAX_EXCLUDED_SHOWN:,} more")
            excluded.setPlainText("\n".join(lines))
            excluded.setFixedHeight(96)
            layout.addSpacing(6)
            layout.addWidget(QLabel("Rows left out, and why:", self))
            layout.addWidget(excluded)
        if plan.warnings:
            colour = tone_colour(Tone.WARN).name()
            items = "".join(f"<li>{html.escape(w.message)}</li>" for w in plan.warnings)
            warnings = QLabel(
                f'<b style="color:{colour}">Please check:</b><ul style="margin:0">{items}</ul>',
                self,
            )
            warnings.setObjectName("planWarnings")
            warnings.setWordWrap(True)
            layout.addWidget(warnings)

        buttons = QDialogButtonBox(self)
        send = buttons.addButton(
            f"Send {wording.count(count, 'SMS', 'SMS')}"
            if parts == 1
            else f"Send to {wording.count(count, 'recipient')}",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        send.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setFixedWidth(520)
        # The height its lines need at that width. Not adjustSize(): it keeps a window within
        # two thirds of the screen's height, which on a 600-pixel screen (or 768 at 150 %)
        # squeezed the summary's lines into each other, their descenders cut off.
        self.resize(520, max(self.heightForWidth(520), self.minimumSizeHint().height()))

    def _add(self, form: QFormLayout, label: str, value: str) -> None:
        shown = QLabel(value, self)
        shown.setTextFormat(Qt.TextFormat.RichText)
        shown.setWordWrap(True)
        shown.setAccessibleName(label)
        form.addRow(f"{label}:", shown)
        self.rows[label] = shown
