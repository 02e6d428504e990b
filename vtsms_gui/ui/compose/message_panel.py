"""The message editor: live SMS counter, the characters that force Unicode highlighted and listed,
one-step (undoable) replacement with plain characters, and characters that cannot be sent."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from vtsms_gui.domain.replacements import propose_replacement
from vtsms_gui.domain.sms_text import (
    CharOccurrences,
    Encoding,
    TextAnalysis,
    analyse,
    describe_char,
    utf16_offset,
)
from vtsms_gui.ui.common import accessibility
from vtsms_gui.ui.common.flow_layout import FlowLayout
from vtsms_gui.ui.common.theme import Tone, tone_colour
from vtsms_gui.ui.compose.counter_speech import spoken_counter

MAX_HIGHLIGHTS = 2000  # beyond this a pasted essay gets slow to repaint, and the list says it all
MAX_LISTED = 6


def counter_text(analysis: TextAnalysis) -> str:
    """ "GSM-7 · 148/160 · 1 SMS" or "Unicode · 75/134 · 2 SMS"."""
    label = "GSM-7" if analysis.encoding is Encoding.GSM7 else "Unicode"
    return f"{label} · {analysis.units}/{analysis.capacity} · {analysis.segments} SMS"


def _occurrence_list(occurrences: tuple[CharOccurrences, ...]) -> str:
    shown = [
        f"{html.escape(_glyph(o.char))}&nbsp;×{len(o.positions)}" for o in occurrences[:MAX_LISTED]
    ]
    more = len(occurrences) - MAX_LISTED
    if more > 0:
        shown.append(f"and {more} more")
    return ", ".join(shown)


def _glyph(ch: str) -> str:
    """The character itself when it is visible, else its name (a tab, a zero-width space)."""
    described = describe_char(ch)
    return ch if described.startswith(ch) and ch.isprintable() and not ch.isspace() else described


def _unicode_only(analysis: TextAnalysis) -> tuple[CharOccurrences, ...]:
    """Characters that force Unicode but can be sent (those that cannot are shown apart)."""
    invalid = {o.char for o in analysis.invalid}
    return tuple(o for o in analysis.non_gsm if o.char not in invalid)


class MessagePanel(QWidget):
    """Editor plus counter; `analysis_changed` fires on every edit with the new analysis."""

    analysis_changed = Signal(object)  # TextAnalysis

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("messageEditor")
        self.editor.setAccessibleName("Message")
        self.editor.setPlaceholderText("Type the message to send…")
        self.editor.setTabChangesFocus(True)  # keyboard users can leave the editor with Tab

        self.counter = QLabel(self)
        self.counter.setObjectName("messageCounter")
        self.counter.setAccessibleName("Message length")
        self.replace_button = QPushButton("Replace with plain characters", self)
        self.replace_button.setToolTip(
            "Swap curly quotes, dashes and similar characters for plain ones, so the message "
            "fits more characters per SMS (Ctrl+Z undoes it)."
        )
        self.characters = QLabel(self)
        self.characters.setObjectName("unicodeCharacters")
        self.characters.setWordWrap(True)
        self.characters.setTextFormat(Qt.TextFormat.RichText)
        self.characters.setAccessibleName("Characters that need attention")

        # The tools wrap under each other, right-aligned, where the panel is narrow (a small or
        # scaled screen) rather than pushing the message sideways off the window.
        self._tools = FlowLayout(align_right=True)
        self._tools.addWidget(self.replace_button)
        self._last_tool: QWidget = self.replace_button
        counter_row = QHBoxLayout()
        counter_row.setContentsMargins(0, 0, 0, 0)
        self.counter.setMinimumHeight(self.replace_button.sizeHint().height())  # the tools' line
        counter_row.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignTop)
        counter_row.addLayout(self._tools, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addLayout(counter_row)
        layout.addWidget(self.characters)

        self._analysis = analyse("")
        self._per_recipient: tuple[str, str, str] | None = None
        self.editor.textChanged.connect(self._text_changed)
        self.replace_button.clicked.connect(self.replace_with_plain)
        self._text_changed()

    def add_tool(self, widget: QWidget) -> None:
        """Put a button at the end of the counter row (the window's Templates menu)."""
        self._tools.addWidget(widget)
        QWidget.setTabOrder(self._last_tool, widget)  # Tab follows the row, after the editor
        self._last_tool = widget

    def refresh_colours(self) -> None:
        self._text_changed()

    def count_per_recipient(self, shown: str | None, spoken: str = "", tip: str = "") -> None:
        """Say `shown` under the message instead of the template's own count (a personalised
        message: each recipient's text is counted); `spoken` is announced to screen readers.
        None goes back to counting the message as typed."""
        per_recipient = None if shown is None else (shown, spoken, tip)
        if per_recipient != self._per_recipient:
            self._per_recipient = per_recipient
            self._show_counter(self._analysis)

    @property
    def analysis(self) -> TextAnalysis:
        return self._analysis

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        self.editor.setPlainText(text)

    def replace_text(self, text: str) -> None:
        """Replace the whole message as one edit that Ctrl+Z undoes (a message from the history).

        `set_text` would clear the undo history with the text the user had typed.
        """
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)

    def insert_text(self, text: str) -> None:
        """Insert at the cursor, as one undoable edit (a template)."""
        self.editor.textCursor().insertText(text)
        self.editor.setFocus()

    def set_locked(self, locked: bool) -> None:
        self.editor.setReadOnly(locked)
        self.replace_button.setEnabled(not locked and bool(self._analysis.non_gsm))

    def replace_with_plain(self) -> int:
        """Apply the core's replacement proposal as one edit that Ctrl+Z undoes; returns the
        number of characters changed."""
        text = self.text()
        proposal = propose_replacement(text)
        if not proposal.changes:
            return 0
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        # From the end backwards, so the positions of earlier changes stay valid.
        for change in sorted(proposal.changes, key=lambda c: c.position, reverse=True):
            cursor.setPosition(utf16_offset(text, change.position))
            end = utf16_offset(text, change.position + len(change.old))
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(change.new)
        cursor.endEditBlock()
        return len(proposal.changes)

    def _text_changed(self) -> None:
        text = self.text()
        self._analysis = analysis = analyse(text)
        self._show_counter(analysis)
        self.replace_button.setEnabled(not self.editor.isReadOnly() and bool(analysis.non_gsm))
        self.replace_button.setVisible(bool(analysis.non_gsm))
        self._show_characters(analysis)
        self._highlight(text, analysis)
        self.analysis_changed.emit(analysis)

    def _show_counter(self, analysis: TextAnalysis) -> None:
        if self._per_recipient is not None:
            # Until the next recount (a moment after the last keystroke) it says the last one.
            shown, spoken, tip = self._per_recipient
            self.counter.setText(shown)
            accessibility.announce(self.counter, spoken)
            self.counter.setToolTip(
                f"{tip}\nThe message as typed, placeholders and all: {counter_text(analysis)}."
            )
            return
        self.counter.setText(counter_text(analysis))
        accessibility.announce(self.counter, spoken_counter(analysis), value=analysis.units)
        self.counter.setToolTip(
            f"{analysis.units_left} left before another SMS part is needed. "
            f"One SMS holds {analysis.single_limit}; each part of a longer message holds "
            f"{analysis.part_limit}."
        )

    def _show_characters(self, analysis: TextAnalysis) -> None:
        lines = []
        if analysis.invalid:
            colour = tone_colour(Tone.BAD).name()
            lines.append(
                f'<span style="color:{colour}"><b>Cannot be sent:</b> '
                f"{_occurrence_list(analysis.invalid)}. Remove these characters.</span>"
            )
        if unicode_only := _unicode_only(analysis):
            lines.append(
                "<b>Forces Unicode</b> (fewer characters per SMS): "
                f"{_occurrence_list(unicode_only)}"
            )
        self.characters.setText("<br>".join(lines))
        self.characters.setVisible(bool(lines))
        self.characters.setToolTip(
            "\n".join(describe_char(o.char) for o in (*analysis.invalid, *analysis.non_gsm)[:40])
        )

    def _highlight(self, text: str, analysis: TextAnalysis) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        unicode_colour = QColor(tone_colour(Tone.WARN))
        unicode_colour.setAlpha(120)
        invalid_colour = QColor(tone_colour(Tone.BAD))
        invalid_colour.setAlpha(150)
        document = self.editor.document()
        # Qt counts UTF-16 units: an emoji is two of them but one str index.
        astral = bool(text) and max(text) >= "\U00010000"
        for occurrences, colour in (
            (analysis.invalid, invalid_colour),
            (_unicode_only(analysis), unicode_colour),
        ):
            for occurrence in occurrences:
                for position in occurrence.positions:
                    if len(selections) >= MAX_HIGHLIGHTS:
                        break
                    selection = QTextEdit.ExtraSelection()
                    cursor = QTextCursor(document)
                    start = utf16_offset(text, position) if astral else position
                    cursor.setPosition(start)
                    end = start + (2 if occurrence.char >= "\U00010000" else 1)
                    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                    char_format = QTextCharFormat()
                    char_format.setBackground(colour)
                    # An underline too: the mark must not rely on colour alone.
                    char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                    char_format.setUnderlineColor(colour.toRgb())
                    char_format.setProperty(QTextFormat.Property.UserProperty, occurrence.char)
                    selection.cursor = cursor
                    selection.format = char_format
                    selections.append(selection)
        self.editor.setExtraSelections(selections)
