"""Placeholders shown distinctly in the message editor: a known `{Field}` in the palette's link
colour, an unknown one (or a brace at fault) with a red wavy underline and a tooltip saying why.

Colours are read from the palette each time a block is highlighted, and the editor is
re-highlighted when its palette changes (light/dark scheme), so no colour hook is needed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QFont, QHelpEvent, QPalette, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from vtsms_gui.domain.placeholders import FieldSet, Span, SpanKind, Template, parse_template
from vtsms_gui.domain.sms_text import utf16_offset
from vtsms_gui.ui.common.theme import Tone, tone_colour


def span_tooltip(span: Span, fields: FieldSet | None) -> str:
    """What hovering a placeholder says."""
    if span.kind is SpanKind.FIELD:
        return f"{{{span.name}}}: filled from each recipient's {span.name}"
    if span.kind is SpanKind.ERROR:
        return span.name
    if span.kind is SpanKind.AMBIGUOUS and fields is not None:
        return fields.ambiguous_message(span.name)
    names = ", ".join(fields.names) if fields is not None else ""
    return f'There is no column called "{span.name}". The fields there are: {names}.'


class PlaceholderHighlighter(QSyntaxHighlighter):
    """Highlights the editor's placeholders against the fields the list has."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor.document())
        self._editor = editor
        self._fields: FieldSet | None = None
        self._source = ""
        self._template: Template = parse_template("")
        self._spans: tuple[Span, ...] = ()
        self._utf16: list[tuple[int, int, Span]] = []
        editor.installEventFilter(self)
        editor.viewport().installEventFilter(self)

    @property
    def spans(self) -> tuple[Span, ...]:
        self._refresh()
        return self._spans

    def set_fields(self, fields: FieldSet) -> None:
        if fields != self._fields:
            self._fields = fields
            self._source = "\0"  # recompute the spans
            self.rehighlight()

    def span_at(self, position: int) -> Span | None:
        """The span at Qt (UTF-16) document position `position`, if any."""
        self._refresh()
        for start, end, span in self._utf16:
            if start <= position < end:
                return span
        return None

    def _refresh(self) -> None:
        source = self.document().toPlainText()
        if source == self._source:
            return
        self._source = source
        self._template = parse_template(source)
        self._spans = self._template.spans(self._fields) if "{" in source or "}" in source else ()
        astral = bool(source) and max(source) >= "\U00010000"
        self._utf16 = [
            (
                utf16_offset(source, s.start) if astral else s.start,
                utf16_offset(source, s.end) if astral else s.end,
                s,
            )
            for s in self._spans
        ]

    def highlightBlock(self, text: str) -> None:
        self._refresh()
        if not self._utf16:
            return
        block = self.currentBlock()
        first, length = block.position(), block.length()
        palette = self._editor.palette()
        for start, end, span in self._utf16:
            if end <= first or start >= first + length:
                continue
            char_format = QTextCharFormat()
            if span.kind is SpanKind.FIELD:
                char_format.setForeground(palette.color(QPalette.ColorRole.Link))
                char_format.setFontWeight(QFont.Weight.DemiBold)
            else:
                bad = tone_colour(Tone.BAD)
                char_format.setForeground(bad)
                char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                char_format.setUnderlineColor(bad)
            begin = max(start, first) - first
            self.setFormat(begin, min(end, first + length) - first - begin, char_format)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange and watched is self._editor:
            self.rehighlight()
        elif event.type() == QEvent.Type.ToolTip and watched is self._editor.viewport():
            assert isinstance(event, QHelpEvent)
            cursor = self._editor.cursorForPosition(event.pos())
            span = self.span_at(cursor.position())
            if span is not None:
                QToolTip.showText(
                    self._editor.viewport().mapToGlobal(QPoint(event.pos())),
                    span_tooltip(span, self._fields),
                    self._editor,
                )
                return True
        return super().eventFilter(watched, event)
