"""Screen readers: tell them when a label's meaning changes (the message counter turning from
1 SMS to 2), not only by redrawing it or colouring it.

Qt sends no accessibility event when a QLabel's text changes; `announce` sets the widget's
accessible description to a spoken sentence and sends the description-changed and
name-changed events that NVDA, JAWS and Orca listen for (no cost when none is running).
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleValueChangeEvent
from PySide6.QtWidgets import QWidget

_update = QAccessible.updateAccessibility


def announce(widget: QWidget, sentence: str, *, value: object | None = None) -> None:
    """Give `widget` the spoken `sentence` and tell assistive technology that it changed."""
    if widget.accessibleDescription() == sentence:
        return
    widget.setAccessibleDescription(sentence)
    for kind in (QAccessible.Event.DescriptionChanged, QAccessible.Event.NameChanged):
        _update(QAccessibleEvent(widget, kind))
    if value is not None:
        _update(QAccessibleValueChangeEvent(widget, value))
