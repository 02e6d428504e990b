"""The questions resending asks: replace the list in the grid? resend to recipients whose
outcome is unknown? Module functions, so tests answer them without a dialog on screen."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QMessageBox, QSizePolicy, QSpacerItem, QWidget

from vtsms_gui.ui.common import wording

UNKNOWN_RISK = (
    "<p><b>These {count} may already have received this SMS.</b> Their request left this "
    "computer, but VETtrak's answer never came back (the app or the connection stopped), so "
    "nobody knows whether VETtrak sent it.</p>"
    "<ul>"
    "<li>Resending may text them <b>twice</b>.</li>"
    "<li>Every SMS sent again is <b>charged again</b>.</li>"
    "<li><b>Check the SMS history in VETtrak first</b>, and resend only to those who did not "
    "get it (delete the others from the list before pressing Send).</li>"
    "</ul>"
)


def confirm_replace_list(parent: QWidget | None, current: int, loaded: int, send_id: str) -> bool:
    """The grid already has recipients: may the rows to resend replace them? Cancel is the
    default, since the list being replaced may be unsent work."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Replace the list?",
        f"The list has {wording.count(current, 'recipient')}. Replace {_it_them(current)} with the "
        f"{wording.count(loaded, 'row')} to resend from send {send_id}?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    return _ask_with_cancel_default(box, "Replace the list")


def confirm_resend_unknown(parent: QWidget | None, count: int, send_id: str) -> bool:
    """The explicit go-ahead to load recipients whose outcome is unknown; Cancel is the
    default button, so Enter never says yes by accident."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Resend to recipients whose outcome is unknown?",
        UNKNOWN_RISK.format(count=wording.count(count, "recipient")),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        f"The rows are loaded into the list with the message of send {send_id}. Nothing is "
        "sent until you check them and press Send."
    )
    return _ask_with_cancel_default(box, "I checked VETtrak: load them")


def _ask_with_cancel_default(box: QMessageBox, go_ahead: str) -> bool:
    """True when `go_ahead` was clicked; Enter and Escape both mean Cancel."""
    _widen(box)
    button = box.addButton(go_ahead, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is button


def _widen(box: QMessageBox, width: int = 500) -> None:
    """QMessageBox wraps its text narrowly; a spacer across its grid gives the text room."""
    layout = box.layout()
    if isinstance(layout, QGridLayout):
        spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())


def _it_them(n: int) -> str:
    return "it" if n == 1 else "them"
