"""Send options: sender (checked live against the Australian rules), marketing, replies,
provider ID (under Advanced) and when to send, shown in the computer's time zone."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.domain.send_plan import SendOptions, build_plan
from vtsms_gui.domain.sender_id import ALPHANUMERIC_MAX, check_sender
from vtsms_gui.ui.common.flow_layout import FlowLayout
from vtsms_gui.ui.common.theme import Tone, show_indicator_frames, tone_colour

MARKETING_REMINDER = (
    "Marketing SMS must identify your organisation and say how to opt out, "
    'e.g. "Reply STOP to opt out".'
)
REPLIES_NOTE = "Replies come from a number the SMS gateway supplies, so no sender is used."


def _note(text: str, tone: Tone | None = None) -> str:
    if tone is None:
        return text
    return f'<span style="color:{tone_colour(tone).name()}">{text}</span>'


def zone_label(name: str, offset_seconds: int) -> str:
    """E.g. "AEDT, UTC+11:00": what the user's clock means, next to the chosen time."""
    sign = "+" if offset_seconds >= 0 else "-"
    hours, minutes = divmod(abs(offset_seconds) // 60, 60)
    utc = f"UTC{sign}{hours:02d}:{minutes:02d}"
    return f"{name}, {utc}" if name and not name.startswith(("UTC", "GMT", "+", "-")) else utc


def local_zone_label(moment: QDateTime) -> str:
    return zone_label(moment.timeZoneAbbreviation(), moment.offsetFromUtc())


def _stacked(top: QWidget | QHBoxLayout, note: QLabel) -> QVBoxLayout:
    """A field with its note right under it (a form row's own spacing is too loose)."""
    column = QVBoxLayout()
    column.setSpacing(3)
    if isinstance(top, QWidget):
        column.addWidget(top)
    else:
        column.addLayout(top)
    column.addWidget(note)
    return column


class OptionsPanel(QWidget):
    """Emits `changed` whenever an option changes; `options()` gives the SendOptions."""

    changed = Signal()
    accept_replies_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message = ""

        self.sender_edit = QLineEdit(self)
        self.sender_edit.setObjectName("sender")
        self.sender_edit.setAccessibleName("Sender")
        self.sender_edit.setPlaceholderText("Your organisation's name or number (optional)")
        self.sender_edit.setMaxLength(20)
        self.sender_note = self._note_label("senderNote")

        self.marketing = QCheckBox("Marketing message", self)
        self.marketing.setToolTip(
            "Tick for commercial messages (offers, new courses). VETtrak leaves out students "
            "who opted out of marketing."
        )
        self.marketing_note = self._note_label("marketingNote")
        self.accept_replies = QCheckBox("Accept replies", self)
        self.accept_replies.setToolTip(
            "Students can reply; read replies in VETtrak (Utility > Retrieve SMS Replies). "
            "Every recipient then needs a client code."
        )

        self.send_now = QRadioButton("Send now", self)
        self.send_later = QRadioButton("Send at", self)
        self.send_now.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.send_now)
        group.addButton(self.send_later)
        self.schedule = QDateTimeEdit(self)
        self.schedule.setObjectName("schedule")
        self.schedule.setAccessibleName("Send at date and time")
        self.schedule.setCalendarPopup(True)
        self.schedule.setDisplayFormat("ddd d MMM yyyy  h:mm AP")
        tomorrow = QDateTime.currentDateTime().addDays(1)
        self.schedule.setDateTime(QDateTime(tomorrow.date(), QTime(9, 0)))
        self.schedule.setMinimumDateTime(QDateTime.currentDateTime())
        self.schedule.setEnabled(False)
        self.zone = QLabel(self)
        self.zone.setObjectName("timeZone")

        self.advanced = QToolButton(self)
        self.advanced.setText("Advanced")
        self.advanced.setCheckable(True)
        self.advanced.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced.setAutoRaise(True)
        self.provider_id = QLineEdit(self)
        self.provider_id.setAccessibleName("Provider ID")
        self.provider_id.setPlaceholderText("Leave empty unless your SMS provider gave you one")
        self.provider_label = QLabel("&Provider ID:", self)
        self.provider_label.setBuddy(self.provider_id)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        sender_label = QLabel("&Sender:", self)
        sender_label.setBuddy(self.sender_edit)
        form.addRow(sender_label, _stacked(self.sender_edit, self.sender_note))
        flags = QHBoxLayout()
        flags.setContentsMargins(0, 0, 0, 0)
        flags.addWidget(self.marketing)
        flags.addSpacing(12)
        flags.addWidget(self.accept_replies)
        flags.addStretch(1)
        form.addRow("", _stacked(flags, self.marketing_note))
        # Wraps the time and its zone under the choices where the panel is narrow (1024x600,
        # 1366x768 at 150 %) rather than pushing the message and options sideways.
        when = FlowLayout(spacing=8)
        for widget in (self.send_now, self.send_later, self.schedule, self.zone):
            when.addWidget(widget)
        form.addRow("When:", when)
        form.addRow(self.advanced)
        form.addRow(self.provider_label, self.provider_id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)

        self.sender_edit.textChanged.connect(self._refresh)
        self.marketing.toggled.connect(self._refresh)
        self.accept_replies.toggled.connect(self._replies_toggled)
        self.send_later.toggled.connect(self.schedule.setEnabled)
        self.send_later.toggled.connect(self._refresh)
        self.schedule.dateTimeChanged.connect(self._refresh)
        self.provider_id.textChanged.connect(self.changed)
        self.advanced.toggled.connect(self._show_advanced)
        self._show_advanced(False)
        self.refresh_colours()

    def _note_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    # --- values ---

    def options(self) -> SendOptions:
        return SendOptions(
            sender="" if self.accept_replies.isChecked() else self.sender_edit.text(),
            marketing=self.marketing.isChecked(),
            accept_replies=self.accept_replies.isChecked(),
            provider_id=self.provider_id.text().strip(),
            schedule=self.scheduled_time(),
        )

    def set_options(self, options: SendOptions) -> None:
        """Show `options` (those of an earlier send being resent). A scheduled time that has
        passed becomes "Send now": the plan would send it at once anyway."""
        self.accept_replies.setChecked(options.accept_replies)
        self.sender_edit.setText(options.sender)
        self.marketing.setChecked(options.marketing)
        self.provider_id.setText(options.provider_id)
        if options.provider_id:
            self.advanced.setChecked(True)
        schedule = options.schedule
        if schedule is not None and schedule > datetime.now(schedule.tzinfo):
            local = schedule.astimezone()  # the computer's clock, as the field shows it
            self.schedule.setDateTime(
                QDateTime(
                    QDate(local.year, local.month, local.day),
                    QTime(local.hour, local.minute, local.second),
                )
            )
            self.send_later.setChecked(True)
        else:
            self.send_now.setChecked(True)

    def scheduled_time(self) -> datetime | None:
        """The chosen time with the computer's UTC offset for that date attached; None = now."""
        if not self.send_now.isChecked():
            local = self.schedule.dateTime().toPython()
            assert isinstance(local, datetime)
            return local.astimezone()  # a naive time is taken as local; its offset is attached
        return None

    def set_message(self, message: str) -> None:
        """The message, for the opt-out check of marketing messages."""
        self._message = message
        if self.marketing.isChecked():
            self._refresh()

    def set_locked(self, locked: bool) -> None:
        for widget in (self.marketing, self.accept_replies, self.send_now, self.send_later):
            widget.setEnabled(not locked)
        self.sender_edit.setEnabled(not locked and not self.accept_replies.isChecked())
        self.schedule.setEnabled(not locked and self.send_later.isChecked())
        self.provider_id.setEnabled(not locked)

    def refresh_colours(self) -> None:
        show_indicator_frames((self.marketing, self.accept_replies, self.send_now, self.send_later))
        self._refresh()

    # --- reacting ---

    def _replies_toggled(self, on: bool) -> None:
        self.sender_edit.setEnabled(not on)
        self.accept_replies_changed.emit(on)
        self._refresh()

    def _show_advanced(self, shown: bool) -> None:
        self.advanced.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.provider_id.setVisible(shown)
        self.provider_label.setVisible(shown)

    def _refresh(self) -> None:
        self._show_sender_note()
        self._show_marketing_note()
        self.zone.setText(local_zone_label(self.schedule.dateTime()))
        self.changed.emit()

    def _show_sender_note(self) -> None:
        if self.accept_replies.isChecked():
            self.sender_note.setText(_note(REPLIES_NOTE))
            self.sender_note.setVisible(True)
            self.sender_edit.setToolTip(REPLIES_NOTE)
            return
        self.sender_edit.setToolTip(
            f"A name of 2 to {ALPHANUMERIC_MAX} plain characters, or a phone number. "
            "Leave empty for the gateway's default number."
        )
        check = check_sender(self.sender_edit.text())
        if check.problem:
            self.sender_note.setText(_note(html.escape(check.problem), Tone.BAD))
        elif check.kind == "alphanumeric":
            note = html.escape(check.note)
            self.sender_note.setText(_note(f"<b>Unverified?</b> {note}", Tone.WARN))
        else:
            self.sender_note.setText(_note(html.escape(check.note)))
        self.sender_note.setVisible(bool(self.sender_note.text()))

    def _show_marketing_note(self) -> None:
        if not self.marketing.isChecked():
            self.marketing_note.setVisible(False)
            return
        # The plan's own rule says whether the message says how to opt out.
        plan = build_plan(self._message, [], self.options())
        missing = any(issue.code == "no_opt_out" for issue in plan.warnings)
        if missing:
            text = _note(f"<b>No opt-out wording found.</b> {MARKETING_REMINDER}", Tone.WARN)
        else:
            text = _note(MARKETING_REMINDER)
        self.marketing_note.setText(text)
        self.marketing_note.setVisible(True)
