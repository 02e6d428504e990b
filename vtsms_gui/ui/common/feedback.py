"""Every question and message the window puts to the user goes through one small interface, so
the wording and buttons are alike everywhere (a question's safe answer is the default, Escape
always means no) and tests answer them without a dialog on screen or patching Qt.

`feedback()` is the one in use: message boxes, or in tests a `ScriptedFeedback`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from PySide6.QtWidgets import QGridLayout, QMessageBox, QSizePolicy, QSpacerItem, QWidget


class Kind(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    QUESTION = "question"
    ABOUT = "about"


class Feedback(Protocol):
    def tell(
        self, parent: QWidget | None, title: str, text: str, kind: Kind = Kind.WARNING
    ) -> None:
        """A message the user reads and dismisses."""
        ...

    def ask(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        *,
        yes: str,
        no: str = "Cancel",
        yes_is_default: bool = False,
        details: str = "",
        kind: Kind = Kind.QUESTION,
    ) -> bool:
        """A question; True only when the user chose `yes`. Enter picks the default (the
        safe answer, `no`, unless `yes_is_default`); Escape is always `no`."""
        ...


class DialogFeedback:
    """Message boxes, for the running app."""

    _ICONS: ClassVar[dict[Kind, QMessageBox.Icon]] = {
        Kind.INFO: QMessageBox.Icon.Information,
        Kind.WARNING: QMessageBox.Icon.Warning,
        Kind.QUESTION: QMessageBox.Icon.Question,
        Kind.ABOUT: QMessageBox.Icon.NoIcon,
    }

    def tell(
        self, parent: QWidget | None, title: str, text: str, kind: Kind = Kind.WARNING
    ) -> None:
        if kind is Kind.ABOUT:
            QMessageBox.about(parent, title, text)
            return
        box = QMessageBox(self._ICONS[kind], title, text, QMessageBox.StandardButton.Ok, parent)
        box.exec()

    def ask(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        *,
        yes: str,
        no: str = "Cancel",
        yes_is_default: bool = False,
        details: str = "",
        kind: Kind = Kind.QUESTION,
    ) -> bool:
        box = QMessageBox(
            self._ICONS[kind], title, text, QMessageBox.StandardButton.NoButton, parent
        )
        if details:
            box.setInformativeText(details)
        _widen(box)
        go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(go if yes_is_default else stay)
        box.setEscapeButton(stay)
        box.exec()
        return box.clickedButton() is go


@dataclass
class Asked:
    """What a `ScriptedFeedback` was asked or told."""

    title: str
    text: str
    kind: Kind
    yes: str = ""
    details: str = ""


@dataclass
class ScriptedFeedback:
    """For tests: answers questions from `answers` in order (then `default`), and records
    everything it was asked or told in `asked`."""

    answers: list[bool] = field(default_factory=list)
    default: bool = False
    asked: list[Asked] = field(default_factory=list)

    def tell(
        self, parent: QWidget | None, title: str, text: str, kind: Kind = Kind.WARNING
    ) -> None:
        self.asked.append(Asked(title, text, kind))

    def ask(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        *,
        yes: str,
        no: str = "Cancel",
        yes_is_default: bool = False,
        details: str = "",
        kind: Kind = Kind.QUESTION,
    ) -> bool:
        self.asked.append(Asked(title, text, kind, yes, details))
        return self.answers.pop(0) if self.answers else self.default

    @property
    def texts(self) -> list[str]:
        return [item.text for item in self.asked]


_current: Feedback = DialogFeedback()


def feedback() -> Feedback:
    return _current


def use_feedback(replacement: Feedback) -> Feedback:
    """Put `replacement` in use; returns the one it replaces (tests put it back)."""
    global _current
    previous, _current = _current, replacement
    return previous


def _widen(box: QMessageBox, width: int = 500) -> None:
    """QMessageBox wraps its text narrowly; a spacer across its grid gives the text room."""
    layout = box.layout()
    if isinstance(layout, QGridLayout):
        spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())


__all__ = [
    "Asked",
    "DialogFeedback",
    "Feedback",
    "Kind",
    "ScriptedFeedback",
    "feedback",
    "use_feedback",
]
