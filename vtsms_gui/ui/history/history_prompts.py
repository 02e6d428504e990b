"""The questions resending asks: replace the list in the grid? resend to recipients whose
outcome is unknown? Asked through the window's feedback, so tests answer them without a dialog
on screen; both keep Cancel the default."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from vtsms_gui.ui.common import wording
from vtsms_gui.ui.common.feedback import Kind, feedback

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
    return feedback().ask(
        parent,
        "Replace the list?",
        f"The list has {wording.count(current, 'recipient')}. Replace {_it_them(current)} with the "
        f"{wording.count(loaded, 'row')} to resend from send {send_id}?",
        yes="Replace the list",
    )


def confirm_resend_unknown(parent: QWidget | None, count: int, send_id: str) -> bool:
    """The explicit go-ahead to load recipients whose outcome is unknown; Cancel is the
    default button, so Enter never says yes by accident."""
    return feedback().ask(
        parent,
        "Resend to recipients whose outcome is unknown?",
        UNKNOWN_RISK.format(count=wording.count(count, "recipient")),
        yes="I checked VETtrak: load them",
        details=(
            f"The rows are loaded into the list with the message of send {send_id}. Nothing is "
            "sent until you check them and press Send."
        ),
        kind=Kind.WARNING,
    )


def _it_them(n: int) -> str:
    return "it" if n == 1 else "them"
