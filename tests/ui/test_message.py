"""The message editor: live counter and highlights as you type, replacement with undo,
characters that cannot be sent, the cost line against the balance, and the options."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextFormat
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from vtsms_gui.ui.compose.compose_panel import ComposePanel
from vtsms_gui.ui.compose.message_panel import MessagePanel


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Types like a user: qtbot.keyClicks for plain keys; QTest only knows ASCII key codes, so
    other characters arrive as key events carrying their text (as an input method sends them)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch)
                QApplication.sendEvent(widget, event)


def highlighted(panel: MessagePanel) -> list[str]:
    return [
        str(s.format.property(QTextFormat.Property.UserProperty))
        for s in panel.editor.extraSelections()
    ]


def highlighted_spans(panel: MessagePanel) -> list[tuple[int, int]]:
    return [
        (s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in panel.editor.extraSelections()
    ]


def test_counter_and_highlight_follow_typing(qtbot: QtBot) -> None:
    panel = MessagePanel()
    qtbot.addWidget(panel)
    assert panel.counter.text() == "GSM-7 · 0/160 · 1 SMS"

    type_text(qtbot, panel.editor, "Hello")
    assert panel.counter.text() == "GSM-7 · 5/160 · 1 SMS"
    assert highlighted(panel) == []
    assert panel.replace_button.isHidden()

    type_text(qtbot, panel.editor, " – it’s on")  # an en dash and a curly apostrophe
    assert panel.counter.text() == "Unicode · 15/70 · 1 SMS"
    assert highlighted(panel) == ["–", "’"]
    assert highlighted_spans(panel) == [(6, 7), (10, 11)]
    assert "Forces Unicode" in panel.characters.text()
    assert not panel.replace_button.isHidden()


def test_highlights_use_utf16_offsets_after_an_emoji(qtbot: QtBot) -> None:
    panel = MessagePanel()
    qtbot.addWidget(panel)
    panel.set_text("🎉 done’")
    # The emoji is one str index but two UTF-16 units, so the apostrophe sits at unit 7.
    assert highlighted_spans(panel) == [(0, 2), (7, 8)]
    assert panel.counter.text() == "Unicode · 8/70 · 1 SMS"


def test_long_messages_count_parts(qtbot: QtBot) -> None:
    panel = MessagePanel()
    qtbot.addWidget(panel)
    panel.set_text("x" * 148)
    assert panel.counter.text() == "GSM-7 · 148/160 · 1 SMS"
    panel.set_text("é" * 10 + "ł" * 65)
    assert panel.counter.text() == "Unicode · 75/134 · 2 SMS"


def test_replace_with_plain_characters_is_one_undoable_edit(qtbot: QtBot) -> None:
    panel = MessagePanel()
    qtbot.addWidget(panel)
    original = "“Class” – it’s in room 4…"
    panel.set_text(original)
    assert panel.analysis.encoding.value == "UCS-2"

    changed = panel.replace_with_plain()

    assert changed >= 4
    assert panel.text() == '"Class" - it\'s in room 4...'
    assert panel.counter.text().startswith("GSM-7")
    assert highlighted(panel) == []
    panel.editor.undo()
    assert panel.text() == original
    panel.editor.redo()
    assert panel.text() == '"Class" - it\'s in room 4...'


def test_characters_that_cannot_be_sent_are_flagged(qtbot: QtBot) -> None:
    panel = MessagePanel()
    qtbot.addWidget(panel)
    panel.set_text("bad\x01char")
    assert "Cannot be sent" in panel.characters.text()
    assert len(panel.editor.extraSelections()) == 1


def test_cost_line_turns_to_a_warning_over_the_balance(qtbot: QtBot) -> None:
    panel = ComposePanel()
    qtbot.addWidget(panel)
    panel.message.set_text("ł" * 75)  # Unicode, 2 parts
    panel.set_recipients(209)
    panel.set_balance(5000)
    assert panel.cost.text() == "2 SMS × 209 recipients = 418 credits · balance 5,000"
    panel.set_balance(400)
    assert "more than the balance" in panel.cost.text()
    assert "2 SMS × 209 recipients = 418 credits · balance 400" in panel.cost.text()


def test_sender_and_replies_and_marketing_options(qtbot: QtBot) -> None:
    panel = ComposePanel()
    qtbot.addWidget(panel)
    options = panel.options
    options.sender_edit.setText("MyCollege")
    assert "Unverified" in options.sender_note.text()
    options.sender_edit.setText("A")
    assert "2 to 11 characters" in options.sender_note.text()

    options.accept_replies.setChecked(True)
    assert not options.sender_edit.isEnabled()
    assert "no sender is used" in options.sender_note.text()
    assert options.options().sender == ""
    options.accept_replies.setChecked(False)

    panel.message.set_text("New course starts Monday!")
    options.marketing.setChecked(True)
    assert "No opt-out wording found" in options.marketing_note.text()
    panel.message.set_text("New course starts Monday! Reply STOP to opt out")
    assert "No opt-out wording found" not in options.marketing_note.text()
    assert options.options().marketing


def test_schedule_carries_the_local_utc_offset(qtbot: QtBot) -> None:
    panel = ComposePanel()
    qtbot.addWidget(panel)
    options = panel.options
    assert options.options().schedule is None
    options.send_later.setChecked(True)
    scheduled = options.options().schedule
    assert scheduled is not None and scheduled.utcoffset() is not None
    assert options.schedule.isEnabled()
    assert "UTC" in options.zone.text()
    assert options.schedule.dateTime().time().hour() == 9
    assert options.schedule.calendarPopup()
