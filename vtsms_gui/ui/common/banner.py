"""A tinted strip across the top of the window: the demo notice, a send's totals, a stopped send."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QTextDocumentFragment
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from vtsms_gui.ui.common import icons
from vtsms_gui.ui.common.theme import Tone, banner_style, on_theme_change

_TONE_ICONS = {
    Tone.GOOD: "state-ok",
    Tone.WARN: "state-warning",
    Tone.BAD: "state-invalid",
    Tone.UNKNOWN: "outcome-unknown",
    Tone.INFO: "info",
    Tone.MUTED: "info",
}


class Banner(QFrame):
    def __init__(self, name: str, *, closable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        on_theme_change(self.restyle)  # light/dark switched: the tint follows the palette
        self.setObjectName(name)
        self.setAccessibleName(name)
        self._tone = Tone.INFO
        self.icon = QLabel(self)
        self.icon.setFixedSize(QSize(20, 20))
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this message")
        self.close_button.setAccessibleName("Hide this message")
        self.close_button.setVisible(closable)
        self.close_button.clicked.connect(self.hide)
        self._body = QVBoxLayout()
        self._body.setSpacing(6)
        self._body.addWidget(self.text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(8)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._body, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def add_row(self, widget: QWidget) -> None:
        """Put `widget` under the text (a line with its own button, say)."""
        self._body.addWidget(widget)

    def show_message(self, html: str, tone: Tone) -> None:
        self._tone = tone
        self.text.setText(html)
        # Screen readers read the description as is: the words, not the markup.
        self.setAccessibleDescription(self.plain_text())
        self._restyle()
        self.show()

    @property
    def tone(self) -> Tone:
        return self._tone

    def plain_text(self) -> str:
        return QTextDocumentFragment.fromHtml(self.text.text()).toPlainText()

    def restyle(self) -> None:
        """Recolour for the current light or dark palette (on every theme change)."""
        self._restyle()

    def _restyle(self) -> None:
        style = banner_style(self._tone, QGuiApplication.palette())
        # Scoped to this frame by its object name, so child labels keep their own look.
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background: {style.background}; "
            f"border: 1px solid {style.border}; border-radius: 4px; }}"
            f"QFrame#{self.objectName()} QLabel {{ color: {style.text}; }}"
        )
        pixmap = icons.icon(_TONE_ICONS[self._tone]).pixmap(QSize(18, 18), self.devicePixelRatio())
        self.icon.setPixmap(pixmap)
