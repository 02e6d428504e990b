"""The "Insert field" button by the message editor: the list's columns (and always Client code
and Mobile); choosing one inserts `{Column}` at the cursor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from vtsms_gui.domain.placeholders import FieldSet


def placeholder_for(name: str) -> str:
    """`{Name}` (headers with a brace or `|` are not offered as fields at all)."""
    return "{" + name + "}"


class FieldMenu(QToolButton):
    """A tool button whose menu is rebuilt from `fields()` each time it opens."""

    def __init__(
        self,
        fields: Callable[[], FieldSet],
        insert: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fields = fields
        self._insert = insert
        self.setObjectName("insertFieldButton")
        self.setText("Insert field")
        self.setAccessibleName("Insert field")
        self.setToolTip(
            "Put a column of the list into the message, e.g. {First name}: each recipient "
            "gets their own value."
        )
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.field_menu = QMenu(self)
        self.field_menu.setAccessibleName("Fields")
        self.field_menu.aboutToShow.connect(self.rebuild)
        self.setMenu(self.field_menu)
        self.rebuild()

    def names(self) -> tuple[str, ...]:
        return self._fields().names

    def rebuild(self) -> None:
        self.field_menu.clear()
        for name in self.names():
            action = self.field_menu.addAction(name.replace("&", "&&"))
            action.setToolTip(f"Insert {placeholder_for(name)}")
            action.triggered.connect(lambda _=False, n=name: self._insert(placeholder_for(n)))
