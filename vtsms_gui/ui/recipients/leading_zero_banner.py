"""A strip above the grid when Excel seems to have removed client codes' leading zeros
(`03038` saved as 3038, which VETtrak then does not find), with one button to put them back.

The rows themselves are flagged by the domain's check (their reason says which code each most
likely was); this strip says it once for the list and offers the repair.
"""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtWidgets import QPushButton, QWidget

from vtsms_gui.domain.leading_zeros import LostZeros, find_lost_zeros, pad_codes
from vtsms_gui.domain.recipients import Recipient
from vtsms_gui.ui.common import wording
from vtsms_gui.ui.common.banner import Banner
from vtsms_gui.ui.common.theme import Tone
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel

BUTTON_TEXT = "Add the &zeros"


class LeadingZeroBanner(Banner):
    def __init__(self, model: RecipientsModel, parent: QWidget | None = None) -> None:
        super().__init__("leadingZeroBanner", parent=parent)
        self.setAccessibleName("Client codes that may have lost a zero")
        self._model = model
        self.lost: LostZeros | None = None
        self.pad_button = QPushButton(BUTTON_TEXT, self)
        self.pad_button.setObjectName("padCodesButton")
        self.pad_button.setAccessibleName("Add the missing leading zeros to the client codes")
        self.add_row(self.pad_button)
        self.pad_button.clicked.connect(self.pad)
        model.checked_changed.connect(self.refresh)

    def refresh(self) -> None:
        codes = [r.client_code for r in self._model.recipients]
        self.lost = find_lost_zeros(codes, self._model.known_code_length)
        if self.lost is None:
            self.hide()
            return
        (row, padded), *_ = self.lost.suggestions.items()
        typed = (codes[row] or "").strip()
        count = len(self.lost.suggestions)
        self.show_message(
            f"<b>Excel may have removed a leading zero:</b> {html.escape(typed)} → "
            f"{html.escape(padded)}? {wording.count(count, 'client code')} "
            f"{'is' if count == 1 else 'are'} shorter than the usual {self.lost.length} digits.",
            Tone.WARN,
        )
        self.pad_button.setToolTip(
            f"Pad {wording.count(count, 'code')} with zeros to {self.lost.length} digits"
        )
        self.pad_button.setEnabled(not self._model.locked)

    def pad(self) -> None:
        if self.lost is None or self._model.locked:
            return
        rows = self._model.recipients
        codes = pad_codes([r.client_code for r in rows], self.lost)
        self._model.replace_recipients(
            [
                _with_code(recipient, code) if code != recipient.client_code else recipient
                for recipient, code in zip(rows, codes, strict=True)
            ]
        )


def _with_code(recipient: Recipient, code: str | None) -> Recipient:
    """The row with its code replaced, in the source cells too (for {Client code} in texts)."""
    cells = recipient.cells
    if cells and recipient.client_code in cells:
        at = cells.index(recipient.client_code)
        cells = (*cells[:at], code or "", *cells[at + 1 :])
    return replace(recipient, client_code=code, cells=cells)
