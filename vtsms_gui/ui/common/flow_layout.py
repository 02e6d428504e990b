"""A row of buttons that wraps onto the next line when the window is narrow (a small laptop
screen, 150 % scaling), instead of pushing the window wider than the screen. Qt's own
"flow layout" example, kept short: left to right, then down.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(
        self, parent: QWidget | None = None, spacing: int = 6, *, align_right: bool = False
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._align_right = align_right  # each line ends at the right edge (a row of tools)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        visible = [i for i in self._items if not i.isEmpty()]
        width = sum(i.sizeHint().width() for i in visible) + self._gap * max(len(visible) - 1, 0)
        height = max((i.sizeHint().height() for i in visible), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        placed: list[tuple[QLayoutItem, QRect]] = []  # the current line's items
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                self._place(placed, area, move=move)
                x, y, line, placed = area.x(), y + line + self._gap, 0, []
            placed.append((item, QRect(QPoint(x, y), hint)))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        self._place(placed, area, move=move)
        return y + line - rect.y() + margins.bottom()

    def _place(self, line: list[tuple[QLayoutItem, QRect]], area: QRect, *, move: bool) -> None:
        if not move or not line:
            return
        shift = area.right() - line[-1][1].right() if self._align_right else 0
        for item, where in line:
            item.setGeometry(where.translated(max(shift, 0), 0))


def fixed_height_for_width(widget: QWidget) -> None:
    """Let `widget` (holding a FlowLayout) grow downwards as its buttons wrap."""
    policy = widget.sizePolicy()
    policy.setHeightForWidth(True)
    policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
    widget.setSizePolicy(policy)
