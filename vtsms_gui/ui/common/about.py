"""Help › About."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from vtsms_gui import __version__
from vtsms_gui.ui.common.feedback import Kind, feedback


def show_about(parent: QWidget) -> None:
    feedback().tell(
        parent,
        "About vtsms-gui",
        f"<h3>vtsms-gui {__version__}</h3>"
        "<p>Send SMS to students through your VETtrak server (VT_API.asmx).</p>"
        "<p>SMS are charged to your organisation's prepaid VETtrak SMS credit. "
        "“Sent” means queued at the SMS gateway, not delivered to the phone.</p>",
        Kind.ABOUT,
    )
